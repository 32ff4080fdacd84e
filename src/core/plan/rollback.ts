/**
 * Rollback readiness in a plan: whether the image to roll back to could still be pulled when the
 * plan was written, and a step that checks it again right before the window. The check itself is
 * the application's (src/app/rollback.ts); this renders what it found.
 */

export interface RollbackCheck {
  /** The image to roll back to, with its tag: `ghcr.io/acme/app:2.3.0`. */
  image: string;
  /** Found; not found (the tag, digest or repository is gone); or the check could not be made. */
  status: 'available' | 'missing' | 'unverified';
  /** When it was checked, ISO 8601 (UTC). */
  checkedAt: string;
  /** The digest found. */
  digest?: string;
  /** Why it is missing or unverified, in one line. */
  reason?: string;
  /** The command that checks again (exit 2 when the image is gone): `preflight resolve 'image:…'`. */
  recheck: string;
}

/** `{{rollbackCheck}}`: the finding, for the plan's Rollback section. */
export function rollbackCheckText(check: RollbackCheck): string {
  const image = code(check.image);
  const at = check.checkedAt.replace(/\.\d+Z$/, 'Z');
  if (check.status === 'available') {
    return `The image to roll back to, ${image}${check.digest ? ` (${code(check.digest)})` : ''}, was verified available at ${at}.`;
  }
  const found = check.status === 'missing' ? `could not be found in its registry at ${at}` : `could not be checked at ${at}`;
  return [
    `> **Warning:** the image to roll back to, ${image}, ${found}${check.reason ? `: ${oneLine(check.reason)}` : ''}.`,
    '> Mirror it to a registry you control (or find another image of that version) before the window,',
    '> and point the rollback step at the mirror.',
  ].join('\n');
}

/** `{{rollbackCheckStep}}`: a step for the window's preparation that fails when the image is gone. */
export function rollbackCheckStep(check: RollbackCheck): string {
  return [
    `- [ ] Check that the image to roll back to, ${code(check.image)}, can still be pulled`,
    '  ```sh {"name":"check-rollback-image","timeout":300}',
    `  ${check.recheck}`,
    '  ```',
  ].join('\n');
}

function code(text: string): string {
  return `\`${oneLine(text).replace(/`/g, "'")}\``;
}

function oneLine(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ').trim();
}
