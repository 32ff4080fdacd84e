/**
 * A deterministic, realistic runbook of `steps` steps, about 120 bytes per step, for
 * benchmarking the parser: front matter, a heading every 20 steps, nested steps, commands
 * with attributes, manual steps, non-runnable blocks and a Rollback section at the end.
 */
export function generateRunbook(steps: number): string {
  const rollbackFrom = steps - Math.max(1, Math.floor(steps / 20));
  const out: string[] = [
    '---',
    'title: Generated fleet upgrade',
    'shell: bash',
    'variables:',
    '  REGION: eu-west-1',
    '  DB_PASSWORD: { prompt: Database password, secret: true }',
    '---',
    '',
    '# Generated fleet upgrade',
    '',
  ];
  for (let i = 0; i < steps; i++) {
    if (i === rollbackFrom) out.push('## Rollback', '');
    else if (i % 20 === 0 && i < rollbackFrom) out.push(`## Phase ${i / 20 + 1}: hosts ${i} to ${i + 19}`, '');
    const host = `web-${String(i).padStart(5, '0')}`;
    switch (i % 6) {
      case 0:
        out.push(
          `- [ ] Drain ${host} from the pool`,
          `  \`\`\`sh {"name":"drain-${i}","timeout":300}`,
          `  kubectl drain ${host} --ignore-daemonsets --delete-emptydir-data --timeout=5m`,
          '  ```',
        );
        break;
      case 1:
        out.push(`  - [x] Check replica lag on ${host}`, '    ```bash', '    ./scripts/replica-lag.sh --region "$REGION" --max-seconds 30', '    ```');
        break;
      case 2:
        out.push(`- [ ] Confirm the dashboards for ${host} are green and the error rate is below 0.1%`);
        break;
      case 3:
        out.push(
          `1. [ ] Restart ${host}`,
          `   \`\`\`sh {"confirm":"restart","cwd":"ops"}`,
          `   ssh ${host} sudo systemctl restart app@${i}.service`,
          '   ```',
        );
        break;
      case 4:
        out.push(`* [ ] Record the running version of ${host} in the upgrade sheet`, '  ```json', `  {"host":"${host}"}`, '  ```');
        break;
      default:
        out.push(`- [ ] Tell #ops-upgrades that ${host} is done, with a link to the change ticket`, '');
    }
  }
  return `${out.join('\n')}\n`;
}
