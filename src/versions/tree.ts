import * as vscode from 'vscode';
import { Commands } from '../common/commandIds';
import { driftReport, reviewLabel, type AppVersions, type DriftReport } from '../core/drift/drift';
import { compilePatterns } from '../core/drift/environments';
import { scanWorkspace } from '../core/drift/scan';
import type { Logger } from '../core/log';
import { environmentSettings, releaseNoteSettings } from '../common/settings';
import { readPinFiles } from './scan';

type Pin = { path: string; line: number; version: string };
export type VersionNode =
  | { kind: 'app'; app: AppVersions }
  | { kind: 'review'; app: AppVersions }
  | { kind: 'environment'; app: AppVersions; environment: string; versions: string[]; pins: Pin[] }
  | { kind: 'pin'; pin: Pin };

/** What a test sees of the view: its items as rendered. */
export interface VersionsSnapshot {
  label: string;
  description?: string;
  drift: boolean;
  children: { label: string; description?: string; command?: string; arguments?: unknown[] }[];
}

/**
 * The "Versions" view: every pin of the workspace by app, one child per environment, apps whose
 * environments differ first and marked, with their "Review release notes prod 1.2.0 → dev 1.4.0".
 * Scanned when the view is first shown and again after manifests change.
 */
export class VersionsView implements vscode.TreeDataProvider<VersionNode>, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<VersionNode | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;
  private report: Promise<DriftReport> | undefined;
  private uris = new Map<string, vscode.Uri>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly log: Logger) {}

  /** Scans again, after a short pause for bursts of changes. */
  invalidate(delayMs = 400): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.report = undefined;
      this.emitter.fire(undefined);
    }, delayMs);
  }

  current(): Promise<DriftReport> {
    return (this.report ??= this.scan());
  }

  private async scan(): Promise<DriftReport> {
    const started = performance.now();
    const { files, uris } = await readPinFiles();
    this.uris = uris;
    const compiled = compilePatterns(environmentSettings().patterns);
    for (const p of compiled.problems) this.log.warn(`preflight.environments.patterns: ${p}`);
    const report = driftReport(scanWorkspace(files, { patterns: compiled.patterns, imageSources: releaseNoteSettings().imageSources }));
    this.log.info(`Versions: ${report.apps.length} apps in ${files.length} files, ${report.apps.filter((a) => a.drift).length} drift (${(performance.now() - started).toFixed(0)} ms)`);
    return report;
  }

  async getChildren(node?: VersionNode): Promise<VersionNode[]> {
    if (!node) return (await this.current()).apps.map((app) => ({ kind: 'app', app }));
    if (node.kind === 'app') {
      const { app } = node;
      const out: VersionNode[] = [];
      if (app.review) out.push({ kind: 'review', app });
      for (const e of app.environments) out.push({ kind: 'environment', app, environment: e.environment, versions: e.versions, pins: e.pins });
      if (app.unassigned.length) out.push({ kind: 'environment', app, environment: '', versions: [...new Set(app.unassigned.map((u) => u.version))], pins: app.unassigned });
      return out;
    }
    if (node.kind === 'environment' && node.pins.length > 1) return node.pins.map((pin) => ({ kind: 'pin', pin }));
    return [];
  }

  getTreeItem(node: VersionNode): vscode.TreeItem {
    switch (node.kind) {
      case 'app': {
        const { app } = node;
        const item = new vscode.TreeItem(app.name, vscode.TreeItemCollapsibleState.Collapsed);
        const cells = app.environments.map((e) => `${e.environment} ${e.versions.join('/')}`);
        item.description = `${app.drift ? 'drift · ' : ''}${app.kind}${cells.length ? ` · ${cells.join(' · ')}` : ` · ${[...new Set(app.unassigned.map((u) => u.version))].join('/')}`}`;
        item.iconPath = app.drift ? new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground')) : new vscode.ThemeIcon(app.kind === 'chart' ? 'package' : app.kind === 'image' ? 'server-environment' : 'library');
        item.tooltip = `${app.kind} ${app.name}${app.source ? ` (${app.source})` : ''}${app.review ? `\nEnvironments differ: ${reviewLabel(app.review)}` : ''}`;
        item.contextValue = app.review && app.source ? 'preflight.versionApp.drift' : 'preflight.versionApp';
        item.id = `app:${app.kind}:${app.name}`;
        return item;
      }
      case 'review': {
        const review = node.app.review!;
        const item = new vscode.TreeItem(`Review release notes ${reviewLabel(review)}`, vscode.TreeItemCollapsibleState.None);
        item.iconPath = new vscode.ThemeIcon('book');
        item.command = reviewCommand(node.app);
        item.tooltip = node.app.source ? `${node.app.source} ${review.from} → ${review.to}` : `${node.app.name}: choose where its release notes come from`;
        return item;
      }
      case 'environment': {
        const label = node.environment || '(no environment)';
        const item = new vscode.TreeItem(label, node.pins.length > 1 ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
        item.description = node.versions.join(', ');
        item.tooltip = node.pins.map((p) => `${p.path}:${p.line + 1}  ${p.version}`).join('\n');
        item.iconPath = new vscode.ThemeIcon(node.environment ? 'symbol-namespace' : 'circle-outline');
        if (node.pins.length === 1) item.command = this.openCommand(node.pins[0]);
        return item;
      }
      case 'pin': {
        const item = new vscode.TreeItem(node.pin.path, vscode.TreeItemCollapsibleState.None);
        item.description = node.pin.version;
        item.command = this.openCommand(node.pin);
        return item;
      }
    }
  }

  private openCommand(pin: Pin): vscode.Command | undefined {
    const uri = this.uris.get(pin.path);
    if (!uri) return undefined;
    return { title: 'Open', command: 'vscode.open', arguments: [uri, { selection: new vscode.Range(pin.line, 0, pin.line, 0) } satisfies vscode.TextDocumentShowOptions] };
  }

  /** The view's items two levels deep, as rendered (ExtensionMode.Test). */
  async snapshot(): Promise<VersionsSnapshot[]> {
    const out: VersionsSnapshot[] = [];
    for (const node of await this.getChildren()) {
      const item = this.getTreeItem(node);
      const children = (await this.getChildren(node)).map((c) => {
        const ci = this.getTreeItem(c);
        return { label: String(ci.label), ...(ci.description ? { description: String(ci.description) } : {}), ...(ci.command ? { command: ci.command.command, arguments: ci.command.arguments } : {}) };
      });
      out.push({ label: String(item.label), ...(item.description ? { description: String(item.description) } : {}), drift: node.kind === 'app' && node.app.drift, children });
    }
    return out;
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.emitter.dispose();
  }
}

/** Opens the review of a drifted app's range between its environments. */
export function reviewCommand(app: AppVersions): vscode.Command {
  const review = app.review!;
  return { title: 'Review Release Notes', command: Commands.reviewReleaseNotes, arguments: [{ source: app.source, from: review.from, to: review.to }] };
}
