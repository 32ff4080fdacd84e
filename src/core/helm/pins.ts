/**
 * Helm chart pins in a workspace file: `dependencies` of a Chart.yaml, Flux `HelmRelease`s
 * (spec.chart.spec.chart / version / sourceRef), Argo CD `Application`s (spec.source or
 * spec.sources: chart / targetRevision / repoURL) and helmfile `releases` (chart REPO/NAME with
 * the file's `repositories`). Each pin names its chart, the version (or range) pinned and, when the
 * repository is known, the `helm:` source whose release notes to review.
 *
 * Flux names its repository through a `HelmRepository` object, often in another file: a pin keeps
 * its `sourceRef`, resolved against the repositories of the same file here and of the workspace by
 * the caller (`resolveSourceRef`).
 */
import semver from 'semver';
import type { Node } from 'yaml';
import { canonicalVersion } from '../releases/version';
import { at, items, text, yamlDocuments, type YamlDoc } from './yamlDocs';
import { chartSource } from './spec';

export type ChartPinOrigin = 'Chart.yaml' | 'HelmRelease' | 'Application' | 'helmfile';

export interface ChartPin {
  /** 0-based line of the version (of the chart name when no version is written). */
  line: number;
  kind: 'chart';
  via: ChartPinOrigin;
  /** The chart's name. */
  name: string;
  /** Canonical version: the pinned one, or the lowest a range allows (`~1.2.0` -> 1.2.0). */
  version: string;
  /** The version as written (`15.1.0`, `~1.2.0`, `6.5.*`). */
  constraint: string;
  /** `https://charts.example.com` or `oci://registry.example.com/charts`, without the chart name. */
  repository?: string;
  /** Flux: the HelmRepository the chart comes from, when the file does not define it. */
  sourceRef?: SourceRef;
  /** The release or dependency this pin installs (HelmRelease / Application / helmfile release name, dependency alias). */
  release?: string;
  /** `helm:REPOSITORY#CHART` or `helm:oci://REGISTRY/PATH/CHART`, when the repository is known. */
  source?: string;
}

export interface SourceRef {
  kind: string;
  name: string;
  namespace?: string;
}

/** A Flux `HelmRepository` (source.toolkit.fluxcd.io). */
export interface HelmRepository {
  name: string;
  namespace?: string;
  /** `https://...`, or `oci://...` for `type: oci`. */
  url: string;
}

