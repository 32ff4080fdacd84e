/**
 * `helm:` source specs: `helm:https://charts.example.com#CHART` (a chart repository's index.yaml)
 * and `helm:oci://REGISTRY/PATH/CHART` (an OCI registry). A repository served over plain HTTP is
 * accepted only on a loopback address, as Helm's own tests and local mirrors use.
 */
import type { Result } from '../releases/model';
import { fail, ok } from '../releases/model';

export type ChartLocation =
  | { kind: 'index'; /** Without a trailing slash. */ repository: string; chart: string }
  | { kind: 'oci'; /** `registry.example.com[:port]`. */ registry: string; /** `path/to/chart`, the chart's name last. */ repository: string; chart: string; plainHttp: boolean };

const CHART_RE = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** The `helm:` spec of a chart in a repository (`https://...` or `oci://...`), or undefined for other schemes. */
export function chartSource(repository: string, chart: string): string | undefined {
  const repo = repository.trim().replace(/\/+$/, '');
  if (!CHART_RE.test(chart)) return undefined;
  if (/^oci:\/\//i.test(repo)) return `helm:${repo}/${chart}`;
  if (/^https?:\/\//i.test(repo)) return `helm:${repo}#${chart}`;
  return undefined;
}

/** Reads what follows `helm:`; `pkg` is a `#CHART` suffix the source registry split off. */
export function parseChartSpec(spec: string, pkg?: string): Result<ChartLocation> {
  let rest = spec.trim();
  let chart = pkg;
  const hash = rest.lastIndexOf('#');
  if (chart === undefined && hash !== -1) [rest, chart] = [rest.slice(0, hash), rest.slice(hash + 1)];
  let url: URL;
  try {
    url = new URL(rest);
  } catch {
    return fail('source', `helm: needs a chart repository and chart (helm:https://charts.example.com#CHART or helm:oci://REGISTRY/PATH/CHART), not "${spec}"`);
  }
  if (url.username || url.password) return fail('source', 'helm: takes no credentials in the address');
  if (url.protocol === 'oci:') {
    const segments = url.pathname.split('/').filter(Boolean);
    if (chart !== undefined) segments.push(chart);
    const name = segments[segments.length - 1];
    if (!name || !CHART_RE.test(name) || !url.host) return fail('source', `helm:oci:// needs a registry and the chart's path (helm:oci://registry.example.com/charts/CHART), not "${spec}"`);
    return ok({ kind: 'oci', registry: url.host, repository: segments.join('/'), chart: name, plainHttp: isLoopback(url.hostname) });
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopback(url.hostname))) {
    return fail('source', `helm: chart repositories are read over https:// (or http:// on this machine), not "${url.protocol}"`);
  }
  if (!chart || !CHART_RE.test(chart)) return fail('source', `helm: needs the chart's name after # (helm:${rest}#CHART)`);
  return ok({ kind: 'index', repository: `${url.origin}${url.pathname.replace(/\/+$/, '')}`, chart });
}

export function isLoopback(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127\.\d+\.\d+\.\d+$/.test(h);
}
