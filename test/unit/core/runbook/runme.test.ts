import * as assert from 'node:assert/strict';
import {
  applyEdits,
  blockScript,
  blocksToStepsEdits,
  looseSteps,
  parseRunbook,
  prepareStep,
  runbookDirectory,
  type Diagnostic,
} from '../../../../src/core/runbook';

const md = (...lines: string[]) => `${lines.join('\n')}\n`;
const codes = (problems: Diagnostic[]) => problems.map((p) => `${p.severity}:${p.code}@${p.line}`);
const step = (attrs: string, code = 'ls') => md('- [ ] a', '  ```sh ' + attrs, `  ${code}`, '  ```');

describe('Runme attribute forms', () => {
  it('reads JSON attributes whose values are all strings, as Runme writes them', () => {
    const rb = parseRunbook(step('{"name":"setup","interactive":"false","excludeFromRunAll":"true"}'));
    const { attrs } = rb.steps[0].commands[0];
    assert.equal(attrs.name, 'setup');
    assert.equal(attrs.interactive, false);
    assert.equal(attrs.excludeFromRunAll, true);
    assert.deepEqual(rb.problems, []);
    assert.deepEqual(rb.steps[0].blockers, []);
  });

  it("reads the booleans Runme reads (Go's ParseBool) and refuses other words", () => {
    for (const [word, value] of [['TRUE', true], ['1', true], ['t', true], ['False', false], ['0', false], ['F', false]] as const) {
      assert.equal(parseRunbook(step(`{"interactive":"${word}"}`)).steps[0].commands[0].attrs.interactive, value, word);
    }
    const rb = parseRunbook(step('{"interactive":"no"}'));
    assert.deepEqual(codes(rb.problems), ['error:fence-attrs@1']);
    assert.equal(rb.steps[0].blockers.length, 1, 'an unreadable gate still blocks the step');
  });

  it('reads the older { key=value } form', () => {
    const rb = parseRunbook(step('{ name=update-brew interactive=false excludeFromRunAll timeout=90 }'));
    const { attrs } = rb.steps[0].commands[0];
    assert.equal(attrs.name, 'update-brew');
    assert.equal(attrs.interactive, false);
    assert.equal(attrs.timeout, 90);
    // A bare key has an empty value, which is no boolean.
    assert.deepEqual(codes(rb.problems), ['error:fence-attrs@1']);
    assert.match(rb.problems[0].message, /excludeFromRunAll/);
    assert.equal(parseRunbook(step('{ name="quoted" confirm=production }')).steps[0].commands[0].attrs.name, 'quoted');
    assert.equal(parseRunbook(step('{ confirm=production }')).steps[0].commands[0].attrs.confirm, 'production');
  });

  it('still reports broken JSON that is not the older form', () => {
    for (const attrs of ['{name: "x"}', '{"name":"x",}', '{"confirm":"production"', '{ "name"=x }', '{ a=b']) {
      const rb = parseRunbook(step(attrs));
      assert.deepEqual(codes(rb.problems), ['error:fence-attrs@1'], attrs);
      assert.equal(rb.steps[0].blockers.length, 1, attrs);
    }
  });

  it("recognises Runme's presentation keys without a warning and keeps them", () => {
    const rb = parseRunbook(step('{"id":"01HF7BT3HCDS1X1WJJHXFHR4ZG","closeTerminalOnSuccess":"false","category":"setup","tag":"a,b","terminalRows":"20","mimeType":"text/plain","name":"x"}'));
    assert.deepEqual(rb.problems, []);
    assert.equal(rb.steps[0].commands[0].attrs.extra.id, '01HF7BT3HCDS1X1WJJHXFHR4ZG');
  });

  it('reports background, promptEnv and a foreign interpreter as not supported, once per runbook', () => {
    const text = md(
      '---',
      'shell: zsh',
      '---',
      '```sh {"background":"true","promptEnv":"yes","interpreter":"bash"}',
      'server',
      '```',
      '- [ ] a',
      '  ```sh {"background":"true","interpreter":"/bin/bash"}',
      '  worker',
      '  ```',
      '```sh {"background":"true"}',
      'third',
      '```',
    );
    const rb = parseRunbook(text);
    assert.deepEqual(codes(rb.problems), ['warning:unsupported-attr@3', 'warning:unsupported-attr@3', 'warning:unsupported-attr@3']);
    const [background, promptEnv, interpreter] = rb.problems.map((p) => p.message);
    assert.match(background, /^"background" is not supported: .*foreground.* \(3 blocks in this file have it\.\)$/);
    assert.match(promptEnv, /^"promptEnv" is not supported: .*front matter\.$/);
    assert.match(interpreter, /^"interpreter" is not supported: .*runbook's shell \(zsh\), not bash.* \(2 blocks in this file have it\.\)$/);
    assert.deepEqual(rb.steps[0].blockers, [], 'a warning does not block');
  });

  it('says nothing when those attributes change nothing', () => {
    const rb = parseRunbook(md('---', 'shell: /usr/bin/zsh', '---', step('{"background":"false","promptEnv":"never","interpreter":"zsh"}'), step('{"promptEnv":"no"}'), step('{"promptEnv":false}')));
    assert.deepEqual(rb.problems, []);
    assert.deepEqual(parseRunbook(step('{"interpreter":"bash"}')).problems, [], 'bash is the default shell');
    assert.deepEqual(parseRunbook(md('```python {"interpreter":"python3","background":"true"}', 'x', '```')).problems, [], 'blocks that do not run');
  });

  it("accepts Runme's front matter keys without a problem", () => {
    const rb = parseRunbook(md('---', 'runme:', '  id: 01HF7BT3HCDS1X1WJJHXFHR4ZG', '  version: v3', 'shell: zsh', 'cwd: ../..', 'skipPrompts: true', 'terminalRows: 10', 'tag: ops', '---', step('{"id":"01HF7BT3HCDS1X1WJJHS5YH0Y1"}')));
    assert.deepEqual(rb.problems, []);
    assert.equal(rb.meta.shell, 'zsh');
    assert.equal(rb.meta.cwd, '../..');
  });

  it("resolves a Runme file's working directory from its own folder, others from the workspace", () => {
    const folders = { workspace: '/ws', document: '/ws/docs/ops' };
    assert.equal(runbookDirectory(parseRunbook(md('---', 'runme:', '  id: X', 'cwd: ../..', '---')).meta, folders), '/ws');
    assert.equal(runbookDirectory(parseRunbook(md('---', 'runme:', '  id: X', '---')).meta, folders), '/ws/docs/ops');
    assert.equal(runbookDirectory(parseRunbook(md('---', 'cwd: deploy', '---')).meta, folders), '/ws/deploy');
    assert.equal(runbookDirectory(parseRunbook('# none\n').meta, folders), '/ws');
  });

  it('runs a line copied with its "$ " prompt without the prompt, as Runme does', () => {
    const rb = parseRunbook(step('{}', '$ brew update').replace('  ```\n', '  $\techo "$HOME"\n  $VAR_AT_START\n  ```\n'));
    assert.equal(blockScript(rb.steps[0].commands[0]), 'brew update\necho "$HOME"\n$VAR_AT_START\n');
    const prepared = prepareStep(rb.meta, rb.steps[0], new Map());
    assert.equal(prepared.blocks[0].script, 'brew update\necho "$HOME"\n$VAR_AT_START\n');
    assert.equal(prepared.command, 'brew update\necho "$HOME"\n$VAR_AT_START\n');
  });
});

describe('blocks outside steps', () => {
  const readme = md(
    '# Runme',
    '',
    'Update brew:',
    '',
    '```sh { name=update-brew }',
    '$ brew update',
    '```',
    '',
    '```sh',
    '# a comment first',
    'go install ./...',
    '```',
    '',
    '```sh',
    'go install ./...',
    '```',
    '',
    '```json',
    '{"not": "run"}',
    '```',
    '',
    '- a plain list item',
    '  ```sh {"confirm":"x"}',
    '  inside an item',
    '  ```',
    '',
    '```bash {"timeout":"soon"}',
    'broken',
    '```',
  );

  it('become steps without a checkbox, with keys of their own', () => {
    const rb = parseRunbook(readme);
    const loose = looseSteps(rb);
    assert.deepEqual(
      loose.map((s) => [s.key, s.text, s.line, s.checkboxOffset, s.loose, s.blockers.length]),
      [
        ['block:update-brew', 'update-brew', 4, -1, true, 0],
        ['block:go install ./...', 'go install ./...', 8, -1, true, 0],
        ['block:go install ./...#2', 'go install ./...', 13, -1, true, 0],
        ['block:inside an item', 'inside an item', 22, -1, true, 0],
        ['block:broken', 'broken', 26, -1, true, 1],
      ],
    );
    assert.equal(new Set(loose.map((s) => s.index)).size, loose.length);
  });

  it('are blocked by unreadable front matter like steps', () => {
    const rb = parseRunbook(md('---', 'title: [unclosed', '---', '```sh', 'echo hi', '```'));
    assert.equal(looseSteps(rb)[0].blockers.length, 1);
  });

  it('turn into checkbox steps, each block unchanged inside its item, with CRLF kept', () => {
    for (const eol of ['\n', '\r\n']) {
      const text = readme.replace(/\n/g, eol);
      const converted = applyEdits(text, blocksToStepsEdits(text));
      const rb = parseRunbook(converted);
      assert.deepEqual(
        rb.steps.map((s) => [s.text, s.name, s.commands.map((c) => c.code)]),
        [
          ['update-brew', 'update-brew', ['$ brew update\n']],
          ['`go install ./...`', undefined, ['# a comment first\ngo install ./...\n']],
          ['`go install ./...`', undefined, ['go install ./...\n']],
          ['`broken`', undefined, ['broken\n']],
        ],
      );
      assert.ok(converted.includes(`- [ ] update-brew${eol}  \`\`\`sh { name=update-brew }${eol}  $ brew update${eol}  \`\`\`${eol}`), JSON.stringify(converted));
      assert.ok(converted.includes(`- a plain list item${eol}  \`\`\`sh {"confirm":"x"}`), 'blocks inside list items stay where they are');
      assert.equal(converted.split(eol).length, text.split(eol).length + 4, 'one line added per block');
      assert.deepEqual(blocksToStepsEdits(converted), [], 'nothing left to convert');
    }
  });

  it('keep tab-indented code exactly as it was (every conversion is checked by parsing it again)', () => {
    const text = md('```sh', 'cat <<-EOF', '\tindented with a tab', '\tEOF', '```', '', '   ```sh', '   echo three spaces', '   ```');
    const rb = parseRunbook(text);
    const converted = applyEdits(text, blocksToStepsEdits(text));
    assert.deepEqual(parseRunbook(converted).steps.map((s) => s.commands[0].code), rb.looseBlocks.map((b) => b.code));
  });
});