const MANIFEST_KIND = /^kind:[ \t]*["']?(?:HelmRelease|HelmRepository|Application)\b/m;
const REPOSITORY_KIND = /^kind:[ \t]*["']?HelmRepository\b/m;

/** Whether a file may hold chart pins, from its name and a cheap look at its text. */
export function mayHoldCharts(fileName: string, text: string): boolean {
  const base = fileName.split(/[\\/]/).pop()!.toLowerCase();
  if (base === 'chart.yaml' || base === 'chart.yml' || isHelmfile(fileName)) return true;
  return (base.endsWith('.yaml') || base.endsWith('.yml')) && MANIFEST_KIND.test(text);
}

function isHelmfile(fileName: string): boolean {
  const parts = fileName.split(/[\\/]/);
  const base = parts[parts.length - 1].toLowerCase();
  if (/^helmfile\.ya?ml(?:\.gotmpl)?$/.test(base)) return true;
  return parts.length > 1 && parts[parts.length - 2].toLowerCase() === 'helmfile.d' && /\.ya?ml(?:\.gotmpl)?$/.test(base);
}

/** The chart pins of one file; `repositories` resolves Flux sourceRefs the file leaves open. */
export function findChartPins(fileName: string, source: string, repositories: readonly HelmRepository[] = []): ChartPin[] {
  if (!mayHoldCharts(fileName, source)) return [];
  const docs = yamlDocuments(source);
  const base = fileName.split(/[\\/]/).pop()!.toLowerCase();
  if (base === 'chart.yaml' || base === 'chart.yml') return docs.flatMap(chartYamlPins);
  if (isHelmfile(fileName)) return docs.flatMap(helmfilePins);
  const local = docs.flatMap(helmRepositoriesOf);
  const known = [...local, ...repositories];
  return docs.flatMap((doc) => {
    const kind = text(at(doc.root, 'kind'));
    const api = text(at(doc.root, 'apiVersion')) ?? '';
    if (kind === 'HelmRelease' && api.startsWith('helm.toolkit.fluxcd.io/')) return helmReleasePins(doc, known);
    if (kind === 'Application' && api.startsWith('argoproj.io/')) return applicationPins(doc);
    return [];
  });
}

/** The Flux HelmRepositories a file defines. */
export function findHelmRepositories(fileName: string, source: string): HelmRepository[] {
  // Only files that name the kind are parsed: a workspace's HelmReleases are not read twice.
  if (!/\.ya?ml$/i.test(fileName) || !REPOSITORY_KIND.test(source)) return [];
  return yamlDocuments(source).flatMap(helmRepositoriesOf);
}

function helmRepositoriesOf(doc: YamlDoc): HelmRepository[] {
  if (text(at(doc.root, 'kind')) !== 'HelmRepository' || !(text(at(doc.root, 'apiVersion')) ?? '').startsWith('source.toolkit.fluxcd.io/')) return [];
  const name = text(at(doc.root, 'metadata', 'name'));
  let url = text(at(doc.root, 'spec', 'url'));
  if (!name || !url) return [];
  if (text(at(doc.root, 'spec', 'type')) === 'oci' && !/^oci:\/\//i.test(url)) url = `oci://${url}`;
  const namespace = text(at(doc.root, 'metadata', 'namespace'));
  return [namespace ? { name, namespace, url } : { name, url }];
}

/** The repository a sourceRef names: same name, and the same namespace when both say one. */
export function resolveSourceRef(ref: SourceRef, repositories: readonly HelmRepository[], releaseNamespace?: string): HelmRepository | undefined {
  if (ref.kind !== 'HelmRepository') return undefined;
  const namespace = ref.namespace ?? releaseNamespace;
  return repositories.find((r) => r.name === ref.name && (!namespace || !r.namespace || r.namespace === namespace));
}

function pin(doc: YamlDoc, fields: { via: ChartPinOrigin; name: string; versionNode: Node | undefined; nameNode: Node | undefined; repository?: string; release?: string; sourceRef?: SourceRef }): ChartPin | undefined {
  const constraint = text(fields.versionNode);
  const version = constraint && versionOf(constraint);
  if (!constraint || !version) return undefined;
  const out: ChartPin = { line: doc.lineOf(fields.versionNode ?? fields.nameNode), kind: 'chart', via: fields.via, name: fields.name, version, constraint };
  if (fields.repository) {
    out.repository = fields.repository;
    const source = chartSource(fields.repository, fields.name);
    if (source) out.source = source;
  }
  if (fields.release) out.release = fields.release;
  if (fields.sourceRef) out.sourceRef = fields.sourceRef;
  return out;
}

/** `15.1.0`, `v1.2`, or the lowest version a range allows (`~1.2.3`, `6.5.*`, `>=1.0.0 <2`). */
export function versionOf(constraint: string): string | undefined {
  const exact = canonicalVersion(constraint);
  if (exact) return exact;
  if (constraint.length > 128) return undefined;
  const range = semver.validRange(constraint, { loose: true });
  const min = range ? semver.minVersion(range, { loose: true }) : null;
  return min ? (canonicalVersion(min.version) ?? undefined) : undefined;
}

function chartYamlPins(doc: YamlDoc): ChartPin[] {
  const out: ChartPin[] = [];
  for (const dep of items(at(doc.root, 'dependencies'))) {
    const nameNode = at(dep, 'name');
    const name = text(nameNode);
    const repository = text(at(dep, 'repository'));
    // Charts in the same repository (`file://../common`) have no releases of their own.
    if (!name || (repository && /^file:/i.test(repository))) continue;
    const p = pin(doc, { via: 'Chart.yaml', name, nameNode, versionNode: at(dep, 'version'), repository: repository && !repository.startsWith('@') && !repository.startsWith('alias:') ? repository : undefined, release: text(at(dep, 'alias')) });
    if (p) out.push(p);
  }
  return out;
}

function helmReleasePins(doc: YamlDoc, repositories: readonly HelmRepository[]): ChartPin[] {
  const spec = at(doc.root, 'spec', 'chart', 'spec');
  const nameNode = at(spec, 'chart');
  const name = text(nameNode);
  if (!name) return [];
  const refNode = at(spec, 'sourceRef');
  const ref: SourceRef | undefined = text(at(refNode, 'name')) ? { kind: text(at(refNode, 'kind')) ?? 'HelmRepository', name: text(at(refNode, 'name'))! } : undefined;
  if (ref && text(at(refNode, 'namespace'))) ref.namespace = text(at(refNode, 'namespace'));
  const repo = ref && resolveSourceRef(ref, repositories, text(at(doc.root, 'metadata', 'namespace')));
  // A HelmRelease without a version installs the latest chart: nothing pinned.
  const p = pin(doc, { via: 'HelmRelease', name, nameNode, versionNode: at(spec, 'version'), repository: repo?.url, release: text(at(doc.root, 'metadata', 'name')), sourceRef: repo ? undefined : ref });
  return p ? [p] : [];
}

function applicationPins(doc: YamlDoc): ChartPin[] {
  const sources = [at(doc.root, 'spec', 'source'), ...items(at(doc.root, 'spec', 'sources'))].filter(Boolean);
  const release = text(at(doc.root, 'metadata', 'name'));
  const out: ChartPin[] = [];
  for (const source of sources) {
    const nameNode = at(source, 'chart');
    const name = text(nameNode);
    // Without `chart` the source is a Git repository, and targetRevision a branch or commit.
    if (!name) continue;
    let repository = text(at(source, 'repoURL'));
    // Argo CD writes OCI repositories without a scheme (`registry-1.docker.io/bitnamicharts`).
    if (repository && !/^[a-z][a-z0-9+.-]*:\/\//i.test(repository)) repository = `oci://${repository}`;
    const p = pin(doc, { via: 'Application', name, nameNode, versionNode: at(source, 'targetRevision'), repository, release });
    if (p) out.push(p);
  }
  return out;
}

function helmfilePins(doc: YamlDoc): ChartPin[] {
  const repos = new Map<string, string>();
  for (const r of items(at(doc.root, 'repositories'))) {
    const name = text(at(r, 'name'));
    let url = text(at(r, 'url'));
    if (!name || !url) continue;
    if (text(at(r, 'oci')) === 'true' || (at(r, 'oci') as { value?: unknown } | undefined)?.value === true) url = /^oci:\/\//i.test(url) ? url : `oci://${url}`;
    repos.set(name, url);
  }
  const out: ChartPin[] = [];
  for (const rel of items(at(doc.root, 'releases'))) {
    const nameNode = at(rel, 'chart');
    const chart = text(nameNode);
    if (!chart || chart.startsWith('.') || chart.startsWith('/')) continue;
    let name = chart;
    let repository: string | undefined;
    if (/^oci:\/\//i.test(chart)) {
      const slash = chart.lastIndexOf('/');
      [repository, name] = [chart.slice(0, slash), chart.slice(slash + 1)];
    } else {
      const slash = chart.indexOf('/');
      if (slash > 0) [repository, name] = [repos.get(chart.slice(0, slash)), chart.slice(slash + 1)];
    }
    const p = pin(doc, { via: 'helmfile', name, nameNode, versionNode: at(rel, 'version'), repository, release: text(at(rel, 'name')) });
    if (p) out.push(p);
  }
  return out;
}
