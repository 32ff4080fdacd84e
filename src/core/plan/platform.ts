/**
 * The platform a workspace deploys to, as its manifests say: a Helm chart (`Chart.yaml`), OpenShift
 * kinds (DeploymentConfig, Route, ImageStream, BuildConfig) or Kubernetes manifests. The plan's
 * example commands use `oc` on OpenShift, `kubectl` elsewhere, and `helm upgrade`/`helm rollback`
 * when the application comes from a chart.
 *
 * The front ends read the files (a bounded number of small YAML files); this module only looks at
 * their paths and text, line by line.
 */

export interface WorkspaceFile {
  /** Relative to the workspace, with forward slashes. */
  path: string;
  /** The first part of the file; manifests name their kind near the top. */
  text: string;
}

export interface Platform {
  cli: 'kubectl' | 'oc';
  /** The chart's folder relative to the workspace (`charts/chat`), when the workspace holds one. */
  helmChart?: string;
  /** What the choice rests on, for the plan to say: "OpenShift kinds in deploy/app.yaml (DeploymentConfig, Route)". */
  evidence: string[];
}

/** How much of each file is read, and how many files are named as evidence. */
export const MANIFEST_CHARS = 64 * 1024;
const EVIDENCE_FILES = 3;

const OPENSHIFT_KINDS = new Set(['DeploymentConfig', 'Route', 'ImageStream', 'BuildConfig', 'Project', 'Template']);
const KUBERNETES_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'Service', 'Ingress', 'ConfigMap', 'Secret', 'CronJob', 'Job', 'PersistentVolumeClaim']);
const KIND_LINE = /^\s*(?:-\s+)?kind:\s*["']?([A-Za-z]{1,40})["']?\s*(?:#.*)?$/;
const API_VERSION_LINE = /^\s*(?:-\s+)?apiVersion:\s*["']?([\w./-]{1,100})["']?\s*(?:#.*)?$/;

/** Whether a path is one the front ends read: YAML files and Helm's Chart.yaml. */
export function isManifestPath(file: string): boolean {
  return /\.(?:ya?ml)$/i.test(file);
}

/** The platform the files say, or undefined when none of them is a chart or a manifest. */
export function detectPlatform(files: readonly WorkspaceFile[]): Platform | undefined {
  const charts = files.filter((f) => /(?:^|\/)Chart\.ya?ml$/.test(f.path) && /^\s*apiVersion:\s*v[12]\b/m.test(f.text.slice(0, MANIFEST_CHARS)));
  charts.sort((a, b) => depth(a.path) - depth(b.path) || a.path.localeCompare(b.path));
  const openshift: string[] = [];
  const kubernetes: string[] = [];
  for (const file of files) {
    const kinds = manifestKinds(file.text);
    const os = [...kinds].filter((k) => OPENSHIFT_KINDS.has(k.kind) && (k.kind !== 'Template' || k.openshiftApi));
    const routeOrOs = os.length > 0 || [...kinds].some((k) => k.openshiftApi);
    if (routeOrOs) openshift.push(`${file.path} (${[...new Set(os.map((k) => k.kind))].join(', ') || 'openshift.io API'})`);
    else if ([...kinds].some((k) => KUBERNETES_KINDS.has(k.kind))) kubernetes.push(file.path);
  }
  if (!charts.length && !openshift.length && !kubernetes.length) return undefined;
  const evidence: string[] = [];
  const chart = charts[0] ? dirname(charts[0].path) : undefined;
  if (charts[0]) evidence.push(`Helm chart ${charts[0].path}`);
  if (openshift.length) evidence.push(`OpenShift kinds in ${openshift.slice(0, EVIDENCE_FILES).join(', ')}${more(openshift)}`);
  else if (kubernetes.length) evidence.push(`Kubernetes manifests ${kubernetes.slice(0, EVIDENCE_FILES).join(', ')}${more(kubernetes)}`);
  return { cli: openshift.length ? 'oc' : 'kubectl', ...(chart !== undefined ? { helmChart: chart } : {}), evidence };
}

/** The kinds a YAML file declares, read line by line (documents and list items alike). */
function manifestKinds(text: string): Set<{ kind: string; openshiftApi: boolean }> {
  const out = new Set<{ kind: string; openshiftApi: boolean }>();
  const lines = text.slice(0, MANIFEST_CHARS).split('\n');
  let api = '';
  for (const line of lines) {
    // A new YAML document starts without the apiVersion of the one before.
    if (line.startsWith('---')) api = '';
    const a = API_VERSION_LINE.exec(line);
    if (a) api = a[1];
    const k = KIND_LINE.exec(line);
    if (k) out.add({ kind: k[1], openshiftApi: /\.openshift\.io\//.test(api) });
  }
  return out;
}

function more(list: readonly string[]): string {
  return list.length > EVIDENCE_FILES ? ` and ${list.length - EVIDENCE_FILES} more` : '';
}

function depth(file: string): number {
  return file.split('/').length;
}

function dirname(file: string): string {
  const i = file.lastIndexOf('/');
  return i < 0 ? '.' : file.slice(0, i);
}
