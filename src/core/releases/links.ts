/** Where a person reads an item of a review on the web: its release page, or its file on GitHub at the ref it was read at. */
import type { ReviewItem } from './review';

/**
 * A web link to the item, or undefined when its source has none (local files and clones).
 * `webBase` is GitHub's web address (`https://github.com`, or an Enterprise Server's).
 */
export function itemWebLink(source: string, item: Pick<ReviewItem, 'file' | 'line' | 'ref' | 'url'>, webBase = 'https://github.com'): string | undefined {
  if (item.url && /^https?:/i.test(item.url)) return item.url.includes('/blob/') && !item.url.includes('#') ? `${item.url}#L${item.line}` : item.url;
  const repo = /^github:([^#]+)/i.exec(source.trim())?.[1]?.trim().replace(/\/+$/, '');
  if (!repo) return undefined;
  const web = webBase.replace(/\/+$/, '');
  const release = /^releases\/(.+)$/.exec(item.file);
  if (release) return `${web}/${repo}/releases/tag/${encodeURIComponent(release[1])}`;
  return `${web}/${repo}/blob/${encodeURIComponent(item.ref ?? 'HEAD')}/${item.file.split('/').map(encodeURIComponent).join('/')}#L${item.line}`;
}

/** GitHub's web address for an API address: `https://ghe.example.com/api/v3` -> `https://ghe.example.com`. */
export function githubWebBase(apiUrl: string | undefined): string {
  if (!apiUrl) return 'https://github.com';
  const trimmed = apiUrl.replace(/\/+$/, '');
  if (/^https:\/\/api\.github\.com$/i.test(trimmed)) return 'https://github.com';
  const ghe = /^https:\/\/api\.([a-z0-9-]+\.ghe\.com)$/i.exec(trimmed);
  if (ghe) return `https://${ghe[1]}`;
  return trimmed.replace(/\/api\/v3$/i, '');
}
