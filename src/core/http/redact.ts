/**
 * Credentials out of what people read: every message and log line that can hold a URL goes through
 * `redactSecrets`. A URL keeps its scheme, host, path and harmless parameters; its userinfo
 * (`user:token@`) and the values of token-like query or fragment parameters become `***`, and so
 * do bare tokens of the forms GitHub and npm issue.
 */

const MASK = '***';

/** Query and fragment parameters that carry credentials (case-insensitive). */
const SECRET_PARAM = /^(?:access_?token|token|auth|authorization|code|key|api[-_]?key|apikey|sig|signature|secret|client_secret|password|passwd|pwd|session|sessionid|jwt|private[-_]token|x-amz-(?:signature|credential|security-token)|x-goog-(?:signature|credential))$|token|secret|passw|signature|credential/i;

/** `ghp_…`, `gho_…`, `ghu_…`, `ghs_…`, `ghr_…`, `github_pat_…`, `npm_…`, `glpat-…`. */
const BARE_TOKEN = /\b(?:gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,}|npm_[A-Za-z0-9]{20,}|glpat-[A-Za-z0-9_-]{20,})\b/g;

/** A URL in running text: a scheme, `://`, and everything up to whitespace, a quote or a bracket. */
const URL_IN_TEXT = /\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>`]+/gi;

/** The URL with its userinfo and credential-like parameter values replaced by `***`. */
export function redactUrl(url: string): string {
  const m = /^([a-z][a-z0-9+.-]*:\/\/)([^/?#]*)(.*)$/is.exec(url);
  if (!m) return url;
  const [, scheme, authority, rest] = m;
  // The host follows the last @ of the authority: a raw @ in a password is still the password's.
  const at = authority.lastIndexOf('@');
  const host = at < 0 ? authority : `${MASK}@${authority.slice(at + 1)}`;
  const tail = rest.replace(/([?&;#])([^=&;#\s]+)=([^&;#\s]*)/g, (all, sep: string, name: string, value: string) => {
    let decoded = name;
    try {
      decoded = decodeURIComponent(name);
    } catch {
      // keep the raw name
    }
    return value && SECRET_PARAM.test(decoded) ? `${sep}${name}=${MASK}` : all;
  });
  return `${scheme}${host}${tail}`;
}

/** The text with every URL in it redacted, and bare tokens masked. */
export function redactSecrets(text: string): string {
  return text.replace(URL_IN_TEXT, (url) => {
    // Trailing punctuation belongs to the sentence, not to the URL.
    const end = /[.,;:!?)\]}]+$/.exec(url)?.[0] ?? '';
    return redactUrl(url.slice(0, url.length - end.length)) + end;
  }).replace(BARE_TOKEN, MASK);
}

/** A URL without its userinfo, and the credentials it held (decoded), for an Authorization header instead. */
export function splitCredentials(url: string): { url: string; username?: string; password?: string } {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { url };
  }
  if (!parsed.username && !parsed.password) return { url };
  const decode = (s: string) => {
    try {
      return decodeURIComponent(s);
    } catch {
      return s;
    }
  };
  const out = { username: decode(parsed.username), password: parsed.password ? decode(parsed.password) : undefined };
  parsed.username = '';
  parsed.password = '';
  // URL normalises; keep the caller's spelling apart from the credentials.
  const m = /^([a-z][a-z0-9+.-]*:\/\/)[^/?#]*@(.*)$/is.exec(url);
  return { url: m ? `${m[1]}${m[2]}` : parsed.href, ...out };
}
