import { LineCounter, isMap, isNode, isScalar, parseDocument, type Node, type YAMLError } from 'yaml';
import type { Diagnostic, RunbookMeta, VariableSpec } from './model';
import { readApproval } from './approval';
import { isPlainObject, setOwn } from './guards';
import { lineText } from '../text/lines';

/** Where the front matter sits: its lines, delimiters included, and the YAML between them. */
export interface FrontMatterBlock {
  endLine: number;
  yaml: string;
}

const OPEN = /^---[ \t]*$/;
const CLOSE = /^(?:---|\.\.\.)[ \t]*$/;
const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const VARIABLE_KEYS = new Set(['default', 'prompt', 'secret']);

/** Front matter is re-read on every edit; past this size it is refused rather than parsed. */
export const MAX_FRONT_MATTER_CHARS = 256 * 1024;

/**
 * Finds front matter: `---` on the first line (after an optional byte-order mark) up to the
 * next `---` or `...` line. An opening line that is never closed is reported and left to
 * markdown, where it reads as a thematic break.
 */
export function findFrontMatter(
  text: string,
  starts: readonly number[],
  problems: Diagnostic[],
): FrontMatterBlock | undefined {
  const first = lineText(text, starts, 0);
  if (!OPEN.test(first.charCodeAt(0) === 0xfeff ? first.slice(1) : first)) return undefined;
  for (let n = 1; n < starts.length; n++) {
    if (CLOSE.test(lineText(text, starts, n))) {
      return { endLine: n + 1, yaml: text.slice(starts[1], starts[n]) };
    }
  }
  problems.push({
    severity: 'warning',
    code: 'front-matter',
    message: 'Front matter is not closed by a "---" or "..." line; it is read as markdown.',
    line: 0,
    endLine: 1,
  });
  return undefined;
}

