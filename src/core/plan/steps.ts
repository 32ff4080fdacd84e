/**
 * The plan's generated steps: placeholders that fail with a TODO until the team replaces them, with
 * example commands for the platform the workspace deploys to (`kubectl`, `oc`, Helm) and the
 * databases the release notes name.
 */
import { databaseExamples } from './databases';
import type { Platform } from './platform';
import type { DatabaseId } from './stack';

export interface StepAttrs {
  name: string;
  confirm?: string;
  timeout?: number;
}

/** What the example commands are written for. */
export interface StepContext {
  platform?: Platform;
  databases: readonly DatabaseId[];
}

/** A task-list step whose command fails with a TODO until the team replaces it. */
export function todoStep(text: string, attrs: StepAttrs, todo: string, examples: string[], before: string[] = []): string {
  return [
    `- [ ] ${text}`,
    `  \`\`\`sh ${JSON.stringify(attrs)}`,
    ...before.map((l) => `  ${l}`),
    '  # TODO: e.g.',
    ...examples.map((e) => `  #   ${e}`),
    `  echo "TODO: ${todo}" >&2`,
    '  exit 1',
    '  ```',
  ].join('\n');
}

/** The cluster command with its namespace. */
export function clusterCli(ctx: StepContext): string {
  return `${ctx.platform?.cli ?? 'kubectl'} -n "$NAMESPACE"`;
}

/** The application's workload: a DeploymentConfig on OpenShift when the manifests hold one. */
export function workload(ctx: StepContext): string {
  return ctx.platform?.evidence.some((e) => e.includes('DeploymentConfig')) ? 'dc/"$APP"' : 'deployment/"$APP"';
}

function helm(ctx: StepContext, sets: string, timeout: string): string | undefined {
  const chart = ctx.platform?.helmChart;
  if (chart === undefined) return undefined;
  const path = chart === '.' ? '.' : `./${chart.replace(/[^\w./-]/g, '')}`;
  return `helm upgrade "$APP" ${path} -n "$NAMESPACE" --reuse-values ${sets} --wait --timeout ${timeout}`;
}

export function recreateSteps(intermediateVersions: readonly string[], ctx: StepContext): string[] {
  const cli = clusterCli(ctx);
  const w = workload(ctx);
  const image = (v: string) => `${cli} set image ${w} "$APP=registry.example.com/$APP:${v}"`;
  // Versions go into a fence's info string and shell lines: keep only what versions are made of.
  const hops = [...new Set(intermediateVersions.map((v) => v.replace(/[^\w.+-]/g, '')))].map((version) =>
    todoStep(
      `Upgrade to the intermediate version ${version} with one replica, and wait until it has started and migrated the database`,
      { name: `upgrade-to-${version}`, confirm: 'upgrade', timeout: 3600 },
      `upgrade $APP to ${version}`,
      [helm(ctx, `--set image.tag=${version} --set replicaCount=1`, '60m')].filter((l): l is string => !!l).concat(
        ctx.platform?.helmChart !== undefined ? [] : [image(version), `${cli} scale ${w} --replicas=1`, `${cli} rollout status ${w} --timeout=3600s`],
      ),
    ),
  );
  const deploy = helm(ctx, '--set image.tag="$TO_VERSION" --set replicaCount=1', '30m');
  const scaleUp = helm(ctx, '--set replicaCount=3', '15m');
  return [
    todoStep('Switch the route to the maintenance instance', { name: 'route-maintenance', confirm: 'maintenance' }, 'switch the route of $APP to the maintenance instance', [
      `${cli} patch service "$APP" -p '{"spec":{"selector":{"app":"maintenance"}}}'`,
    ]),
    todoStep('Scale $APP down to zero so that no instance of the old version uses the database', { name: 'scale-down', confirm: 'downtime', timeout: 600 }, 'scale $APP down to zero', [
      `${cli} scale ${w} --replicas=0`,
      `${cli} wait --for=delete pod -l app="$APP" --timeout=540s`,
    ]),
    ...hops,
    todoStep(
      'Deploy $TO_VERSION with one replica and the recreate strategy',
      { name: 'upgrade', confirm: 'upgrade', timeout: 1800 },
      'deploy $APP $TO_VERSION',
      deploy
        ? [deploy]
        : [`${cli} patch ${w} -p '{"spec":{"strategy":{"type":"Recreate","rollingUpdate":null}}}'`, image('$TO_VERSION'), `${cli} scale ${w} --replicas=1`],
    ),
    todoStep('Run the database migration, or follow the one $APP runs at start-up, until it has finished', { name: 'migrate', confirm: 'migrate', timeout: 3600 }, 'run or follow the migration of $APP', [
      `${cli} rollout status ${w} --timeout=3600s`,
      `${cli} logs ${w} | grep -i migrat`,
    ]),
    todoStep('Scale $APP back up to its usual replica count', { name: 'scale-up', confirm: 'scale', timeout: 900 }, 'scale $APP back up', scaleUp ? [scaleUp] : [
      `${cli} scale ${w} --replicas=3`,
      `${cli} rollout status ${w} --timeout=900s`,
    ]),
  ];
}

