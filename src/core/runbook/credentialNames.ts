/**
 * Which names and values look like credentials: a variable, option or key named like a password,
 * token or key, and a value that is a literal rather than a reference or a placeholder.
 */

/** Words that make a name a credential's when they end it (or nearly). */
const CREDENTIAL_WORDS: ReadonlySet<string> = new Set(['PASSWORD', 'PASSWD', 'PASS', 'PWD', 'SECRET', 'TOKEN', 'PASSPHRASE', 'CREDENTIAL', 'CREDENTIALS', 'APIKEY', 'AUTHTOKEN', 'SSHPASS']);
/** Pairs that name a key: API_KEY, ACCESS_KEY, SECRET_KEY, PRIVATE_KEY... */
const KEY_QUALIFIERS: ReadonlySet<string> = new Set(['API', 'ACCESS', 'SECRET', 'PRIVATE', 'AUTH', 'MASTER', 'ENCRYPTION', 'SIGNING', 'CLIENT', 'LICENSE']);
/** A last word that makes the name about a credential rather than the credential itself. */
const NOT_THE_VALUE: ReadonlySet<string> = new Set([
  'FILE', 'PATH', 'DIR', 'NAME', 'ID', 'URL', 'URI', 'HOST', 'PORT', 'USER', 'USERNAME', 'LENGTH', 'LEN', 'TTL', 'TYPE', 'HEADER',
  'ENV', 'VAR', 'REF', 'ARN', 'EXPIRY', 'EXPIRES', 'TIMEOUT', 'LIFETIME', 'COUNT', 'LIMIT', 'MIN', 'MAX', 'POLICY', 'SCOPE',
  'SCOPES', 'ENDPOINT', 'REGION', 'METHOD', 'HASH', 'VERSION', 'MODE', 'ENABLED', 'DISABLED', 'REQUIRED', 'PROMPT', 'STDIN',
  'CMD', 'COMMAND', 'FORMAT', 'ALGORITHM', 'SIZE', 'BITS', 'LOCATION', 'PROVIDER', 'STORE', 'KEYS', 'SECRETS', 'TOKENS', 'FIELD',
  'PREFIX', 'SUFFIX', 'LABEL', 'SELECTOR', 'NAMESPACE', 'MOUNT', 'VOLUME', 'HELPER', 'AGE', 'RESET', 'LOGIN', 'PAGE', 'RULES',
]);
/** A first word that makes the name a switch or a reference: NO_PASSWORD, ASK_PASS, EXISTING_SECRET. */
const NOT_A_VALUE_PREFIX: ReadonlySet<string> = new Set(['NO', 'ASK', 'PROMPT', 'USE', 'SKIP', 'WITH', 'SHOW', 'READ', 'GET', 'EXISTING', 'REQUIRE', 'ALLOW', 'DISABLE', 'ENABLE']);

/** DB_PASSWORD, db-password, auth.password, dbPassword → upper-case words. */
export function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .split(/[._-]+/)
    .filter(Boolean)
    .map((w) => w.toUpperCase());
}

/** The name (of a variable, an option or a key) says its value is a password, a token or a key. */
export function isCredentialName(name: string): boolean {
  const words = nameWords(name);
  if (words.length === 0 || words.length > 12) return false;
  const whole = words.join('_');
  if (whole === 'PWD' || whole === 'OLDPWD') return false;
  if (NOT_THE_VALUE.has(words[words.length - 1])) return false;
  // The switch or reference word starts the name, or its last dotted part: auth.existingSecret.
  const last = nameWords(name.slice(name.lastIndexOf('.') + 1));
  if ((words.length > 1 && NOT_A_VALUE_PREFIX.has(words[0])) || (last.length > 1 && NOT_A_VALUE_PREFIX.has(last[0]))) return false;
  if (whole === 'REDISCLI_AUTH') return true;
  // The credential word is among the last three: PASSWORD_POLICY_URL is about one, not one.
  const tail = words.slice(-3);
  for (let i = 0; i < tail.length; i++) {
    const w = tail[i];
    if (CREDENTIAL_WORDS.has(w) || /PASSWORD|PASSWD|TOKEN$/.test(w)) return true;
    if (w === 'KEY' && i > 0 && KEY_QUALIFIERS.has(tail[i - 1])) return true;
  }
  return false;
}

