/**
 * A small placeholder syntax for markdown templates.
 *
 * - `{{name}}` is replaced by the value `name`.
 * - `{{name | json}}` is the value escaped for the inside of a double-quoted JSON or YAML string; the
 *   template writes the quotes: `title: "{{title | json}}"`.
 * - `{{#name}}...{{/name}}` keeps what it encloses only when the condition `name` holds. Sections nest.
 *   A section tag alone on its line takes the line with it.
 * - `\{{` is a literal `{{`.
 *
 * Only a name made of letters, digits and `_` makes a placeholder, so the Go templates of docker and
 * kubectl (`{{.State.Health.Status}}`, `{{range .items}}`) stay as written. Unknown names and filters
 * and unbalanced section tags are reported and left in the text as written. Values are inserted once:
 * a `{{...}}` inside a value is not expanded.
 */

/** A problem in a template, at a 0-based line and column. */
export interface TemplateDiagnostic {
  message: string;
  line: number;
  column: number;
}

/** The names a template may use. */
export interface TemplateVocabulary {
  values: readonly string[];
  sections: readonly string[];
}

interface Position {
  line: number;
  column: number;
}

type Token =
  | { kind: 'text'; text: string }
  | { kind: 'value'; name: string; filter?: string }
  /** `raw`: the source the tag took, with the whole line for a tag alone on its line. */
  | { kind: 'open' | 'close'; name: string; raw: string; at: Position };

const FILTERS: Record<string, (value: string) => string> = {
  json: (value) => JSON.stringify(value).slice(1, -1),
};

const TAG = /\\\{\{|\{\{\s*([#/]?)\s*([A-Za-z_][A-Za-z0-9_]*)\s*(?:\|\s*([A-Za-z_][A-Za-z0-9_]*)\s*)?\}\}/g;

export function checkTemplate(template: string, vocabulary: TemplateVocabulary): TemplateDiagnostic[] {
  return parseTemplate(template, vocabulary).problems;
}

/** The template with its placeholders replaced; `sections` says which conditions hold. */
export function expandTemplate(template: string, values: ReadonlyMap<string, string>, sections: ReadonlyMap<string, boolean>): string {
  const { tokens } = parseTemplate(template, { values: [...values.keys()], sections: [...sections.keys()] });
  let out = '';
  const visible: boolean[] = [true];
  for (const token of tokens) {
    const shown = visible[visible.length - 1];
    switch (token.kind) {
      case 'open':
        visible.push(shown && sections.get(token.name) === true);
        break;
      case 'close':
        visible.pop();
        break;
      case 'value':
        if (shown) {
          const value = values.get(token.name)!;
          out += token.filter ? FILTERS[token.filter](value) : value;
        }
        break;
      case 'text':
        if (shown) out += token.text;
    }
  }
  return out;
}

function parseTemplate(template: string, vocabulary: TemplateVocabulary): { tokens: Token[]; problems: TemplateDiagnostic[] } {
  const values = new Set(vocabulary.values);
  const sections = new Set(vocabulary.sections);
  const tokens: Token[] = [];
  const problems: TemplateDiagnostic[] = [];
  const report = (message: string, at: Position) => problems.push({ message, ...at });

  let last = 0;
  let line = 0;
  let lineStart = 0;
  for (const m of template.matchAll(TAG)) {
    const start = m.index;
    const [raw, sigil, name, filter] = m;
    for (let nl = template.indexOf('\n', lineStart); nl >= 0 && nl < start; nl = template.indexOf('\n', lineStart)) {
      line++;
      lineStart = nl + 1;
    }
    const at = { line, column: start - lineStart };

    let token: Token;
    let from = start;
    let to = start + raw.length;
    if (raw === '\\{{') {
      token = { kind: 'text', text: '{{' };
    } else if (sigil) {
      if (!sections.has(name)) report(`Unknown section "${name}" in ${raw}; known sections: ${[...sections].join(', ')}.`, at);
      else if (filter) report(`A section takes no filter: ${raw}.`, at);
      if (!sections.has(name) || filter) {
        token = { kind: 'text', text: raw };
      } else {
        const rest = /^[ \t]*(?:\r?\n|$)/.exec(template.slice(to));
        if (rest && /^[ \t]*$/.test(template.slice(lineStart, start))) {
          from = lineStart;
          to += rest[0].length;
        }
        token = { kind: sigil === '#' ? 'open' : 'close', name, raw: template.slice(from, to), at };
      }
    } else if (!values.has(name)) {
      report(`Unknown placeholder ${raw}; known placeholders: ${[...values].join(', ')}.`, at);
      token = { kind: 'text', text: raw };
    } else if (filter && !Object.hasOwn(FILTERS, filter)) {
      report(`Unknown filter "${filter}" in ${raw}; known filters: ${Object.keys(FILTERS).join(', ')}.`, at);
      token = { kind: 'text', text: raw };
    } else {
      token = filter ? { kind: 'value', name, filter } : { kind: 'value', name };
    }
    tokens.push({ kind: 'text', text: template.slice(last, from) }, token);
    last = to;
  }
  tokens.push({ kind: 'text', text: template.slice(last) });

  pairSections(tokens, report);
  problems.sort((a, b) => a.line - b.line || a.column - b.column);
  return { tokens, problems };
}

/** Turns section tags without a partner into text, as written. */
function pairSections(tokens: Token[], report: (message: string, at: Position) => void): void {
  type Section = Extract<Token, { kind: 'open' | 'close' }>;
  const unpair = (i: number, message: string) => {
    const tag = tokens[i] as Section;
    report(message, tag.at);
    tokens[i] = { kind: 'text', text: tag.raw };
  };
  const notClosed = ({ i, name }: { i: number; name: string }) => unpair(i, `{{#${name}}} is not closed.`);
  const open: { i: number; name: string }[] = [];
  tokens.forEach((token, i) => {
    if (token.kind === 'open') open.push({ i, name: token.name });
    if (token.kind !== 'close') return;
    let k = open.length - 1;
    while (k >= 0 && open[k].name !== token.name) k--;
    if (k < 0) unpair(i, `{{/${token.name}}} closes no {{#${token.name}}}.`);
    else open.splice(k).slice(1).forEach(notClosed);
  });
  open.forEach(notClosed);
}
