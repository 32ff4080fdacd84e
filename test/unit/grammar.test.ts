import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as oniguruma from 'vscode-oniguruma';
import * as textmate from 'vscode-textmate';
import { ROOT as REPO_ROOT } from '../support/fixtures';

const root = REPO_ROOT;
const injection = JSON.parse(readFileSync(path.join(root, 'syntaxes/runbook.injection.tmLanguage.json'), 'utf8'));
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));

/** Markdown, shell and YAML stand-ins: the test is about what the injection adds. */
const stubs: Record<string, textmate.IRawGrammar> = {
  'text.html.markdown': { scopeName: 'text.html.markdown', patterns: [], repository: {} } as unknown as textmate.IRawGrammar,
  'source.shell': { scopeName: 'source.shell', patterns: [{ match: '\\b(echo|pg_dump)\\b', name: 'support.function.builtin.shell' }], repository: {} } as unknown as textmate.IRawGrammar,
  'source.yaml': { scopeName: 'source.yaml', patterns: [], repository: {} } as unknown as textmate.IRawGrammar,
};

async function markdownGrammar(): Promise<textmate.IGrammar> {
  const wasm = readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm'));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const registry = new textmate.Registry({
    onigLib: Promise.resolve({ createOnigScanner: (p) => new oniguruma.OnigScanner(p), createOnigString: (s) => new oniguruma.OnigString(s) }),
    loadGrammar: async (scope) => (scope === injection.scopeName ? injection : stubs[scope] ?? null),
    getInjections: (scope) => (scope === 'text.html.markdown' ? [injection.scopeName] : undefined),
  });
  const grammar = await registry.loadGrammar('text.html.markdown');
  if (!grammar) throw new Error('no grammar');
  return grammar;
}

/** The scopes of each token whose text matches, line by line. */
function scopesOf(grammar: textmate.IGrammar, text: string, token: string): string[][] {
  let state = textmate.INITIAL;
  const found: string[][] = [];
  for (const line of text.split('\n')) {
    const r = grammar.tokenizeLine(line, state);
    for (const t of r.tokens) if (line.slice(t.startIndex, t.endIndex) === token) found.push(t.scopes);
    state = r.ruleStack;
  }
  return found;
}

describe('runbook grammar', () => {
  let grammar: textmate.IGrammar;
  before(async () => {
    grammar = await markdownGrammar();
  });

  it('is injected into markdown by the manifest', () => {
    assert.deepEqual(pkg.contributes.grammars, [
      { scopeName: injection.scopeName, path: './syntaxes/runbook.injection.tmLanguage.json', injectTo: ['text.html.markdown'] },
    ]);
  });

  it('highlights fence attributes, known and unknown keys, and keeps the block as shell', () => {
    const text = '- [ ] Backup\n  ```sh {"name":"backup","timeout":900,"colour":1}\n  pg_dump db\n  ```\n';
    const name = scopesOf(grammar, text, 'name')[0];
    assert.ok(name.includes('keyword.other.attribute.preflight'), name.join(' '));
    assert.ok(name.includes('meta.attributes.preflight'), name.join(' '));
    const unknown = scopesOf(grammar, text, 'colour')[0];
    assert.ok(unknown.includes('invalid.deprecated.unknown-attribute.preflight'), unknown.join(' '));
    assert.ok(scopesOf(grammar, text, '900')[0].includes('constant.numeric.json'));
    const command = scopesOf(grammar, text, 'pg_dump')[0];
    assert.ok(command.includes('meta.embedded.block.shellscript') && command.includes('support.function.builtin.shell'), command.join(' '));
  });

  it('leaves fences without attributes to markdown', () => {
    assert.deepEqual(scopesOf(grammar, '```sh\necho hi\n```\n', 'echo hi'), [['text.html.markdown']]);
  });

  it('highlights front-matter variable names', () => {
    const text = '---\ntitle: Upgrade\nvariables:\n  DB_HOST:\n    default: db\n  TOKEN:\n    secret: true\n---\n# Upgrade\n';
    const host = scopesOf(grammar, text, 'DB_HOST')[0];
    assert.ok(host.includes('variable.other.constant.preflight'), host.join(' '));
    assert.ok(scopesOf(grammar, text, 'secret')[0].includes('entity.name.tag.yaml'));
    assert.ok(scopesOf(grammar, text, 'true')[0].includes('constant.language.boolean.yaml'));
    assert.deepEqual(scopesOf(grammar, text, '# Upgrade'), [['text.html.markdown']], 'the front matter ends at its closing line');
    assert.ok(host.includes('meta.embedded.block.frontmatter'), host.join(' '));
  });
});
