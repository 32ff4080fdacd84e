/**
 * The quick fix for a hard-coded credential: declare it as a variable in the front matter
 * (`secret: true`, so it is asked in a password box and masked everywhere) and put `$NAME` where
 * the literal was, in every place the runbook has that same literal. Minimal text edits; front
 * matter is created when the runbook has none. The edited text is parsed again, and the fix is
 * offered only when it reads as intended.
 */
import { isMap, isScalar, LineCounter, parseDocument, type Node } from 'yaml';
import { lineStarts } from '../text/lines';
import { applyEdits } from './blocks';
import type { Runbook, TextEdit } from './model';
import { parseRunbook } from './parser';
import { findHardCodedSecrets, type ReplaceContext, type SecretFinding } from './secrets';

export interface SecretFix {
  /** The variable the literal becomes. */
  name: string;
  secret: boolean;
  /** Whether the front matter gains the variable (false when it is declared already). */
  declares: boolean;
  /** How many places the literal is replaced in. */
  replaced: number;
  /** Non-overlapping edits with offsets in the original text, last first. */
  edits: TextEdit[];
}

/** What replaces a literal, quoted as its place needs; `next` is the character after it. */
export function replacementText(name: string, context: ReplaceContext, next: string | undefined): string {
  const bare = next !== undefined && /[A-Za-z0-9_]/.test(next) ? `\${${name}}` : `$${name}`;
  switch (context) {
    case 'assignment':
    case 'double':
    case 'comment':
      return bare;
    case 'heredoc':
      return `\${${name}}`;
    case 'word':
      return `"$${name}"`;
    case 'single':
      return `'"$${name}"'`;
  }
}

function eolOf(text: string): string {
  const lf = text.indexOf('\n');
  return lf > 0 && text[lf - 1] === '\r' ? '\r\n' : '\n';
}

function entry(name: string, secret: boolean, indent: string, child: string, eol: string): string {
  return secret ? `${indent}${name}:${eol}${indent}${child}secret: true${eol}` : `${indent}${name}:${eol}${indent}${child}prompt: User name of the administrator account${eol}`;
}

/** The edit that declares the variable in the front matter, or undefined when it cannot be placed safely. */
function declaration(text: string, rb: Runbook, name: string, secret: boolean): TextEdit | undefined {
  const eol = eolOf(text);
  if (!rb.frontMatter) {
    const at = text.charCodeAt(0) === 0xfeff ? 1 : 0;
    return { offset: at, length: 0, newText: `---${eol}variables:${eol}${entry(name, secret, '  ', '  ', eol)}---${eol}` };
  }
  const starts = lineStarts(text);
  const fmEnd = rb.frontMatter.endLine - 1;
  if (fmEnd < 1 || fmEnd >= starts.length) return undefined;
  const yamlStart = starts[1];
  const yaml = text.slice(yamlStart, starts[fmEnd]);
  // A lone CR would put the YAML's offsets and the file's lines out of step.
  if (/\r(?!\n)/.test(yaml)) return undefined;
  const counter = new LineCounter();
  const doc = parseDocument(yaml, { lineCounter: counter, logLevel: 'silent', uniqueKeys: false });
  if (doc.errors.length || !isMap(doc.contents)) return doc.contents == null && !doc.errors.length ? { offset: starts[fmEnd], length: 0, newText: `variables:${eol}${entry(name, secret, '  ', '  ', eol)}` } : undefined;
  const pair = doc.contents.items.find((p) => isScalar(p.key) && p.key.value === 'variables');
  if (!pair) return { offset: starts[fmEnd], length: 0, newText: `variables:${eol}${entry(name, secret, '  ', '  ', eol)}` };
  const lineEndAfter = (offset: number) => {
    const line = counter.linePos(offset).line; // 1-based within the YAML
    const fileLine = line + 1; // the YAML starts on file line 1
    return fileLine < starts.length ? starts[fileLine] : text.length;
  };
  const value = pair.value as Node | null;
  const keyNode = pair.key as Node;
  const keyColumn = counter.linePos(keyNode.range![0]).col - 1;
  if (value == null || (isScalar(value) && value.value == null)) {
    return { offset: lineEndAfter(keyNode.range![0]), length: 0, newText: entry(name, secret, ' '.repeat(keyColumn + 2), '  ', eol) };
  }
  if (!isMap(value)) return undefined;
  if (value.flow) {
    const inner = secret ? `{ secret: true }` : `{ prompt: User name of the administrator account }`;
    const last = value.items[value.items.length - 1];
    const lastEnd = ((last?.value ?? last?.key) as Node | null | undefined)?.range?.[1];
    if (last && lastEnd !== undefined) return { offset: yamlStart + lastEnd, length: 0, newText: `, ${name}: ${inner}` };
    const open = value.range![0];
    if (yaml[open] !== '{') return undefined;
    return { offset: yamlStart + open + 1, length: 0, newText: ` ${name}: ${inner} ` };
  }
  const first = value.items[0]?.key as Node | undefined;
  if (!first?.range) return undefined;
  const indent = counter.linePos(first.range[0]).col - 1;
  const firstValue = value.items[0].value as Node | null;
  const childIndent = firstValue && isMap(firstValue) && !firstValue.flow && firstValue.items[0]?.key ? counter.linePos((firstValue.items[0].key as Node).range![0]).col - 1 - indent : 2;
  return { offset: lineEndAfter(Math.max(value.range![0], value.range![1] - 1)), length: 0, newText: entry(name, secret, ' '.repeat(indent), ' '.repeat(Math.max(1, childIndent)), eol) };
}

