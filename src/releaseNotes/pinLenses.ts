import path from 'node:path';
import * as vscode from 'vscode';
import { Commands } from '../common/commandIds';
import { findVersionPins } from '../core/releases';
import { LockfileReader } from './lockfiles';
import { findChartPins } from '../core/helm/pins';
import { chartLenses } from '../charts/lenses';
import type { ReviewRequest } from './register';
import { releaseNoteSettings } from '../common/settings';

/** Files whose version pins get a lens: YAML manifests, Dockerfiles and package.json. */
export const PIN_FILES = ['**/*.{yaml,yml}', '**/{Dockerfile,Containerfile,*.dockerfile,Dockerfile.*}', '**/package.json'];

/** "Review release notes 2.3.0 → latest" above image tags and package.json dependencies. */
export class PinCodeLensProvider implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.emitter.event;
  /** package.json pins take their versions from the lockfile that covers them (made at the first package.json). */
  private lockfiles?: LockfileReader;

  refresh(): void {
    this.emitter.fire();
  }

  async provideCodeLenses(doc: vscode.TextDocument): Promise<vscode.CodeLens[]> {
    const settings = releaseNoteSettings(doc.uri);
    if (!settings.pinCodeLens || doc.getText().length > 2_000_000) return [];
    const sources = settings.imageSources;
    const name = path.basename(doc.uri.fsPath);
    const lock = name.toLowerCase() === 'package.json' ? await this.lockfileReader().contextFor(doc.uri) : undefined;
    const charts = findChartPins(doc.uri.fsPath, doc.getText()).flatMap(chartLenses);
    return charts.concat(findVersionPins(name, doc.getText(), sources, lock).map(
      (pin) =>
        new vscode.CodeLens(new vscode.Range(pin.line, 0, pin.line, 0), {
          title: `Review release notes ${pin.label} → latest`,
          tooltip: `${pin.source ? `${pin.name}: ${pin.source}` : `${pin.name}: choose where its release notes come from`}${pin.basis ? ` (${pin.basis})` : ''}`,
          command: Commands.reviewReleaseNotes,
          arguments: [{ source: pin.source, from: pin.version, to: 'latest', ...(pin.kind === 'image' ? { image: pin.name } : {}) } satisfies ReviewRequest],
        }),
    ));
  }

  private lockfileReader(): LockfileReader {
    if (!this.lockfiles) {
      this.lockfiles = new LockfileReader();
      this.lockfiles.onDidChange(() => this.emitter.fire());
    }
    return this.lockfiles;
  }

  dispose(): void {
    this.lockfiles?.dispose();
    this.emitter.dispose();
  }
}
