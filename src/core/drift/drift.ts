/**
 * Pins grouped by app (what is pinned: an image, a chart, a package), one column per environment,
 * and whether the environments differ. A drifted app's review goes from the oldest version an
 * environment runs to the newest one another runs ("prod 1.2.0 → dev 1.4.0").
 */
import { compareVersions } from '../releases/version';
import { compareEnvironments } from './environments';
import type { PinKind, WorkspacePin } from './scan';

export interface EnvironmentVersions {
  environment: string;
  /** Distinct versions, newest first. */
  versions: string[];
  pins: { path: string; line: number; version: string }[];
}

export interface DriftReview {
  source?: string;
  from: string;
  to: string;
  fromEnvironment: string;
  toEnvironment: string;
}

export interface AppVersions {
  kind: PinKind;
  name: string;
  source?: string;
  /** In promotion order. */
  environments: EnvironmentVersions[];
  /** Pins in files of no environment. */
  unassigned: { path: string; line: number; version: string }[];
  drift: boolean;
  /** For a drifted app: the range between its environments. */
  review?: DriftReview;
}

export interface DriftReport {
  /** Every environment seen, in promotion order. */
  environments: string[];
  /** Drifted apps first, then by kind and name. */
  apps: AppVersions[];
}

export function driftReport(pins: readonly WorkspacePin[]): DriftReport {
  const apps = new Map<string, WorkspacePin[]>();
  const envs = new Set<string>();
  for (const p of pins) {
    const key = `${p.kind}\u0000${p.kind === 'npm' ? p.name : p.name.toLowerCase()}`;
    let list = apps.get(key);
    if (!list) apps.set(key, (list = []));
    list.push(p);
    if (p.environment !== undefined) envs.add(p.environment);
  }
  const out: AppVersions[] = [];
  for (const list of apps.values()) out.push(appVersions(list));
  out.sort((a, b) => Number(b.drift) - Number(a.drift) || a.kind.localeCompare(b.kind) || a.name.localeCompare(b.name));
  return { environments: [...envs].sort(compareEnvironments), apps: out };
}

function appVersions(pins: readonly WorkspacePin[]): AppVersions {
  const byEnv = new Map<string, EnvironmentVersions>();
  const unassigned: AppVersions['unassigned'] = [];
  for (const p of pins) {
    const at = { path: p.path, line: p.line, version: p.version };
    if (p.environment === undefined) {
      unassigned.push(at);
      continue;
    }
    let e = byEnv.get(p.environment);
    if (!e) byEnv.set(p.environment, (e = { environment: p.environment, versions: [], pins: [] }));
    e.pins.push(at);
    if (!e.versions.includes(p.version)) e.versions.push(p.version);
  }
  const environments = [...byEnv.values()].sort((a, b) => compareEnvironments(a.environment, b.environment));
  for (const e of environments) e.versions.sort((a, b) => compareVersions(b, a));
  const distinct = new Set(environments.flatMap((e) => e.versions));
  const first = pins[0];
  const source = pins.find((p) => p.source)?.source;
  const app: AppVersions = { kind: first.kind, name: first.name, ...(source ? { source } : {}), environments, unassigned, drift: distinct.size > 1 };
  if (app.drift) {
    // The environment with the oldest version to the one with the newest: what promoting brings.
    let low = environments[0];
    let high = environments[0];
    for (const e of environments) {
      if (compareVersions(e.versions[e.versions.length - 1], low.versions[low.versions.length - 1]) < 0) low = e;
      if (compareVersions(e.versions[0], high.versions[0]) > 0) high = e;
    }
    app.review = { ...(source ? { source } : {}), from: low.versions[low.versions.length - 1], to: high.versions[0], fromEnvironment: low.environment, toEnvironment: high.environment };
  }
  return app;
}

/** "prod 1.2.0 → dev 1.4.0". */
export function reviewLabel(r: DriftReview): string {
  return `${r.fromEnvironment} ${r.from} → ${r.toEnvironment} ${r.to}`;
}
