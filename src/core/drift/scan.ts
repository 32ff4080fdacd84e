/**
 * Every version pin of a workspace, with the environment each file belongs to: container images and
 * package.json dependencies (releases/pins.ts) and Helm charts (helm/pins.ts). Flux HelmReleases
 * whose HelmRepository is in another file are resolved against the repositories of the whole
 * workspace. Linear in the files' size: each file is scanned once, and parsed as YAML only when its
 * name or a cheap look says it holds charts.
 */
import { findChartPins, findHelmRepositories, mayHoldCharts, resolveSourceRef, type HelmRepository } from '../helm/pins';
import { findVersionPins } from '../releases/pins';
import { chartSource } from '../helm/spec';
import { environmentOf, type EnvironmentPattern } from './environments';

export interface WorkspaceFile {
  /** Relative to the workspace folder, `/`-separated. */
  path: string;
  text: string;
}

export type PinKind = 'image' | 'chart' | 'npm';

export interface WorkspacePin {
  kind: PinKind;
  /** The image (without tag), chart or package. */
  name: string;
  /** Canonical version. */
  version: string;
  /** The release-note source, when known. */
  source?: string;
  path: string;
  /** 0-based. */
  line: number;
  /** Undefined for files that belong to no environment (a Kustomize base, a shared chart). */
  environment?: string;
}

export interface ScanOptions {
  imageSources?: Readonly<Record<string, string>>;
  patterns?: readonly EnvironmentPattern[];
}

export function scanWorkspace(files: readonly WorkspaceFile[], opts: ScanOptions = {}): WorkspacePin[] {
  const repositories: HelmRepository[] = [];
  for (const f of files) if (mayHoldCharts(f.path, f.text)) for (const r of findHelmRepositories(f.path, f.text)) repositories.push(r);
  const out: WorkspacePin[] = [];
  for (const f of files) {
    const environment = environmentOf(f.path, opts.patterns);
    const at = (p: { line: number }) => (environment === undefined ? { path: f.path, line: p.line } : { path: f.path, line: p.line, environment });
    for (const p of findVersionPins(f.path, f.text, opts.imageSources)) {
      out.push({ kind: p.kind, name: p.name, version: p.version, ...(p.source ? { source: p.source } : {}), ...at(p) });
    }
    for (const p of findChartPins(f.path, f.text)) {
      let source = p.source;
      if (!source && p.sourceRef) {
        const repo = resolveSourceRef(p.sourceRef, repositories);
        if (repo) source = chartSource(repo.url, p.name);
      }
      out.push({ kind: 'chart', name: p.name, version: p.version, ...(source ? { source } : {}), ...at(p) });
    }
  }
  return out;
}
