/**
 * Sources and files as people read them in the panel, in copied markdown and in plans: never a
 * machine's own path. A local clone (`git:/home/alice/src/upstream`) is named by its folder
 * (`git:upstream`); a changelog given by an absolute path by as many trailing segments as tell it
 * apart from the other files of the source (`CHANGELOG.md`, `api/CHANGELOG.md`). Relative paths
 * are kept: they mean the same in every clone of the workspace.
 */
import { splitPackage } from './sources/registry';

/** Whether a path is absolute here or on Windows (`/srv/app`, `C:\app`, `\\host\share`, `~/app`). */
export function isAbsolutePath(p: string): boolean {
  return /^(?:[/\\~]|[A-Za-z]:[/\\])/.test(p);
}

function segments(p: string): string[] {
  return p.split(/[/\\]+/).filter((s) => s && s !== '.');
}

/**
 * How each path is shown: relative paths as given (with forward slashes), absolute ones by their
 * shortest trailing segments that no other absolute path of the list ends with.
 */
export function displayNames(paths: readonly string[]): string[] {
  const absolute = paths.map((p) => (isAbsolutePath(p) ? segments(p) : undefined));
  const relative = new Set(paths.filter((_, i) => !absolute[i]).map((p) => segments(p).join('/')));
  return paths.map((p, i) => {
    const own = absolute[i];
    if (!own) return segments(p).join('/') || p;
    if (!own.length) return p;
    const whole = own.join('/');
    for (let n = 1; n < own.length; n++) {
      const tail = own.slice(-n).join('/');
      // The same file twice is no clash.
      const clash = relative.has(tail) || absolute.some((other, j) => j !== i && other && other.join('/') !== whole && other.slice(-n).join('/') === tail);
      if (!clash) return tail;
    }
    return whole;
  });
}

/** The source's id without local paths of this machine (see the module comment). */
export function sourceLabel(id: string): string {
  const m = /^(git|file):(.*)$/is.exec(id.trim());
  if (!m) return id;
  const { rest, pkg } = splitPackage(m[2]);
  const scheme = m[1].toLowerCase();
  const paths = (scheme === 'file' ? rest.split(',') : [rest]).map((p) => p.trim()).filter(Boolean);
  if (!paths.length) return id;
  return `${scheme}:${displayNames(paths).join(',')}${pkg !== undefined ? `#${pkg}` : ''}`;
}
