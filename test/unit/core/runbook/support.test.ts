import * as assert from 'node:assert/strict';
import {
  SECRET_MASK,
  applyEdit,
  buildEnv,
  capOutput,
  checkboxEdit,
  expandForDisplay,
  maskSecrets,
  missingVariables,
  parseRunbook,
  secretValues,
  type VariableSpec,
} from '../../../../src/core/runbook';

const spec = (name: string, extra: Partial<VariableSpec> = {}): VariableSpec => ({ name, secret: false, line: 0, ...extra });

describe('runbook edits', () => {
  const text = '- [ ] open\n- [x] done\n- [X] DONE\n';
  const [open, done, upper] = parseRunbook(text).steps;

  it('ticks and unticks with a one-character edit', () => {
    assert.deepEqual(checkboxEdit(text, open, true), { offset: open.checkboxOffset, length: 1, newText: 'x' });
    assert.deepEqual(checkboxEdit(text, done, false), { offset: done.checkboxOffset, length: 1, newText: ' ' });
    assert.deepEqual(checkboxEdit(text, upper, false), { offset: upper.checkboxOffset, length: 1, newText: ' ' });
    const tick = checkboxEdit(text, open, true);
    assert.ok(tick);
    assert.equal(applyEdit(text, tick), '- [x] open\n- [x] done\n- [X] DONE\n');
  });

  it('returns undefined when the box is already in that state', () => {
    assert.equal(checkboxEdit(text, open, false), undefined);
    assert.equal(checkboxEdit(text, done, true), undefined);
    assert.equal(checkboxEdit(text, upper, true), undefined);
  });

  it('refuses an offset that no longer points at a checkbox', () => {
    const edited = `# new line\n${text}`;
    assert.equal(checkboxEdit(edited, open, true), undefined);
    assert.equal(checkboxEdit('- [?] x', { checkboxOffset: 3 }, true), undefined);
    assert.equal(checkboxEdit('', { checkboxOffset: 0 }, true), undefined);
    assert.equal(checkboxEdit('[ ]', { checkboxOffset: 5 }, true), undefined);
  });
});

describe('runbook variables', () => {
  const meta = {
    variables: [
      spec('REGION', { default: 'eu-west-1' }),
      spec('TOKEN', { secret: true, prompt: 'Token' }),
      spec('EMPTY_DEFAULT', { default: '' }),
      spec('TICKET'),
    ],
  };

  it('lists variables with neither a value nor a default', () => {
    assert.deepEqual(missingVariables(meta.variables, new Map()).map((v) => v.name), ['TOKEN', 'TICKET']);
    assert.deepEqual(missingVariables(meta.variables, new Map([['TOKEN', 's3cret'], ['TICKET', '']])), []);
    assert.deepEqual(missingVariables(meta.variables, new Map([['TOKEN', undefined]])).map((v) => v.name), ['TOKEN', 'TICKET']);
  });

  it('builds the environment from values and defaults, declared variables only', () => {
    assert.deepEqual(buildEnv(meta, new Map([['TOKEN', 't'], ['REGION', 'us-east-1'], ['OTHER', 'ignored']])), {
      REGION: 'us-east-1',
      TOKEN: 't',
      EMPTY_DEFAULT: '',
    });
  });

  it('lists the values of secret variables', () => {
    assert.deepEqual(secretValues(meta, new Map([['TOKEN', 's3cret']])), ['s3cret']);
    assert.deepEqual(secretValues(meta, new Map()), []);
    assert.deepEqual(secretValues(meta, new Map([['TOKEN', '']])), []);
  });

  it('expands known variables for display and masks secrets', () => {
    const values = { REGION: 'eu-west-1', TOKEN: 's3cret' };
    assert.equal(
      expandForDisplay('aws --region $REGION --token "${TOKEN}" $UNKNOWN ${REGION}x $REGIONAL', values, ['TOKEN']),
      `aws --region eu-west-1 --token "${SECRET_MASK}" $UNKNOWN eu-west-1x $REGIONAL`,
    );
  });

  it('leaves escaped references, other expansion forms and undeclared secrets alone', () => {
    const values = { A: '1' };
    assert.equal(expandForDisplay('echo \\$A ${A:-x} $$ $1 $A', values, ['B']), 'echo \\$A ${A:-x} $$ $1 1');
    assert.equal(expandForDisplay('echo $B', values, ['B']), 'echo $B');
    assert.equal(expandForDisplay('', values, []), '');
  });

  it('masks every occurrence of every secret', () => {
    assert.equal(maskSecrets('token=abc; again abc', ['abc']), `token=${SECRET_MASK}; again ${SECRET_MASK}`);
    assert.equal(maskSecrets('user pw', ['pw', 'user']), `${SECRET_MASK} ${SECRET_MASK}`);
    assert.equal(maskSecrets('abcabc', ['abc']), SECRET_MASK + SECRET_MASK);
  });

  it('ignores empty secrets and returns the text unchanged without matches', () => {
    assert.equal(maskSecrets('nothing here', ['', 'zzz']), 'nothing here');
    assert.equal(maskSecrets('', ['a']), '');
  });

  it('masks overlapping secrets as one span, leaving no fragment visible', () => {
    assert.equal(maskSecrets('xabcdy', ['abc', 'bcd']), `x${SECRET_MASK}y`);
    assert.equal(maskSecrets('xabcdefy', ['abcdef', 'cd']), `x${SECRET_MASK}y`);
    assert.equal(maskSecrets('aaaa', ['aaa']), SECRET_MASK);
    assert.equal(maskSecrets('p4ss p4ss', new Set(['p4ss'])), `${SECRET_MASK} ${SECRET_MASK}`);
  });
});

describe('runbook output cap', () => {
  const bytes = (s: string) => Buffer.byteLength(s, 'utf8');

  it('returns text within the cap unchanged', () => {
    assert.equal(capOutput('', 10), '');
    assert.equal(capOutput('hello', 5), 'hello');
    assert.equal(capOutput('é'.repeat(5), 10), 'é'.repeat(5));
  });

  it('keeps head and tail around a marker and stays within the cap', () => {
    const text = `${'h'.repeat(5000)}${'m'.repeat(10000)}${'t'.repeat(5000)}`;
    const capped = capOutput(text, 1000);
    assert.ok(bytes(capped) <= 1000, `${bytes(capped)} bytes`);
    assert.ok(capped.startsWith('hhhh'));
    assert.ok(capped.endsWith('tttt'));
    const m = /\n… \[(\d+) bytes omitted\] …\n/.exec(capped);
    assert.ok(m);
    assert.equal(bytes(capped) - bytes(m[0]) + Number(m[1]), bytes(text));
  });

  it('never splits a multi-byte character', () => {
    for (const unit of ['é', '日', '🚀']) {
      for (const cap of [60, 61, 62, 63, 64, 99]) {
        const capped = capOutput(unit.repeat(200), cap);
        assert.ok(!capped.includes('\uFFFD'), `${unit} at ${cap}`);
        assert.ok(bytes(capped) <= cap, `${unit} at ${cap}: ${bytes(capped)}`);
        const m = /\[(\d+) bytes omitted\]/.exec(capped);
        assert.ok(m);
        assert.equal(Number(m[1]) % bytes(unit), 0);
      }
    }
  });

  it('returns just the marker when the cap is smaller than the marker', () => {
    const capped = capOutput('x'.repeat(100), 5);
    assert.equal(capped, '\n… [100 bytes omitted] …\n');
  });
});