/**
 * The fix for `target`: its variable (declared already, or added to the front matter) replacing
 * every fixable finding with the same literal. Undefined when there is nothing to fix or the
 * result would not read as intended (front matter that cannot be read, a name in use otherwise).
 */
export function secretFix(text: string, rb: Runbook, target: SecretFinding, findings: readonly SecretFinding[] = findHardCodedSecrets(text, rb)): SecretFix | undefined {
  if (!target.replace || rb.problems.some((p) => p.code === 'front-matter' && p.severity === 'error')) return undefined;
  let name = target.name;
  let declared = rb.meta.variables.find((v) => v.name === name);
  for (let n = 2; declared && declared.secret !== target.secret; n++) {
    name = `${target.name}_${n}`;
    declared = rb.meta.variables.find((v) => v.name === name);
  }
  const same = findings.filter((f) => f.replace && f.value === target.value && f.secret === target.secret);
  const edits: TextEdit[] = same.map((f) => ({
    offset: f.replace!.offset,
    length: f.replace!.length,
    newText: replacementText(name, f.replace!.context, text[f.replace!.offset + f.replace!.length]),
  }));
  if (!declared) {
    const decl = declaration(text, rb, name, target.secret);
    if (!decl) return undefined;
    edits.push(decl);
  }
  edits.sort((a, b) => b.offset - a.offset || b.length - a.length);
  for (let i = 1; i < edits.length; i++) if (edits[i].offset + edits[i].length > edits[i - 1].offset) return undefined;

  // Read the result again: the variable is declared as asked, the literal is gone from every
  // place that was fixed, and the runbook has the same steps.
  const after = applyEdits(text, edits);
  const rb2 = parseRunbook(after);
  const v = rb2.meta.variables.find((x) => x.name === name);
  if (!v || v.secret !== target.secret || v.default !== undefined) return undefined;
  if (rb2.problems.some((p) => p.code === 'front-matter' && p.severity !== 'info')) return undefined;
  if (rb2.steps.length !== rb.steps.length || rb2.looseBlocks.length !== rb.looseBlocks.length) return undefined;
  if (rb.meta.variables.some((old) => !rb2.meta.variables.some((x) => x.name === old.name && x.secret === old.secret && x.default === old.default))) return undefined;
  if (findHardCodedSecrets(after, rb2).some((f) => f.replace && f.value === target.value && f.secret === target.secret)) return undefined;
  return { name, secret: target.secret, declares: !declared, replaced: same.length, edits };
}