/** A value that is the name of its field (`password: password`, `user:pass@`): the shape of an example. */
const FIELD_NAMES: ReadonlySet<string> = new Set(['password', 'passwd', 'pass', 'pwd', 'secret', 'token', 'apikey', 'api_key', 'api-key', 'key', 'credential', 'credentials', 'passphrase', 'mypassword', 'mysecret', 'mytoken']);

const BOOLEANISH: ReadonlySet<string> = new Set(['true', 'false', 'yes', 'no', 'on', 'off', 'null', 'none', 'nil', 'undefined', 'required', 'optional', 'prompt', 'stdin', 'env', 'file']);

/**
 * Values that are placeholders, not credentials: `<password>`, `{{ vault_pw }}`, `***`, `...`,
 * `xxxx`, `REDACTED`, `your-token-here`, `example`. (`changeme` is not one: run as written, it is
 * the password, and a well-known one.)
 */
export function isPlaceholder(value: string): boolean {
  const v = value.trim();
  if (v === '' || FIELD_NAMES.has(v.toLowerCase())) return true;
  if (/^<[^<>]*>$/.test(v) || /^\{\{.*\}\}$/.test(v) || /^%[^%]*%$/.test(v) || /^\[[^\]]*\]$/.test(v) || /^\$\{\{.*\}\}$/.test(v)) return true;
  if (/^[*•.…xX#?_-]+$/.test(v) && v.length >= 3) return true;
  if (v.includes('...') || v.includes('…') || v.includes('***') || v.includes('<') || v.includes('{{')) return true;
  return /(example|placeholder|redacted|dummy|replace[_-]?me|your[_-]|[_-]here$|^xxx|xxx$|^fake|^sample|^todo$|^tbd$|^fixme$)/i.test(v);
}

/** A literal that could be a credential: not a placeholder, a switch, a number of a few digits or a path. */
export function looksLikeSecretValue(value: string): boolean {
  if (value.length < 3 || value.length > 4096) return false;
  if (isPlaceholder(value) || BOOLEANISH.has(value.toLowerCase())) return false;
  if (/^\d{1,3}$/.test(value)) return false;
  // A path or a file reference names where the secret is, not the secret.
  if (/^(?:\/|~\/|\.{1,2}\/|@|file:|env:|fd:|keychain:|vault:|secret:|ref\+|arn:)/i.test(value)) return false;
  return !value.startsWith('-');
}

/** Passwords that are the first ones tried. */
export const DEFAULT_PASSWORDS: ReadonlySet<string> = new Set(['admin', 'administrator', 'passw0rd', 'root', 'toor', 'guest', 'changeme', 'change_me', '123456', '12345678', 'test', 'default', 'letmein', 'qwerty', 'admin123', 'password1', 'postgres', 'mysql', 'sa']);
/** Account names that come with the software: half of a guessed login. */
export const DEFAULT_USERS: ReadonlySet<string> = new Set(['admin', 'administrator', 'root', 'guest', 'sa', 'user', 'test', 'postgres', 'elastic', 'rabbit']);
/** The administrator accounts a named one should replace. */
export const ADMIN_USERS: ReadonlySet<string> = new Set(['admin', 'administrator']);

/** A variable name for a credential: upper case, letters, digits and underscores. */
export function variableName(...parts: string[]): string {
  const name = parts
    .flatMap(nameWords)
    .map((w) => w.replace(/[^A-Z0-9]/g, ''))
    .filter(Boolean)
    .join('_')
    .slice(0, 60)
    .replace(/_+$/, '');
  return /^[A-Z_]/.test(name) ? name : `SECRET_${name}`;
}
