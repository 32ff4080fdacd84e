/**
 * Secrets hygiene: code blocks that hard-code what looks like a credential (a password, token or
 * key assigned or passed to a command, a URL with user:password, a private key, default
 * credentials, the default admin account). Each finding says where the literal is and how it is
 * quoted, so that a quick fix can turn it into a variable (see secretFix.ts). Every line is read
 * once by patterns that run in time linear in its length.
 */
import { lineStarts } from '../text/lines';
import { ADMIN_USERS, DEFAULT_PASSWORDS, DEFAULT_USERS, isCredentialName, isPlaceholder, looksLikeSecretValue, variableName } from './credentialNames';
import type { CodeBlock, Runbook } from './model';
import { initialState, Quote, quoteMap, unquote, Words } from './shellLine';

export type SecretCode = 'hard-coded-secret' | 'default-credentials' | 'default-admin-user';

/** How the text a fix replaces is quoted, which decides what replaces it. */
export type ReplaceContext =
  /** `NAME=value` as a word of its own: `$VAR`. */
  | 'assignment'
  /** A whole word, or an unquoted part of one: `"$VAR"`. */
  | 'word'
  | 'double'
  | 'single'
  | 'comment'
  /** A here-document that expands: `${VAR}`. */
  | 'heredoc';

export interface SecretFinding {
  code: SecretCode;
  /** What it looks like: "a password", "a GitHub token". */
  what: string;
  message: string;
  /** The literal, in the file: 0-based line and columns. */
  line: number;
  column: number;
  endColumn: number;
  /** The literal's value, unquoted. */
  value: string;
  /** The variable a fix would make. */
  name: string;
  /** A fix makes a `secret: true` variable; false for the admin account's name (a plain variable). */
  secret: boolean;
  /** What a fix replaces (offsets in the runbook's text) and how it is quoted; undefined when no fix can (a private key, a block that is not shell, a quoted here-document). */
  replace?: { offset: number; length: number; context: ReplaceContext };
}

interface Hit {
  code: SecretCode;
  what: string;
  name: string;
  secret?: boolean;
  value: string;
  /** The literal's columns in the line. */
  start: number;
  end: number;
  /** The columns a fix replaces, and how; default: the literal, quoted as the line says. */
  replace?: { start: number; end: number; context: ReplaceContext } | null;
}

const TOKENS: readonly { re: RegExp; what: string; name: string }[] = [
  { re: /\b(?:AKIA|ASIA|ABIA|ACCA)[0-9A-Z]{16}\b/g, what: 'an AWS access key', name: 'AWS_ACCESS_KEY_ID' },
  { re: /\bgh[pousr]_[A-Za-z0-9]{36,255}\b/g, what: 'a GitHub token', name: 'GITHUB_TOKEN' },
  { re: /\bgithub_pat_[A-Za-z0-9_]{22,255}\b/g, what: 'a GitHub token', name: 'GITHUB_TOKEN' },
  { re: /\bglpat-[A-Za-z0-9_-]{20,255}/g, what: 'a GitLab token', name: 'GITLAB_TOKEN' },
  { re: /\bxox[abposr]-[A-Za-z0-9-]{10,255}/g, what: 'a Slack token', name: 'SLACK_TOKEN' },
  { re: /\b[rs]k_live_[A-Za-z0-9]{16,255}/g, what: 'a Stripe key', name: 'STRIPE_API_KEY' },
  { re: /\bAIza[0-9A-Za-z_-]{35}(?![0-9A-Za-z_-])/g, what: 'a Google API key', name: 'GOOGLE_API_KEY' },
  { re: /\bnpm_[A-Za-z0-9]{36}\b/g, what: 'an npm token', name: 'NPM_TOKEN' },
  { re: /\bhv[sb]\.[A-Za-z0-9_-]{24,255}/g, what: 'a Vault token', name: 'VAULT_TOKEN' },
  { re: /\bsk-(?:proj-)?[A-Za-z0-9_-]{32,255}/g, what: 'an API key', name: 'OPENAI_API_KEY' },
];

