/**
 * Plans and their pull requests are read by the whole team, on other machines: they name release
 * notes by their path in the repository or by a web link, never by a path on the machine that wrote
 * them. An absolute path (`/home/ops/src/chat/HISTORY.md`, `C:\src\chat`) keeps its last segment.
 */
import type { Review, ReviewItem } from '../releases/review';

const ABSOLUTE = /^(?:\/|~\/|[A-Za-z]:[\\/]|\\\\|file:)/i;
const LEAVES = /^\.\.(?:[\\/]|$)/;

/** An absolute path (or a file: URL): it names this machine. */
export function isAbsolutePath(file: string): boolean {
  return ABSOLUTE.test(file);
}

/** A path that means nothing in the repository: absolute, or relative and leaving it. */
export function isLocalPath(file: string): boolean {
  return ABSOLUTE.test(file) || LEAVES.test(file);
}

/** `/home/ops/src/chat/HISTORY.md` -> `HISTORY.md`; relative paths as they are. */
export function portablePath(file: string): string {
  if (!isLocalPath(file)) return file;
  const parts = file.split(/[\\/]+/).filter(Boolean);
  return parts[parts.length - 1] ?? file;
}

/** A source id with its local paths shortened: `file:/abs/CHANGELOG.md` -> `file:CHANGELOG.md`, `git:/abs/chat` -> `git:chat`. */
export function portableSource(source: string): string {
  const m = /^(file|git):([^#]*)(#.*)?$/i.exec(source);
  if (!m) return source;
  const paths = m[2].split(',').map((p) => portablePath(p.trim()));
  return `${m[1]}:${paths.join(',')}${m[3] ?? ''}`;
}

/**
 * The review as a plan may show it: no item file, link or source id holds a local path. `originals`,
 * when given, maps each item of the result to the item it was made from.
 */
export function portableReview(review: Review, originals?: Map<ReviewItem, ReviewItem>): Review {
  const local = (url: string | undefined) => url !== undefined && !/^https?:\/\//i.test(url);
  return {
    ...review,
    source: portableSource(review.source),
    versions: review.versions.map((v) => ({
      ...v,
      items: v.items.map((item) => {
        if (!isLocalPath(item.file) && !local(item.url)) return item;
        const { url, ...rest } = item;
        const portable: ReviewItem = { ...rest, file: portablePath(item.file), ...(local(url) ? {} : url !== undefined ? { url } : {}) };
        originals?.set(portable, item);
        return portable;
      }),
    })),
  };
}
