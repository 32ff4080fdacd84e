import path from 'node:path';
import * as vscode from 'vscode';
import { Commands } from '../common/commandIds';
import { findVersionPins } from '../core/releases';
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

  refresh(): void {
    this.emitter.fire();
  }

  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    const settings = releaseNoteSettings(doc.uri);
    if (!settings.pinCodeLens || doc.getText().length > 2_000_000) return [];
    const sources = settings.imageSources;
    const charts = findChartPins(doc.uri.fsPath, doc.getText()).flatMap(chartLenses);
    return charts.concat(findVersionPins(path.basename(doc.uri.fsPath), doc.getText(), sources).map(
      (pin) =>
        new vscode.CodeLens(new vscode.Range(pin.line, 0, pin.line, 0), {
          title: `Review release notes ${pin.version} → latest`,
          tooltip: pin.source ? `${pin.name}: ${pin.source}` : `${pin.name}: choose where its release notes come from`,
          command: Commands.reviewReleaseNotes,
          arguments: [{ source: pin.source, from: pin.version, to: 'latest' } satisfies ReviewRequest],
        }),
    ));
  }

  dispose(): void {
    this.emitter.dispose();
  }
}