const PRIVATE_KEY = /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----/;
const URL_CREDENTIALS = /\b([A-Za-z][A-Za-z0-9+.-]{0,30}):\/\/([^\s:/@'"`]{1,256}):([^\s/@'"`]{1,256})@/g;
const AUTH_HEADER = /\b(?:Proxy-)?Authorization[ \t]*:[ \t]*(Bearer|Basic|Token|Bot|Digest)[ \t]+([^\s'"\\]{1,4096})/gi;
const KEY_HEADER = /\b(X-Api-Key|X-Auth-Token|Private-Token|X-Vault-Token|Api-Key|X-Access-Token)[ \t]*:[ \t]*([^\s'"\\]{1,4096})/gi;
const ASSIGNMENT = /(?<=^|[\s;&|(`{=,])(?:(export|local|declare|typeset|readonly)[ \t]+(?:-[A-Za-z]+[ \t]+)*)?([A-Za-z_][\w.-]{0,200})=/g;
const LONG_OPTION = /(?<=^|[\s"'])--([A-Za-z][A-Za-z0-9-]{0,100})(=|[ \t]+)/g;
const DEFAULT_PAIR = /(?<![\w/.-])(admin|administrator|root|guest|sa)\/(admin|administrator|password|passw0rd|root|toor|guest|changeme|123456|default)(?![\w/.-])/gi;
const KEY_VALUE = /(?<=^|[\s{,"'&?])(["']?)([A-Za-z_][\w.-]{0,200})\1[ \t]*[:=][ \t]*("[^"\n]{0,512}"|'[^'\n]{0,512}'|[^\s,#;}\]"'`][^\s,#;}\]"'`]{0,4095})/g;
const USER_OPTION = /(?<=^|\s)(--user(?:name)?|-u|-U|--login)(=|[ \t]+)/g;

/** Commands whose `--password` alone asks for it (the next word is not the password). */
const MYSQL = /(?<![\w.-])(?:mysql|mysqldump|mysqladmin|mysqlimport|mysqlcheck|mysqlpump|mysqlshow|mariadb|mariadb-dump|mariadb-admin)(?![\w.-])/;
/** Commands whose `-p WORD` is a password. */
const SHORT_P = /(?<![\w.-])(?:(?:docker|podman|nerdctl|buildah|skopeo|helm)\s(?:[^;&|]*\s)?login|sshpass|oc\s+login)(?![\w.-])/;


/** The command of the simple command that starts at `from`: the first word that is not an assignment, `sudo` or an option (a few words at most). */
function commandName(line: string, from = 0): string | undefined {
  const words = line.slice(from, from + 200).trim().split(/\s+/).slice(0, 8);
  for (const word of words) {
    if (/^[A-Za-z_]\w*=/.test(word) || ['sudo', 'env', 'exec', 'time', 'nohup', 'command', 'builtin'].includes(word) || word.startsWith('-')) continue;
    const base = word.split('/').pop()!.replace(/['"]/g, '');
    if (/^mysql|^mariadb/.test(base)) return 'MYSQL';
    if (/^mongo/.test(base)) return 'MONGO';
    if (/^(psql|pg_)/.test(base)) return 'PG';
    return /^[A-Za-z][\w-]{0,30}$/.test(base) ? base : undefined;
  }
  return undefined;
}

/** The literal of a value word: inside its quotes when the whole word is one quoted string. */
function literalSpan(line: string, start: number, end: number): [number, number] {
  const q = line[start];
  if ((q === "'" || q === '"') && end - start >= 2 && line[end - 1] === q) return [start + 1, end - 1];
  return [start, end];
}

/** The hits of one line of a shell block. */
function shellHits(line: string, map: Uint8Array): Hit[] {
  const hits: Hit[] = [];
  const words = new Words(line, map);
  const inWord = (i: number) => map[i] === Quote.None || map[i] === Quote.Comment;
  // Where the simple command around each position starts: after the last ; | & before it.
  const segmentStart = new Int32Array(line.length + 1);
  for (let j = 0, start = 0; j <= line.length; j++) {
    segmentStart[j] = start;
    if (j < line.length && map[j] === Quote.None && /[;&|]/.test(line[j])) start = j + 1;
  }
  /** A value word at `at`: its literal, unless it expands something or is not a credential. */
  const valueWord = (at: number): { start: number; end: number; value: string } | undefined => {
    if (at >= line.length) return undefined;
    if (map[at] === Quote.Heredoc || map[at] === Quote.LiteralHeredoc) {
      let end = at;
      while (end < line.length && !/\s/.test(line[end])) end++;
      const [s, e] = literalSpan(line, at, end);
      const value = line.slice(s, e);
      return value.includes('$') ? undefined : { start: at, end, value };
    }
    const end = words.end(at);
    // Longer than any credential: not read further, which keeps every line linear.
    if (end === at || end - at > 4096 || words.expands(at, end)) return undefined;
    return { start: at, end, value: unquote(line, at, end) };
  };
  const push = (code: SecretCode, what: string, name: string, word: { start: number; end: number; value: string }, context: ReplaceContext) => {
    if (!looksLikeSecretValue(word.value)) return;
    const [start, end] = literalSpan(line, word.start, word.end);
    // In a here-document the quotes are text: only the literal is replaced (see CONTEXT).
    const heredoc = map[word.start] === Quote.Heredoc || map[word.start] === Quote.LiteralHeredoc;
    const isDefault = DEFAULT_PASSWORDS.has(word.value.toLowerCase());
    hits.push({
      code: isDefault ? 'default-credentials' : code,
      what: isDefault ? `a well-known default password ("${word.value}")` : what,
      name,
      value: word.value,
      start,
      end,
      replace: heredoc ? undefined : { start: word.start, end: word.end, context },
    });
  };

  const mysql = MYSQL.test(line);
  for (const m of line.matchAll(ASSIGNMENT)) {
    const name = m[2];
    const at = m.index! + m[0].length;
    const nameAt = at - name.length - 1;
    if (!isCredentialName(name) || map[nameAt] === Quote.Single || map[nameAt] === Quote.Double) continue;
    const word = valueWord(at);
    if (!word) continue;
    const envName = /^[A-Za-z_]\w*$/.test(name);
    // An assignment of the command itself (not an argument, as in `env A=b cmd`, `make A=b`): no word splitting, so a bare $NAME.
    const lead = line.slice(segmentStart[nameAt], nameAt);
    const plain = envName && m[1] === undefined && lead.length < 512 && /^[\s(]*(?:[A-Za-z_]\w*=[^\s;&|]*\s+)*$/.test(lead);
    push('hard-coded-secret', 'a password, token or key', envName && name === name.toUpperCase() ? name : variableName(name), word, map[nameAt] === Quote.Comment ? 'comment' : plain ? 'assignment' : 'word');
  }

  for (const m of line.matchAll(LONG_OPTION)) {
    const flag = m[1];
    if (!isCredentialName(flag) || !inWord(m.index!)) continue;
    const spaced = m[2] !== '=';
    if (spaced && /^(?:pass|password|passwd)$/i.test(flag) && mysql) continue;
    const word = valueWord(m.index! + m[0].length);
    if (!word || (spaced && line[word.start] === '-')) continue;
    const command = /^(?:pass|password|passwd|token|secret|api-key|apikey)$/i.test(flag) ? commandName(line, segmentStart[m.index!]) : undefined;
    push('hard-coded-secret', /token/i.test(flag) ? 'a token' : /key/i.test(flag) ? 'a key' : /secret/i.test(flag) ? 'a secret' : 'a password', variableName(...(command ? [command] : []), flag), word, 'word');
  }

  // mysql -psecret, -p'secret'; docker login -p secret; sshpass -p secret; redis-cli -a secret.
  const shortP = SHORT_P.test(line);
  const redis = /(?<![\w.-])redis-cli(?![\w.-])/.test(line);
  for (let i = line.indexOf('-'); i >= 0; i = line.indexOf('-', i + 1)) {
    if (i > 0 && !/\s/.test(line[i - 1])) continue;
    if (!inWord(i)) continue;
    const flag = line[i + 1];
    const next = line[i + 2];
    if (flag === 'p' && next !== undefined && !/\s/.test(next) && (mysql || next === "'" || next === '"') && next !== '-') {
      const word = valueWord(i + 2);
      if (word) push('hard-coded-secret', 'a password', 'MYSQL_PASSWORD', word, 'word');
    } else if (((flag === 'p' && shortP) || (flag === 'a' && redis)) && (next === ' ' || next === '\t')) {
      let at = i + 2;
      while (line[at] === ' ' || line[at] === '\t') at++;
      const word = line[at] === '-' ? undefined : valueWord(at);
      const name = flag === 'a' ? 'REDISCLI_AUTH' : /sshpass/.test(line) ? 'SSHPASS' : variableName(commandName(line, segmentStart[i]) ?? '', 'PASSWORD');
      if (word) push('hard-coded-secret', 'a password', name, word, 'word');
    }
  }

  // curl -u user:password / --user=user:password
  if (/(?<![\w.-])curl(?![\w.-])/.test(line)) {
    for (const m of line.matchAll(USER_OPTION)) {
      if (m[1] === '-U' || !inWord(m.index!)) continue;
      const at = m.index! + m[0].length;
      const end = words.end(at);
      if (end === at || end - at > 4096) continue;
      const q = line[at] === "'" || line[at] === '"' ? 1 : 0;
      let colon = at;
      while (colon < end && line[colon] !== ':') colon++;
      if (colon >= end - q - 1) continue;
      const user = unquote(line, at, colon);
      const passStart = colon + 1;
      const passEnd = end - (q && line[end - 1] === line[at] ? 1 : 0);
      const pass = line.slice(passStart, passEnd);
      if (pass.includes('$') || pass.includes('`') || !looksLikeSecretValue(pass)) continue;
      const isDefault = DEFAULT_PASSWORDS.has(pass.toLowerCase()) || (pass === user && DEFAULT_USERS.has(user.toLowerCase()));
      hits.push({ code: isDefault ? 'default-credentials' : 'hard-coded-secret', what: isDefault ? `default credentials ("${user}:${pass}")` : 'a password', name: variableName(/^\w+$/.test(user) ? user : 'CURL', 'PASSWORD'), value: pass, start: passStart, end: passEnd });
    }
  }

  for (const m of line.matchAll(USER_OPTION)) {
    if (!inWord(m.index!)) continue;
    const word = valueWord(m.index! + m[0].length);
    if (!word || !ADMIN_USERS.has(word.value.toLowerCase())) continue;
    const [s, e] = literalSpan(line, word.start, word.end);
    hits.push({ code: 'default-admin-user', what: `the default admin account ("${word.value}")`, name: 'ADMIN_USER', secret: false, value: word.value, start: s, end: e, replace: { start: word.start, end: word.end, context: 'word' } });
  }
  for (const m of line.matchAll(ASSIGNMENT)) {
    const name = m[2];
    if (!/(?:^|_)(?:ADMIN_)?USER(?:NAME)?$/i.test(name)) continue;
    const at = m.index! + m[0].length;
    const word = valueWord(at);
    if (!word || !ADMIN_USERS.has(word.value.toLowerCase())) continue;
    const [s, e] = literalSpan(line, word.start, word.end);
    const plain = /^[A-Za-z_]\w*$/.test(name) && m[1] === undefined;
    hits.push({ code: 'default-admin-user', what: `the default admin account ("${word.value}")`, name: 'ADMIN_USER', secret: false, value: word.value, start: s, end: e, replace: { start: word.start, end: word.end, context: plain ? 'assignment' : 'word' } });
  }
  return hits;
}

/** The hits any code block can have: known token formats, private keys, URLs with passwords, auth headers, default pairs, `key: value`. */
function commonHits(line: string, map: Uint8Array, shell: boolean, keyValues: boolean): Hit[] {
  const hits: Hit[] = [];
  for (const t of TOKENS) {
    for (const m of line.matchAll(t.re)) {
      if (isPlaceholder(m[0])) continue;
      hits.push({ code: 'hard-coded-secret', what: t.what, name: t.name, value: m[0], start: m.index!, end: m.index! + m[0].length });
    }
  }
  const key = PRIVATE_KEY.exec(line);
  if (key) hits.push({ code: 'hard-coded-secret', what: 'a private key', name: 'PRIVATE_KEY', value: key[0], start: key.index, end: key.index + key[0].length, replace: null });
  for (const m of line.matchAll(URL_CREDENTIALS)) {
    const [, scheme, user, pass] = m;
    if (pass.includes('$') || !looksLikeSecretValue(pass) || isPlaceholder(user)) continue;
    const start = m.index! + m[0].length - 1 - pass.length;
    const isDefault = DEFAULT_PASSWORDS.has(pass.toLowerCase()) || (pass === user && DEFAULT_USERS.has(user.toLowerCase()));
    const kind = scheme.toLowerCase().replace(/\+.*$/, '');
    const prefix = /^https?$/.test(kind) ? 'HTTP' : kind === 'postgresql' ? 'POSTGRES' : kind === 'mariadb' ? 'MYSQL' : /^(?:redis|amqp|ldap|ftp|smtp|imap)s$/.test(kind) ? kind.slice(0, -1) : kind;
    hits.push({ code: isDefault ? 'default-credentials' : 'hard-coded-secret', what: isDefault ? `default credentials ("${user}:${pass}")` : 'a password in a URL', name: variableName(prefix, 'PASSWORD'), value: pass, start, end: start + pass.length });
  }
  for (const m of line.matchAll(AUTH_HEADER)) {
    const token = m[2];
    if (token.includes('$') || !looksLikeSecretValue(token)) continue;
    const start = m.index! + m[0].length - token.length;
    hits.push({ code: 'hard-coded-secret', what: 'a credential in an Authorization header', name: /^basic$/i.test(m[1]) ? 'BASIC_AUTH' : 'API_TOKEN', value: token, start, end: start + token.length });
  }
  for (const m of line.matchAll(KEY_HEADER)) {
    const token = m[2];
    if (token.includes('$') || !looksLikeSecretValue(token)) continue;
    const start = m.index! + m[0].length - token.length;
    const header = m[1].toLowerCase();
    const name = header === 'private-token' ? 'GITLAB_TOKEN' : header === 'x-vault-token' ? 'VAULT_TOKEN' : /key/.test(header) ? 'API_KEY' : 'API_TOKEN';
    hits.push({ code: 'hard-coded-secret', what: `a credential in a ${m[1]} header`, name, value: token, start, end: start + token.length });
  }
  for (const m of line.matchAll(DEFAULT_PAIR)) {
    const start = m.index! + m[1].length + 1;
    hits.push({ code: 'default-credentials', what: `default credentials ("${m[0]}")`, name: variableName(m[1], 'PASSWORD'), value: m[2], start, end: start + m[2].length });
  }
  for (const m of keyValues ? line.matchAll(KEY_VALUE) : []) {
    const name = m[2];
    const raw = m[3];
    const quoted = raw[0] === '"' || raw[0] === "'";
    const value = quoted ? raw.slice(1, -1) : raw;
    const start = m.index! + m[0].length - raw.length + (quoted ? 1 : 0);
    // In a shell line, an unquoted `name=value` is an assignment (read above) and `name: value` is words.
    if (shell && (map[m.index!] === Quote.None || map[m.index!] === Quote.Comment)) continue;
    // An expression of a program, not a literal: `process.env.TOKEN`, `read(token)`.
    if (!quoted && /[()[\]]|^[A-Za-z_]\w*(?:\.\w+)+$/.test(value)) continue;
    if (isCredentialName(name) && !value.includes('$') && !value.startsWith('!') && looksLikeSecretValue(value)) {
      const isDefault = DEFAULT_PASSWORDS.has(value.toLowerCase());
      hits.push({ code: isDefault ? 'default-credentials' : 'hard-coded-secret', what: isDefault ? `a well-known default password ("${value}")` : 'a password, token or key', name: variableName(name), value, start, end: start + value.length });
    } else if (/^(?:admin[_-]?)?user(?:name)?$/i.test(name) && ADMIN_USERS.has(value.toLowerCase())) {
      hits.push({ code: 'default-admin-user', what: `the default admin account ("${value}")`, name: 'ADMIN_USER', secret: false, value, start, end: start + value.length });
    }
  }
  return hits;
}

function message(h: Hit): string {
  if (h.code === 'default-admin-user') return `This block uses ${h.what}: a well-known account name is half of a guessed login. Use a named account, or make it a variable.`;
  if (h.code === 'default-credentials') return `This block uses ${h.what}: they are the first ones an attacker tries. Change them, and make the password a secret variable, asked when the step runs.`;
  if (h.what === 'a private key') return 'This block holds a private key: anyone who can read the runbook or its history can use it. Keep it in a file outside the repository or in a secret store, and read it from there.';
  return `This block hard-codes ${h.what}: anyone who can read the runbook or its history can use it. Make it a secret variable, asked when the step runs and masked in the log.`;
}

const MAX_PER_LINE = 32;

/** Blocks whose `key: value` and `key=value` lines are configuration (not a program's expressions). */
const CONFIG_LANGUAGES: ReadonlySet<string> = new Set(['', 'yaml', 'yml', 'json', 'jsonc', 'json5', 'ini', 'toml', 'properties', 'env', 'dotenv', 'conf', 'cfg', 'config', 'text', 'txt', 'plaintext', 'hcl', 'terraform', 'tf', 'dockerfile', 'nginx', 'xml', 'helm']);

const CONTEXT: Record<number, ReplaceContext | undefined> = {
  [Quote.None]: 'word',
  [Quote.Single]: 'single',
  [Quote.Double]: 'double',
  [Quote.Comment]: 'comment',
  [Quote.Heredoc]: 'heredoc',
  [Quote.LiteralHeredoc]: undefined,
};

/** Every finding in the runbook's code blocks, in document order. */
export function findHardCodedSecrets(text: string, rb: Runbook): SecretFinding[] {
  const starts = lineStarts(text);
  const blocks: CodeBlock[] = [...rb.steps.flatMap((s) => s.commands), ...rb.looseBlocks].sort((a, b) => a.line - b.line);
  const out: SecretFinding[] = [];
  for (const block of blocks) {
    const count = block.code === '' ? 0 : block.code.replace(/\n$/, '').split('\n').length;
    const state = initialState();
    const keyValues = block.runnable || CONFIG_LANGUAGES.has(block.lang.toLowerCase());
    for (let n = block.line + 1; n <= block.line + count && n < starts.length; n++) {
      const end = n + 1 < starts.length ? starts[n + 1] : text.length;
      const line = text.slice(starts[n], end).replace(/\r?\n$|\r$/, '');
      if (line.length === 0) continue;
      const map = block.runnable ? quoteMap(line, state) : new Uint8Array(line.length);
      const hits = [...commonHits(line, map, block.runnable, keyValues), ...(block.runnable ? shellHits(line, map) : [])];
      // One finding per literal: the first (most specific) hit that covers it. A line with more
      // than a few dozen is not a runbook's: its first ones are enough, and the check stays linear.
      const kept: Hit[] = [];
      for (const h of hits) {
        if (kept.length >= MAX_PER_LINE) break;
        if (!kept.some((k) => h.start < k.end && k.start < h.end)) kept.push(h);
      }
      kept.sort((a, b) => a.start - b.start);
      for (const h of kept) {
        let replace: SecretFinding['replace'];
        if (block.runnable && h.replace !== null) {
          const span = h.replace ?? { start: h.start, end: h.end, context: CONTEXT[map[h.start]] };
          if (span.context) replace = { offset: starts[n] + span.start, length: span.end - span.start, context: span.context };
        }
        out.push({ code: h.code, what: h.what, message: message(h), line: n, column: h.start, endColumn: h.end, value: h.value, name: h.name, secret: h.secret ?? true, replace });
      }
    }
  }
  return out;
}
