import * as assert from 'node:assert/strict';
import { parseRunbook, type Diagnostic, type Runbook } from '../../../../src/core/runbook';

/** Markdown from lines, so fixtures in tests keep their indentation visible. */
const md = (...lines: string[]) => `${lines.join('\n')}\n`;

const texts = (rb: Runbook) => rb.steps.map((s) => s.text);
const codes = (problems: Diagnostic[]) => problems.map((p) => `${p.code}@${p.line}`);

function assertCheckboxes(text: string, rb: Runbook): void {
  for (const s of rb.steps) {
    assert.equal(text[s.checkboxOffset - 1], '[', `step ${s.index}`);
    assert.equal(text[s.checkboxOffset + 1], ']', `step ${s.index}`);
    assert.match(text[s.checkboxOffset], s.checked ? /^[xX]$/ : /^ $/, `step ${s.index}`);
  }
}

describe('runbook parser', () => {
  describe('steps', () => {
    it('reads task-list items with their state, line, text and depth', () => {
      const text = md('# Deploy', '', '- [ ] First', '- [x] Second', '- [X] Third', '- plain item', '- [y] not a box');
      const rb = parseRunbook(text);
      assert.deepEqual(texts(rb), ['First', 'Second', 'Third']);
      assert.deepEqual(rb.steps.map((s) => s.checked), [false, true, true]);
      assert.deepEqual(rb.steps.map((s) => [s.index, s.line, s.endLine, s.depth]), [
        [0, 2, 3, 0],
        [1, 3, 4, 0],
        [2, 4, 5, 0],
      ]);
      assertCheckboxes(text, rb);
      assert.deepEqual(rb.problems, []);
    });

    it('accepts every list marker: - * + 1. 1)', () => {
      const text = md('- [ ] dash', '', '* [ ] star', '', '+ [ ] plus', '', '1. [ ] dot', '', '7) [x] paren', '', '10. [ ] ten');
      const rb = parseRunbook(text);
      assert.deepEqual(texts(rb), ['dash', 'star', 'plus', 'dot', 'paren', 'ten']);
      assertCheckboxes(text, rb);
    });

    it('requires whitespace or the end of the line after the box', () => {
      const text = md('- [ ]', '- [ ]\ttab', '- [x]glued', '- [ ]  spaced  ', '- [] empty', '- [ x] wide');
      const rb = parseRunbook(text);
      assert.deepEqual(texts(rb), ['', 'tab', 'spaced']);
      assertCheckboxes(text, rb);
    });

    it('does not take an escaped \\[x\\] or a box later in the line for a step', () => {
      const rb = parseRunbook(md('- \\[x\\] escaped', '- \\[ ] half escaped', '- see [ ] later', '- `[ ]` in code'));
      assert.deepEqual(rb.steps, []);
    });

    it('nests steps inside steps and gives each its own commands', () => {
      const text = md(
        '- [ ] Parent',
        '  ```sh',
        '  parent-command',
        '  ```',
        '  - [ ] Child',
        '    ```bash',
        '    child-command',
        '    ```',
        '    - [x] Grandchild',
        '  ```sh',
        '  parent-again',
        '  ```',
      );
      const rb = parseRunbook(text);
      const [parent, child, grandchild] = rb.steps;
      assert.deepEqual(texts(rb), ['Parent', 'Child', 'Grandchild']);
      assert.deepEqual(parent.commands.map((c) => c.code), ['parent-command\n', 'parent-again\n']);
      assert.deepEqual(child.commands.map((c) => c.code), ['child-command\n']);
      assert.deepEqual(grandchild.commands, []);
      assert.deepEqual([parent.depth, child.depth, grandchild.depth], [0, 1, 2]);
      assert.deepEqual([parent.line, parent.endLine], [0, 12]);
      assert.equal(grandchild.manual, true);
      assertCheckboxes(text, rb);
    });

    it('gives a command in a plain sub-item to the enclosing step', () => {
      const rb = parseRunbook(md('- [ ] Step', '  - a note, not a step', '    ```sh', '    ls', '    ```'));
      assert.equal(rb.steps.length, 1);
      assert.equal(rb.steps[0].commands[0].code, 'ls\n');
      assert.equal(rb.steps[0].manual, false);
    });

    it('counts depth through plain list items', () => {
      const rb = parseRunbook(md('- group', '  - [ ] inner'));
      assert.equal(rb.steps[0].depth, 1);
    });

    it('handles CRLF and lone CR line endings', () => {
      const lf = md('# T', '', '- [ ] one', '  ```sh', '  echo 1', '  ```', '  - [x] two', '- [ ] three');
      for (const text of [lf.replace(/\n/g, '\r\n'), lf.replace(/\n/g, '\r')]) {
        const rb = parseRunbook(text);
        assert.deepEqual(texts(rb), ['one', 'two', 'three']);
        assert.deepEqual(rb.steps.map((s) => s.line), [2, 6, 7]);
        assert.equal(rb.steps[0].commands[0].code, 'echo 1\n');
        assertCheckboxes(text, rb);
      }
    });

    it('handles tab indentation and a tab after the marker', () => {
      const text = md('-\t[ ] tab after marker', '- [ ] parent', '\t- [x] tab-indented child', '\t  ```sh', '\t  ls', '\t  ```');
      const rb = parseRunbook(text);
      assert.deepEqual(texts(rb), ['tab after marker', 'parent', 'tab-indented child']);
      assert.equal(rb.steps[2].depth, 1);
      assert.equal(rb.steps[2].commands[0].code, 'ls\n');
      assertCheckboxes(text, rb);
    });

    it('reads steps in blockquotes and after odd spacing', () => {
      const text = md('> - [ ] quoted', '>   ```sh', '>   q', '>   ```', '', '>> 1) [x] twice quoted', '', '   -    [ ] spaced out', '-', '  [ ] box on the next line');
      const rb = parseRunbook(text);
      assert.deepEqual(texts(rb), ['quoted', 'twice quoted', 'spaced out', 'box on the next line']);
      assert.equal(rb.steps[0].commands[0].code, 'q\n');
      assert.equal(rb.steps[3].line, 8);
      assertCheckboxes(text, rb);
    });

    it('joins a multi-line paragraph into one line of text', () => {
      const rb = parseRunbook(md('- [ ] first line', '  second  line', 'lazy line'));
      assert.equal(rb.steps[0].text, 'first line second  line lazy line');
    });

    it('is not fooled by a byte-order mark', () => {
      const text = '\uFEFF- [ ] after BOM\n';
      const rb = parseRunbook(text);
      assert.deepEqual(texts(rb), ['after BOM']);
      assertCheckboxes(text, rb);
    });

    it('records the nearest heading', () => {
      const rb = parseRunbook(md('- [ ] before', '# A', '- [ ] under A', '## B', '- [ ] under B', '', 'Setext', '------', '- [ ] under setext'));
      assert.deepEqual(rb.steps.map((s) => s.heading), [undefined, 'A', 'B', 'Setext']);
    });
  });

  describe('commands', () => {
    it('runs sh, bash, zsh and shell in any case; lists other languages as not runnable', () => {
      const fence = (lang: string) => ['  ```' + lang, '  x', '  ```'];
      const rb = parseRunbook(
        md('- [ ] s', ...fence('sh'), ...fence('Bash'), ...fence('zsh'), ...fence('shell'), ...fence('python'), ...fence('console'), ...fence('')),
      );
      const cmds = rb.steps[0].commands;
      assert.deepEqual(cmds.map((c) => c.lang), ['sh', 'Bash', 'zsh', 'shell', 'python', 'console', '']);
      assert.deepEqual(cmds.map((c) => c.runnable), [true, true, true, true, false, false, false]);
    });

    it('marks a step manual when none of its blocks is runnable', () => {
      const rb = parseRunbook(md('- [ ] read it', '  ```json', '  {}', '  ```', '- [ ] just do it', '- [ ] run', '  ~~~bash', '  x', '  ~~~'));
      assert.deepEqual(rb.steps.map((s) => s.manual), [true, true, false]);
      assert.equal(rb.steps[0].commands.length, 1);
    });

    it('ignores code blocks outside steps and indented code blocks', () => {
      const rb = parseRunbook(md('```sh', 'loose', '```', '', '- [ ] step', '', '      indented code', '', '- plain', '  ```sh', '  in plain item', '  ```'));
      assert.deepEqual(rb.steps[0].commands, []);
      assert.deepEqual(rb.looseBlocks.map((b) => b.code), ['loose\n', 'in plain item\n']);
    });

    it('keeps code with the fence indentation removed and reports fence lines', () => {
      const rb = parseRunbook(md('- [ ] step', '  ```sh {"name":"n"}', '  one', '    two', '  ```'));
      const [c] = rb.steps[0].commands;
      assert.equal(c.code, 'one\n  two\n');
      assert.equal(c.info, 'sh {"name":"n"}');
      assert.deepEqual([c.line, c.endLine], [1, 5]);
    });
  });

  describe('fence attributes', () => {
    it('reads every supported attribute', () => {
      const attrs = '{"name":"backup","cwd":"deploy","timeout":900,"confirm":"production","interactive":false,"excludeFromRunAll":true}';
      const rb = parseRunbook(md('- [ ] Back up', '  ```sh ' + attrs, '  ./backup', '  ```'));
      assert.deepEqual(rb.steps[0].commands[0].attrs, {
        name: 'backup',
        cwd: 'deploy',
        timeout: 900,
        confirm: 'production',
        interactive: false,
        excludeFromRunAll: true,
        extra: {},
      });
      assert.equal(rb.steps[0].name, 'backup');
      assert.equal(rb.steps[0].key, 'backup');
      assert.deepEqual(rb.problems, []);
    });

    it('defaults interactive to true and excludeFromRunAll to false, and accepts attrs glued to the language', () => {
      const rb = parseRunbook(md('- [ ] a', '  ```sh', '  x', '  ```', '- [ ] b', '  ```bash{"name":"glued"}', '  y', '  ```'));
      assert.deepEqual(rb.steps[0].commands[0].attrs, { interactive: true, excludeFromRunAll: false, extra: {} });
      assert.equal(rb.steps[1].commands[0].lang, 'bash');
      assert.equal(rb.steps[1].name, 'glued');
    });

    it('reports invalid JSON with its line and column and keeps the block', () => {
      const rb = parseRunbook(md('# T', '- [ ] a', '  ```sh {name: "x"}', '  ls', '  ```'));
      assert.equal(rb.steps[0].commands.length, 1);
      assert.deepEqual(rb.steps[0].commands[0].attrs, { interactive: true, excludeFromRunAll: false, extra: {} });
      assert.deepEqual(codes(rb.problems), ['fence-attrs@2']);
      assert.equal(rb.problems[0].severity, 'error');
      assert.equal(rb.problems[0].column, 8);
    });

    it('reports wrong types and keeps the attributes it could read', () => {
      const rb = parseRunbook(
        md('- [ ] a', '  ```sh {"name":"ok","timeout":"10","confirm":"","interactive":"no","cwd":3}', '  ls', '  ```', '- [ ] b', '  ```sh {"timeout":-5}', '  ```', '- [ ] c', '  ```sh ["x"]', '  ```'),
      );
      const attrs = rb.steps[0].commands[0].attrs;
      assert.equal(attrs.name, 'ok');
      assert.equal(attrs.timeout, undefined);
      assert.equal(attrs.interactive, true);
      assert.deepEqual(codes(rb.problems), ['fence-attrs@1', 'fence-attrs@1', 'fence-attrs@1', 'fence-attrs@1', 'fence-attrs@5', 'fence-attrs@8']);
      assert.deepEqual(rb.problems.map((p) => p.severity), ['error', 'error', 'error', 'error', 'error', 'warning']);
      assert.match(rb.problems[0].message, /timeout/);
    });

    it('keeps unknown keys in extra and warns about each', () => {
      const rb = parseRunbook(md('- [ ] a', '  ```sh {"name":"x","retries":3,"env":{"A":"1"}}', '  ls', '  ```'));
      assert.deepEqual(rb.steps[0].commands[0].attrs.extra, { retries: 3, env: { A: '1' } });
      assert.deepEqual(codes(rb.problems), ['unknown-attr@1', 'unknown-attr@1']);
      assert.ok(rb.problems.every((p) => p.severity === 'warning'));
    });

    it('warns about words after the language of a runnable block only', () => {
      const rb = parseRunbook(md('- [ ] a', '  ```sh name=x', '  ls', '  ```', '  ```yaml title="values.yaml"', '  a: 1', '  ```'));
      assert.deepEqual(codes(rb.problems), ['fence-attrs@1']);
      assert.equal(rb.problems[0].severity, 'warning');
    });

    it('leaves the info strings of documentation blocks outside steps alone', () => {
      const rb = parseRunbook(md('```js {cmd=node}', 'x', '```', '```python {"confirm":"x"}', 'y', '```'));
      assert.deepEqual(rb.problems, []);
      assert.equal(rb.looseBlocks.length, 2);
    });

    it('warns when confirm can have no effect', () => {
      const rb = parseRunbook(
        md('- [ ] a', '  ```text {"confirm":"yes"}', '  notes', '  ```', '', '```sh {"confirm":"yes"}', 'loose', '```', '- [ ] b', '  ```sh {"confirm":"go"}', '  fine', '  ```'),
      );
      assert.deepEqual(codes(rb.problems), ['confirm-without-command@1', 'confirm-without-command@5']);
      assert.equal(rb.steps[1].commands[0].attrs.confirm, 'go');
    });
  });

  describe('names and keys', () => {
    it('reports a name used twice and still gives every step a unique key', () => {
      const rb = parseRunbook(
        md('- [ ] a', '  ```sh {"name":"dup"}', '  ```', '- [ ] b', '  ```sh {"name":"dup"}', '  ```', '- [ ] c', '  ```sh {"name":"other"}', '  ```', '  ```sh {"name":"dup"}', '  ```'),
      );
      assert.deepEqual(codes(rb.problems), ['duplicate-name@4', 'duplicate-name@9']);
      assert.match(rb.problems[0].message, /line 2/);
      assert.deepEqual(rb.steps.map((s) => s.key), ['dup', 'dup#2', 'other']);
    });

    it('takes the name of the first named command', () => {
      const rb = parseRunbook(md('- [ ] a', '  ```sh', '  ```', '  ```sh {"name":"second"}', '  ```'));
      assert.equal(rb.steps[0].name, 'second');
    });

    it('keys unnamed steps by normalised text with a counter for repeats', () => {
      const rb = parseRunbook(md('- [ ] Check  the   Logs', '- [ ] check the logs', '- [ ] Other', '- [ ]', '- [ ]'));
      assert.deepEqual(rb.steps.map((s) => s.key), ['check the logs', 'check the logs#2', 'other', 'step', 'step#2']);
    });

    it('keeps keys unique when a name collides with a generated key', () => {
      const rb = parseRunbook(md('- [ ] x', '- [ ] x', '- [ ] y', '  ```sh {"name":"x#2"}', '  ```'));
      assert.equal(new Set(rb.steps.map((s) => s.key)).size, 3);
    });
  });

  describe('front matter', () => {
    it('reads title, shell, cwd, variables and keeps other keys', () => {
      const text = md(
        '---',
        '# comment',
        'title: Upgrade',
        'shell: zsh',
        'cwd: ops',
        'owner: sre',
        'variables:',
        '  REGION: eu-west-1',
        '  PORT: 5432',
        '  VERBOSE: true',
        '  EMPTY:',
        '  TOKEN:',
        '    prompt: API token',
        '    secret: true',
        '  _under: { default: x }',
        '---',
        '# Heading title',
        '- [ ] step',
      );
      const rb = parseRunbook(text);
      assert.deepEqual(rb.problems, []);
      assert.equal(rb.title, 'Upgrade');
      assert.deepEqual(rb.frontMatter, { line: 0, endLine: 16 });
      assert.deepEqual(rb.meta, {
        title: 'Upgrade',
        shell: 'zsh',
        cwd: 'ops',
        extra: { owner: 'sre' },
        variables: [
          { name: 'REGION', default: 'eu-west-1', secret: false, line: 7 },
          { name: 'PORT', default: '5432', secret: false, line: 8 },
          { name: 'VERBOSE', default: 'true', secret: false, line: 9 },
          { name: 'EMPTY', secret: false, line: 10 },
          { name: 'TOKEN', prompt: 'API token', secret: true, line: 11 },
          { name: '_under', default: 'x', secret: false, line: 14 },
        ],
      });
      assert.equal(rb.steps[0].line, 17);
    });

    it('never takes front-matter lines for steps or headings', () => {
      const rb = parseRunbook(md('---', 'notes: |', '  - [ ] not a step', '  # not a heading', '---', '- [ ] real'));
      assert.deepEqual(texts(rb), ['real']);
      assert.equal(rb.title, undefined);
    });

    it('accepts ... as the closing line and CRLF endings', () => {
      const rb = parseRunbook(md('---', 'title: Dots', '...', '- [ ] s').replace(/\n/g, '\r\n'));
      assert.equal(rb.title, 'Dots');
      assert.deepEqual(rb.frontMatter, { line: 0, endLine: 3 });
      assert.equal(rb.steps[0].line, 3);
    });

    it('reports malformed YAML on its file line and still parses the rest', () => {
      const rb = parseRunbook(md('---', 'title: ok', 'variables:', '  A: 1', ' B: : 2', '---', '# Body', '- [ ] still here'));
      assert.ok(rb.problems.length > 0);
      assert.ok(rb.problems.every((p) => p.code === 'front-matter' && p.severity === 'error'));
      assert.equal(rb.problems[0].line, 4);
      assert.deepEqual(texts(rb), ['still here']);
      assert.equal(rb.title, 'Body');
    });

    it('reports an unclosed flow collection and a non-mapping', () => {
      const flow = parseRunbook(md('---', 'title: [oops', '---', '- [ ] s'));
      assert.deepEqual(flow.problems.map((p) => p.code), ['front-matter']);
      assert.ok(flow.problems[0].line >= 1 && flow.problems[0].line <= 2);
      assert.equal(flow.steps.length, 1);
      const list = parseRunbook(md('---', '- a', '- b', '---'));
      assert.deepEqual(codes(list.problems), ['front-matter@1']);
    });

    it('reports bad values with the line of the key', () => {
      const rb = parseRunbook(
        md('---', 'title: 2024', 'variables:', '  1BAD: x', '  GOOD-ISH: y', '  OK:', '    default: [1]', '    secret: "yes"', '    colour: red', '  LIST: [1, 2]', '---'),
      );
      assert.deepEqual(codes(rb.problems), [
        'front-matter@1',
        'front-matter@3',
        'front-matter@4',
        'front-matter@5',
        'front-matter@5',
        'unknown-attr@5',
        'front-matter@9',
      ]);
      assert.deepEqual(rb.meta.variables.map((v) => v.name), ['OK', 'LIST']);
      assert.equal(rb.meta.title, undefined);
    });

    it('reports variables that are not a mapping', () => {
      const rb = parseRunbook(md('---', 'variables: [A, B]', '---'));
      assert.deepEqual(codes(rb.problems), ['front-matter@1']);
      assert.deepEqual(rb.meta.variables, []);
    });

    it('is front matter only on the first line, and only when closed', () => {
      const late = parseRunbook(md('', '---', 'title: x', '---', '- [ ] s'));
      assert.equal(late.frontMatter, undefined);
      assert.equal(late.meta.title, undefined);
      assert.equal(late.title, undefined);
      assert.equal(late.steps.length, 1);

      const unclosed = parseRunbook(md('---', 'title: x', '- [ ] s'));
      assert.equal(unclosed.frontMatter, undefined);
      assert.deepEqual(codes(unclosed.problems), ['front-matter@0']);
      assert.equal(unclosed.problems[0].severity, 'warning');
      assert.equal(unclosed.steps.length, 1);
    });

    it('has empty meta without front matter and for an empty one', () => {
      assert.deepEqual(parseRunbook('- [ ] s\n').meta, { variables: [], extra: {} });
      const empty = parseRunbook(md('---', '---', '- [ ] s'));
      assert.deepEqual(empty.meta, { variables: [], extra: {} });
      assert.deepEqual(empty.problems, []);
      assert.equal(empty.steps[0].line, 2);
    });
  });

  describe('title', () => {
    it('falls back to the first level-1 heading, else undefined', () => {
      assert.equal(parseRunbook(md('## Not this', '# This one', '# Not the second')).title, 'This one');
      assert.equal(parseRunbook(md('Setext title', '============')).title, 'Setext title');
      assert.equal(parseRunbook(md('## Only level two')).title, undefined);
      assert.equal(parseRunbook('').title, undefined);
    });
  });

  describe('rollback section', () => {
    it('marks steps under a level-2 or level-3 Rollback heading until the next heading of that level or higher', () => {
      const rb = parseRunbook(
        md(
          '# Runbook',
          '- [ ] before',
          '## Rollback plan',
          '- [ ] r1',
          '### Details',
          '- [ ] r2',
          '  - [ ] r2 child',
          '## Verify',
          '- [ ] after',
          '### rollback',
          '- [ ] r3',
          '#### deeper',
          '- [ ] r4',
          '# Rollback at level 1 is just a heading',
          '- [ ] not rollback',
          '## 3. ⏪ Rollback',
          '- [ ] r5',
          '## Rollbacks are not this heading? they are',
          '- [ ] r6',
          '## Post-rollback checks',
          '- [ ] after again',
        ),
      );
      const rollback = rb.steps.filter((s) => s.rollback).map((s) => s.text);
      assert.deepEqual(rollback, ['r1', 'r2', 'r2 child', 'r3', 'r4', 'r5', 'r6']);
    });
  });

  it('never throws and returns problems sorted by line', () => {
    const rb = parseRunbook(md('---', 'a: [', '---', '- [ ] a', '  ```sh {bad', '  ```', '- [ ] b', '  ```sh {"x":1}', '  ```'));
    const lines = rb.problems.map((p) => p.line);
    assert.deepEqual(lines, [...lines].sort((a, b) => a - b));
  });
});
