/**
 * The databases, runtimes and platforms a plan can name, and which databases a review's release
 * notes name: the plan's backup, restore and version checks are written for those.
 */
import type { Review } from '../releases/review';

export type DatabaseId = 'mongodb' | 'postgresql' | 'mysql' | 'mariadb' | 'redis';
export type EngineId = DatabaseId | 'elasticsearch' | 'node' | 'python' | 'ruby' | 'php' | 'java' | 'go' | 'erlang' | 'kubernetes' | 'openshift';

export interface Engine {
  id: EngineId;
  /** As people write it: "MongoDB", "Node.js". */
  label: string;
  kind: 'database' | 'runtime' | 'platform';
}

export const ENGINES: Readonly<Record<EngineId, Engine>> = {
  mongodb: { id: 'mongodb', label: 'MongoDB', kind: 'database' },
  postgresql: { id: 'postgresql', label: 'PostgreSQL', kind: 'database' },
  mysql: { id: 'mysql', label: 'MySQL', kind: 'database' },
  mariadb: { id: 'mariadb', label: 'MariaDB', kind: 'database' },
  redis: { id: 'redis', label: 'Redis', kind: 'database' },
  elasticsearch: { id: 'elasticsearch', label: 'Elasticsearch', kind: 'database' },
  node: { id: 'node', label: 'Node.js', kind: 'runtime' },
  python: { id: 'python', label: 'Python', kind: 'runtime' },
  ruby: { id: 'ruby', label: 'Ruby', kind: 'runtime' },
  php: { id: 'php', label: 'PHP', kind: 'runtime' },
  java: { id: 'java', label: 'Java', kind: 'runtime' },
  go: { id: 'go', label: 'Go', kind: 'runtime' },
  erlang: { id: 'erlang', label: 'Erlang/OTP', kind: 'runtime' },
  kubernetes: { id: 'kubernetes', label: 'Kubernetes', kind: 'platform' },
  openshift: { id: 'openshift', label: 'OpenShift', kind: 'platform' },
};

/**
 * Names of engines in text. Alternatives of literal words, tried at word starts only: linear in the
 * text. `redis-rb` (a client library) and `JavaScript` are not the engines.
 */
export const ENGINE_NAME = /\b(mongo(?:db)?|postgres(?:ql)?|mysql|mariadb|redis|elasticsearch|node(?:\.?js)?|python|ruby|php|java|golang|go|erlang(?:\/otp)?|kubernetes|k8s|openshift)\b(?!-\w)/gi;

const SAME_NAME = new Set<string>(['mysql', 'mariadb', 'redis', 'elasticsearch', 'python', 'ruby', 'php', 'java', 'kubernetes', 'openshift']);

/** The engine a name found by ENGINE_NAME (or an engine list's entry, "MongoDB", "Node") stands for. */
export function engineOf(name: string): EngineId | undefined {
  const n = name.toLowerCase().replace(/\s+/g, '');
  if (/^mongo(?:db)?$/.test(n)) return 'mongodb';
  if (/^postgres(?:ql)?$/.test(n)) return 'postgresql';
  if (SAME_NAME.has(n)) return n as EngineId;
  if (/^node(?:\.?js)?$/.test(n)) return 'node';
  if (n === 'go' || n === 'golang') return 'go';
  if (/^erlang(?:\/otp)?$/.test(n)) return 'erlang';
  if (n === 'k8s') return 'kubernetes';
  return undefined;
}

const DATABASE_IDS: readonly DatabaseId[] = ['mongodb', 'postgresql', 'mysql', 'mariadb', 'redis'];

/** The most databases a plan writes backup commands for: more are noise a team deletes. */
const MAX_DATABASES = 3;

/** How much of one item is looked at for names. */
const ITEM_CHARS = 4000;

/** Weights: an engine list's entry, a name in an item flagged for the database, a name elsewhere. */
const LISTED = 100;
const FLAGGED = 10;

/**
 * The databases the release notes name, most relevant first. When the engine lists or the items
 * flagged for the database name some, only those: a store named once in a passing fix is not one
 * the application runs on.
 */
export function namedDatabases(review: Review): DatabaseId[] {
  const score = new Map<DatabaseId, number>();
  const add = (id: EngineId | undefined, weight: number) => {
    if (id && (DATABASE_IDS as readonly string[]).includes(id)) score.set(id as DatabaseId, (score.get(id as DatabaseId) ?? 0) + weight);
  };
  for (const e of review.engines) add(engineOf(e.name), LISTED);
  for (const version of review.versions) {
    for (const item of version.items) {
      const flagged = item.risks.some((r) => r === 'db_engine_requirement' || r === 'db_migration' || r === 'data_loss' || r === 'db_lock_or_downtime');
      for (const m of item.text.slice(0, ITEM_CHARS).matchAll(ENGINE_NAME)) add(engineOf(m[1]), flagged ? FLAGGED : 1);
    }
  }
  const threshold = [...score.values()].some((n) => n >= FLAGGED) ? FLAGGED : 1;
  return [...score]
    .filter(([, n]) => n >= threshold)
    .sort((a, b) => b[1] - a[1] || DATABASE_IDS.indexOf(a[0]) - DATABASE_IDS.indexOf(b[0]))
    .slice(0, MAX_DATABASES)
    .map(([id]) => id);
}
