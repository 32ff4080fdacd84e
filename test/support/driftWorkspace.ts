/** A workspace of manifests in three environments, for the drift tests and the scan benchmark. */
export interface ManifestFile {
  path: string;
  text: string;
}

export function deployment(name: string, image: string): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
spec:
  template:
    spec:
      containers:
        - name: ${name}
          image: ${image}
          ports:
            - containerPort: 8080
`;
}

export function helmRelease(name: string, chart: string, version: string, repository: string): string {
  return `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: ${name}
  namespace: apps
spec:
  interval: 10m
  chart:
    spec:
      chart: ${chart}
      version: "${version}"
      sourceRef:
        kind: HelmRepository
        name: ${repository}
        namespace: flux-system
`;
}

export function helmRepository(name: string, url: string): string {
  return `apiVersion: source.toolkit.fluxcd.io/v1
kind: HelmRepository
metadata:
  name: ${name}
  namespace: flux-system
spec:
  url: ${url}
`;
}

/** The demo layout: Kustomize overlays dev, staging, prod; prod runs an older Grafana and podinfo chart. */
export function driftWorkspace(): ManifestFile[] {
  return [
    { path: 'infrastructure/sources/podinfo.yaml', text: helmRepository('podinfo', 'https://stefanprodan.github.io/podinfo') },
    { path: 'apps/base/grafana.yaml', text: deployment('grafana', 'grafana/grafana:10.4.0') },
    { path: 'apps/overlays/dev/grafana.yaml', text: deployment('grafana', 'grafana/grafana:11.1.0') },
    { path: 'apps/overlays/staging/grafana.yaml', text: deployment('grafana', 'grafana/grafana:11.1.0') },
    { path: 'apps/overlays/prod/grafana.yaml', text: deployment('grafana', 'grafana/grafana:10.4.2') },
    { path: 'apps/overlays/dev/redis.yaml', text: deployment('redis', 'redis:7.2.4') },
    { path: 'apps/overlays/prod/redis.yaml', text: deployment('redis', 'redis:7.2.4') },
    { path: 'apps/overlays/dev/podinfo.yaml', text: helmRelease('podinfo', 'podinfo', '6.7.0', 'podinfo') },
    { path: 'apps/overlays/prod/podinfo.yaml', text: helmRelease('podinfo', 'podinfo', '6.5.4', 'podinfo') },
  ];
}

/** `count` manifests (Deployments, HelmReleases, values files) spread over environments and apps. */
export function largeWorkspace(count: number): ManifestFile[] {
  const envs = ['dev', 'staging', 'prod'];
  const files: ManifestFile[] = [{ path: 'infrastructure/sources/charts.yaml', text: helmRepository('charts', 'https://charts.example.com') }];
  for (let i = 0; files.length < count; i++) {
    const env = envs[i % 3];
    const app = `app${Math.floor(i / 3) % 300}`;
    const minor = (i % 3) + Math.floor(i / 900);
    if (i % 4 === 0) files.push({ path: `clusters/${env}/${app}/release-${i}.yaml`, text: helmRelease(app, app, `1.${minor}.0`, 'charts') });
    else if (i % 4 === 1) files.push({ path: `charts/${app}/values-${env}-${i}.yaml`, text: `image:\n  repository: example/${app}\n  tag: "2.${minor}.1"\nreplicas: 2\n` });
    else files.push({ path: `apps/${app}/overlays/${env}/deployment-${i}.yaml`, text: deployment(app, `example/${app}:3.${minor}.0`) });
  }
  return files;
}