export function rollingSteps(ctx: StepContext): string[] {
  const cli = clusterCli(ctx);
  const w = workload(ctx);
  const deploy = helm(ctx, '--set image.tag="$TO_VERSION"', '30m');
  return [
    todoStep('Roll out $TO_VERSION one instance at a time, and wait until every instance runs it', { name: 'rolling-upgrade', confirm: 'upgrade', timeout: 1800 }, 'roll out $APP $TO_VERSION', deploy ? [deploy] : [
      `${cli} set image ${w} "$APP=registry.example.com/$APP:$TO_VERSION"`,
      `${cli} rollout status ${w} --timeout=1800s`,
    ]),
  ];
}

/** Backup and its verification, with the commands of the databases the notes name. */
export function backupSteps(ctx: StepContext): string[] {
  const cli = clusterCli(ctx);
  const dbs = ctx.databases;
  return [
    todoStep(
      'Take a backup of the database and of the files $APP stores',
      { name: 'backup', confirm: 'production', timeout: 3600 },
      'take the backup of $APP',
      dbs.length ? databaseExamples(dbs, cli, 'backup') : [`${cli} exec deploy/"$APP"-db -- pg_dump --format=custom > "$BACKUP_DIR/$APP-$FROM_VERSION.dump"`],
      ['mkdir -p "$BACKUP_DIR"'],
    ),
    todoStep(
      'Verify the backup by restoring it into a scratch database',
      { name: 'verify-backup', timeout: 3600 },
      'verify the backup of $APP',
      dbs.length ? databaseExamples(dbs, cli, 'verify') : ['pg_restore --dbname=scratch --clean "$BACKUP_DIR/$APP-$FROM_VERSION.dump"'],
    ),
  ];
}

/** The rollback's restore and the redeploy of the previous version. */
export function restoreSteps(ctx: StepContext): string[] {
  const cli = clusterCli(ctx);
  const w = workload(ctx);
  const dbs = ctx.databases;
  return [
    todoStep(
      'Restore the backup',
      { name: 'restore', confirm: 'restore', timeout: 3600 },
      'restore the backup of $APP',
      dbs.length
        ? databaseExamples(dbs, cli, 'restore')
        : [`${cli} exec -i deploy/"$APP"-db -- pg_restore --clean --dbname="$APP" < "$BACKUP_DIR/$APP-$FROM_VERSION.dump"`],
    ),
    todoStep(
      'Redeploy the previous version $FROM_VERSION',
      { name: 'rollback-deploy', confirm: 'rollback', timeout: 1800 },
      'redeploy $APP $FROM_VERSION',
      ctx.platform?.helmChart !== undefined
        ? ['helm history "$APP" -n "$NAMESPACE"', 'helm rollback "$APP" <REVISION> -n "$NAMESPACE" --wait --timeout 30m']
        : [`${cli} set image ${w} "$APP=registry.example.com/$APP:$FROM_VERSION"`, `${cli} scale ${w} --replicas=3`, `${cli} rollout status ${w} --timeout=1800s`],
    ),
  ];
}