/** Reads the YAML of a front matter that starts on file line 0 (so its content starts on line 1). */
export function parseFrontMatter(yaml: string, problems: Diagnostic[]): RunbookMeta {
  const meta: RunbookMeta = { variables: [], extra: {} };
  if (yaml.length > MAX_FRONT_MATTER_CHARS) {
    problems.push({
      severity: 'error',
      code: 'front-matter',
      message: `Front matter is ${Math.round(yaml.length / 1024)} KB; Preflight reads front matter up to ${MAX_FRONT_MATTER_CHARS / 1024} KB.`,
      line: 0,
      endLine: 1,
    });
    return meta;
  }
  const counter = new LineCounter();
  // Lone CRs break lines for markdown-it but not for the line counter; LF keeps both in step.
  // Silent: everything worth saying is in doc.errors and doc.warnings, not on the console.
  // The yaml package's own duplicate-key check compares every key with every other (quadratic in
  // the number of keys); the keys Preflight reads are checked below with a set instead.
  const doc = parseDocument(yaml.replace(/\r\n?/g, '\n'), { lineCounter: counter, prettyErrors: false, logLevel: 'silent', uniqueKeys: false });
  // The YAML starts on file line 1, so its 1-based line numbers are the file's 0-based ones.
  const lineAt = (offset: number): number => counter.linePos(offset).line;
  const lineOf = (node: Node | null | undefined): number => (node?.range ? lineAt(node.range[0]) : 0);
  const report = (severity: Diagnostic['severity'], line: number, message: string, code: Diagnostic['code'] = 'front-matter') =>
    problems.push({ severity, code, message, line, endLine: line + 1 });

  const yamlProblem = (severity: Diagnostic['severity']) => (e: YAMLError) =>
    problems.push({
      severity,
      code: 'front-matter',
      message: `Front matter: ${e.message}`,
      line: lineAt(e.pos[0]),
      endLine: lineAt(e.pos[0]) + 1,
      column: counter.linePos(e.pos[0]).col - 1,
    });
  doc.errors.forEach(yamlProblem('error'));
  doc.warnings.forEach(yamlProblem('warning'));
  // Values from a document with errors are guesses; the runbook is read without them.
  if (doc.errors.length > 0) return meta;

  const root = doc.contents;
  if (root === null) return meta;
  if (!isMap(root)) {
    report('error', lineOf(root), 'Front matter must be a YAML mapping, e.g. "title: Upgrade Postgres".');
    return meta;
  }
  let data: Record<string, unknown>;
  try {
    data = doc.toJS({ maxAliasCount: 100 }) as Record<string, unknown>;
  } catch (e) {
    report('error', lineOf(root), `Front matter: ${e instanceof Error ? e.message : String(e)}`);
    return meta;
  }

  const seen = new Set<string>();
  const unique = (key: string, node: Node) => {
    if (!seen.has(key)) return seen.add(key), true;
    report('error', lineOf(node), `Front matter: the key "${key}" appears more than once.`);
    return false;
  };
  for (const pair of root.items) {
    if (!isScalar(pair.key)) continue;
    const key = String(pair.key.value);
    if (!unique(key, pair.key)) continue;
    const value = Object.hasOwn(data, key) ? data[key] : undefined;
    const valueNode = isNode(pair.value) ? pair.value : pair.key;
    switch (key) {
      case 'title':
      case 'shell':
      case 'cwd':
        if (typeof value === 'string') meta[key] = value;
        else if (value != null) report('error', lineOf(valueNode), `"${key}" must be a string.`);
        break;
      case 'approval': {
        const approval = readApproval(value, lineOf(pair.key), report);
        if (approval) meta.approval = approval;
        break;
      }
      case 'variables': {
        if (value == null) break;
        if (!isMap(pair.value) || !isPlainObject(value)) {
          report('error', lineOf(valueNode), '"variables" must map names to a default or to { default, prompt, secret }.');
          break;
        }
        const names = new Set<string>();
        for (const entry of pair.value.items) {
          if (!isScalar(entry.key)) continue;
          const name = String(entry.key.value);
          const line = lineOf(entry.key);
          if (names.has(name)) {
            report('error', line, `Variable "${name}" is declared more than once.`);
            continue;
          }
          names.add(name);
          const spec = readVariable(name, Object.hasOwn(value, name) ? value[name] : undefined, line, report);
          if (spec) meta.variables.push(spec);
        }
        break;
      }
      default:
        setOwn(meta.extra, key, value);
    }
  }
  return meta;
}

function readVariable(
  name: string,
  raw: unknown,
  line: number,
  report: (severity: Diagnostic['severity'], line: number, message: string, code?: Diagnostic['code']) => void,
): VariableSpec | undefined {
  if (!VARIABLE_NAME.test(name)) {
    report('error', line, `Variable "${name}" is not a valid environment variable name (letters, digits and _, not starting with a digit).`);
    return undefined;
  }
  const spec: VariableSpec = { name, secret: false, line };
  if (raw == null) return spec;
  if (isDefaultValue(raw)) {
    spec.default = String(raw);
    return spec;
  }
  if (!isPlainObject(raw)) {
    report('error', line, `Variable "${name}" must be a default value or { default, prompt, secret }.`);
    return spec;
  }
  if (raw.default != null) {
    if (isDefaultValue(raw.default)) spec.default = String(raw.default);
    else report('error', line, `The default of "${name}" must be a string, number or boolean.`);
  }
  if (raw.prompt != null) {
    if (typeof raw.prompt === 'string') spec.prompt = raw.prompt;
    else report('error', line, `The prompt of "${name}" must be a string.`);
  }
  if (raw.secret != null) {
    if (typeof raw.secret === 'boolean') spec.secret = raw.secret;
    else report('error', line, `"secret" of "${name}" must be true or false.`);
  }
  for (const key of Object.keys(raw)) {
    if (!VARIABLE_KEYS.has(key)) report('warning', line, `Unknown key "${key}" in variable "${name}" is ignored.`, 'unknown-attr');
  }
  return spec;
}

function isDefaultValue(v: unknown): v is string | number | boolean {
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
}
