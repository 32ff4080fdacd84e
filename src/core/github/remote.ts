/** Which GitHub repository, and which API, a git remote URL points at. */

export interface GitRemote {
  /** `github.com`, `ghe.example.com`, `ghe.example.com:8443`. */
  host: string;
  owner: string;
  repo: string;
  /** `https://api.github.com`, `https://api.acme.ghe.com`, or `https://HOST/api/v3` for GitHub Enterprise Server. */
  apiBaseUrl: string;
}

/**
 * Parses the remote forms git accepts for GitHub: `https://github.com/o/r(.git)`, `ssh://git@host[:port]/o/r`,
 * `git@host:o/r` (scp-like) and `git://host/o/r`. Null for anything else (local paths, other layouts).
 */
export function parseGitRemote(url: string): GitRemote | null {
  const text = url.trim();
  let scheme: string;
  let host: string;
  let pathname: string;
  const scp = /^(?:[^@/\s]+@)?([^:/\s]+):(?!\/\/)(.+)$/.exec(text);
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) {
    let parsed: URL;
    try {
      parsed = new URL(text);
    } catch {
      return null;
    }
    scheme = parsed.protocol.slice(0, -1).toLowerCase();
    if (!['https', 'http', 'ssh', 'git', 'git+ssh', 'ssh+git'].includes(scheme)) return null;
    // An SSH or git-protocol port says nothing about where the web and API servers listen.
    host = scheme === 'https' || scheme === 'http' ? parsed.host : parsed.hostname;
    pathname = decodeURIComponent(parsed.pathname);
  } else if (scp) {
    scheme = 'ssh';
    host = scp[1];
    pathname = scp[2];
  } else {
    return null;
  }
  const m = /^\/*([A-Za-z0-9_-]+)\/([A-Za-z0-9._-]+?)(?:\.git)?\/*$/.exec(pathname);
  if (!m || m[2] === '.' || m[2] === '..') return null;
  host = host.toLowerCase();
  if (host === 'www.github.com' || host === 'ssh.github.com') host = 'github.com';
  return { host, owner: m[1], repo: m[2], apiBaseUrl: apiBaseUrl(host, scheme === 'http' ? 'http' : 'https') };
}

function apiBaseUrl(host: string, scheme: string): string {
  if (host === 'github.com') return 'https://api.github.com';
  // GitHub Enterprise Cloud with data residency: SUBDOMAIN.ghe.com serves its API at api.SUBDOMAIN.ghe.com.
  if (/^[a-z0-9-]+\.ghe\.com$/.test(host)) return `https://api.${host}`;
  return `${scheme}://${host}/api/v3`;
}

/** A pull request named by its web address: `https://github.com/acme/app/pull/12`. */
export interface PullRequestUrl {
  host: string;
  owner: string;
  repo: string;
  number: number;
  apiBaseUrl: string;
}

/**
 * Reads a pull request's web address (github.com, GitHub Enterprise Cloud or Server; a tab such as
 * `/files` or a `#fragment` after the number is allowed). Null for anything else.
 */
export function parsePullRequestUrl(text: string): PullRequestUrl | null {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
  const m = /^\/([A-Za-z0-9_-]+)\/([A-Za-z0-9._-]+)\/pull\/([1-9][0-9]{0,9})(?:\/[a-z-]*)?\/?$/.exec(url.pathname);
  if (!m || m[2] === '.' || m[2] === '..' || url.username || url.password) return null;
  let host = url.host.toLowerCase();
  if (host === 'www.github.com') host = 'github.com';
  return { host, owner: m[1], repo: m[2], number: Number(m[3]), apiBaseUrl: apiBaseUrl(host, url.protocol === 'http:' ? 'http' : 'https') };
}

/** The web address of the GitHub an API address belongs to: `https://api.github.com` → `https://github.com`. */
export function webBaseUrl(apiUrl: string): string {
  const url = new URL(apiUrl);
  const base = url.pathname.replace(/\/+$/, '');
  if (url.host === 'api.github.com') return 'https://github.com';
  if (/^api\.[a-z0-9-]+\.ghe\.com$/i.test(url.host)) return `${url.protocol}//${url.host.slice(4)}`;
  return `${url.protocol}//${url.host}${base.replace(/\/api\/v3$/, '')}`;
}
