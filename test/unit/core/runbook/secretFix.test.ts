import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { applyEdits, findHardCodedSecrets, parseRunbook, secretFix } from '../../../../src/core/runbook';

const md = (...lines: string[]) => `${lines.join('\n')}\n`;

/** The fix of the first finding (or the one on `line`, 1-based), applied. */
function fixed(text: string, line?: number) {
  const rb = parseRunbook(text);
  const findings = findHardCodedSecrets(text, rb);
  const target = line === undefined ? findings[0] : findings.find((f) => f.line === line - 1);
  assert.ok(target, 'a finding');
  const fix = secretFix(text, rb, target, findings);
  return { fix, text: fix ? applyEdits(text, fix.edits) : undefined };
}

describe('secrets hygiene: the quick fix', () => {
  it('creates front matter with a secret variable and puts $NAME where the literal was', () => {
    const text = md('# Back up', '', '- [ ] Dump', '  ```sh', '  PGPASSWORD=s3cr3t-Pw pg_dump -h db billing > backup.sql', '  ```');
    const r = fixed(text);
    assert.equal(
      r.text,
      md('---', 'variables:', '  PGPASSWORD:', '    secret: true', '---', '# Back up', '', '- [ ] Dump', '  ```sh', '  PGPASSWORD=$PGPASSWORD pg_dump -h db billing > backup.sql', '  ```'),
    );
    assert.deepEqual({ name: r.fix!.name, declares: r.fix!.declares, replaced: r.fix!.replaced }, { name: 'PGPASSWORD', declares: true, replaced: 1 });
    const after = parseRunbook(r.text!);
    assert.deepEqual(after.meta.variables.map((v) => [v.name, v.secret, v.default]), [['PGPASSWORD', true, undefined]]);
    assert.deepEqual(findHardCodedSecrets(r.text!, after), [], 'nothing left to report');
  });

  it('adds the variables key to front matter that has none, keeping CRLF line endings', () => {
    const text = '---\r\ntitle: Deploy\r\n# keep me\r\n---\r\n# Deploy\r\n- [ ] Go\r\n  ```sh\r\n  export API_TOKEN="tok_9f8e7d6c5b4a"\r\n  ```\r\n';
    assert.equal(fixed(text).text, '---\r\ntitle: Deploy\r\n# keep me\r\nvariables:\r\n  API_TOKEN:\r\n    secret: true\r\n---\r\n# Deploy\r\n- [ ] Go\r\n  ```sh\r\n  export API_TOKEN="$API_TOKEN"\r\n  ```\r\n');
  });

  it('adds an entry to the variables map as its entries are indented, after its last one', () => {
    const text = md(
      '---',
      'title: Deploy',
      'variables:',
      '    DB_HOST:',
      '        default: db.internal   # the primary',
      '    RELEASE: "2.4.1"',
      'shell: bash',
      '---',
      '- [ ] Go',
      '  ```sh',
      '  mysql -h "$DB_HOST" -u app -pHunter3 billing',
      '  ```',
    );
    assert.equal(
      fixed(text).text,
      md(
        '---',
        'title: Deploy',
        'variables:',
        '    DB_HOST:',
        '        default: db.internal   # the primary',
        '    RELEASE: "2.4.1"',
        '    MYSQL_PASSWORD:',
        '        secret: true',
        'shell: bash',
        '---',
        '- [ ] Go',
        '  ```sh',
        '  mysql -h "$DB_HOST" -u app -p"$MYSQL_PASSWORD" billing',
        '  ```',
      ),
    );
  });

  it('adds an entry to a flow-style map and to an empty variables key', () => {
    const flow = md('---', 'variables: { RELEASE: "2.4.1" }', '---', '- [ ] Go', '  ```sh', '  redis-cli -a RedisPass7 ping', '  ```');
    assert.equal(fixed(flow).text, md('---', 'variables: { RELEASE: "2.4.1", REDISCLI_AUTH: { secret: true } }', '---', '- [ ] Go', '  ```sh', '  redis-cli -a "$REDISCLI_AUTH" ping', '  ```'));
    const empty = md('---', 'variables:', 'title: T', '---', '- [ ] Go', '  ```sh', '  redis-cli -a RedisPass7 ping', '  ```');
    assert.equal(fixed(empty).text, md('---', 'variables:', '  REDISCLI_AUTH:', '    secret: true', 'title: T', '---', '- [ ] Go', '  ```sh', '  redis-cli -a "$REDISCLI_AUTH" ping', '  ```'));
  });

  it('replaces the same literal everywhere in one fix, and uses a secret variable already declared', () => {
    const text = md(
      '---',
      'variables:',
      '  PGPASSWORD:',
      '    secret: true',
      '---',
      '- [ ] One',
      '  ```sh',
      '  PGPASSWORD=s3cr3t-Pw psql -c "select 1"',
      '  ```',
      '- [ ] Two',
      '  ```sh',
      "  psql 'postgres://app:s3cr3t-Pw@db/app' -c 'select 2'",
      '  pg_dump "postgres://app:s3cr3t-Pw@db/app" > x.sql',
      '  ```',
    );
    const r = fixed(text);
    assert.deepEqual({ name: r.fix!.name, declares: r.fix!.declares, replaced: r.fix!.replaced }, { name: 'PGPASSWORD', declares: false, replaced: 3 });
    assert.equal(r.text, text.replace('PGPASSWORD=s3cr3t-Pw', 'PGPASSWORD=$PGPASSWORD').replace("app:s3cr3t-Pw@db/app'", "app:'\"$PGPASSWORD\"'@db/app'").replace('"postgres://app:s3cr3t-Pw@', '"postgres://app:$PGPASSWORD@'));
  });

  it('picks another name when a plain variable already has the suggested one', () => {
    const text = md('---', 'variables:', '  API_TOKEN: not-secret-here', '---', '- [ ] Go', '  ```sh', '  curl -H "Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.e30.sig" https://api', '  ```');
    const r = fixed(text);
    assert.equal(r.fix!.name, 'API_TOKEN_2');
    assert.match(r.text!, /Bearer \$API_TOKEN_2" https/);
    assert.deepEqual(parseRunbook(r.text!).meta.variables.map((v) => [v.name, v.secret, v.default]), [['API_TOKEN', false, 'not-secret-here'], ['API_TOKEN_2', true, undefined]]);
  });

  it('makes the default admin account a plain variable that is asked for', () => {
    const text = md('- [ ] Go', '  ```sh', '  mongosh --username admin --password "$MONGO_PASSWORD"', '  ```');
    const r = fixed(text);
    assert.equal(r.text, md('---', 'variables:', '  ADMIN_USER:', '    prompt: User name of the administrator account', '---', '- [ ] Go', '  ```sh', '  mongosh --username "$ADMIN_USER" --password "$MONGO_PASSWORD"', '  ```'));
    assert.deepEqual(parseRunbook(r.text!).meta.variables.map((v) => [v.name, v.secret]), [['ADMIN_USER', false]]);
  });

  it('offers no fix where $NAME would not be expanded or the front matter cannot be read', () => {
    const none = (text: string) => {
      const rb = parseRunbook(text);
      const findings = findHardCodedSecrets(text, rb);
      assert.ok(findings.length > 0, 'a finding');
      return findings.map((f) => secretFix(text, rb, f, findings));
    };
    assert.deepEqual(none(md('- [ ] Go', '  ```sh', "  cat > c.yaml <<'EOF'", '  password: QuotedDoc1', '  EOF', '  ```')), [undefined]);
    assert.deepEqual(none(md('- [ ] Go', '  ```yaml', '  password: YamlPass1', '  ```')), [undefined]);
    assert.deepEqual(none(md('- [ ] Go', '  ```', '  -----BEGIN RSA PRIVATE KEY-----', '  ```')), [undefined]);
    assert.deepEqual(none(md('---', 'title: [unclosed', '---', '- [ ] Go', '  ```sh', '  PGPASSWORD=s3cr3t-Pw psql', '  ```')), [undefined]);
  });

  it('keeps what the shell sees: the fixed command expands to what the literal was', function () {
    if (spawnSync('bash', ['-c', 'true']).status !== 0) this.skip();
    const value = "S3 cr'et\"$x";
    // Stand-ins that print what they get: their arguments, and psql its PGPASSWORD.
    const stubs = `mysql() { printf '<%s>' "$@"; }; curl() { printf '<%s>' "$@"; }; docker() { printf '<%s>' "$@"; }; psql() { printf '<%s>' "$PGPASSWORD" "$@"; }; `;
    const lines = [
      'PGPASSWORD=LITERAL psql -c "select 1"',
      'mysql -u app --password=LITERAL billing; mysql -u app -pLITERAL billing',
      "curl 'postgres://app:LITERAL@db/app' \"postgres://app:LITERAL@db\" -u deploy:LITERAL",
      "curl -d '{\"password\":\"LITERAL\"}' -H \"Authorization: Bearer LITERAL\"",
      'docker login -u bot -p LITERAL registry.internal',
      'cat <<EOF\n  DB_PASSWORD=LITERAL\n  EOF',
    ];
    for (const template of lines) {
      const line = template.replace(/LITERAL/g, 'Lit3ralPw');
      const text = md('- [ ] Go', '  ```sh', ...line.split('\n').map((l) => (l.startsWith('  ') ? l : `  ${l}`)), '  ```');
      const rb = parseRunbook(text);
      const findings = findHardCodedSecrets(text, rb);
      assert.ok(findings.length > 0, line);
      const fix = secretFix(text, rb, findings[0], findings)!;
      const code = (t: string) => t.slice(t.indexOf('```sh\n') + 6, t.lastIndexOf('  ```')).replace(/^ {2}/gm, '');
      const after = code(applyEdits(text, fix.edits));
      const run = (cmd: string, env: Record<string, string>) => spawnSync('bash', ['--noprofile', '--norc', '-c', stubs + cmd], { env: { PATH: process.env.PATH, ...env }, encoding: 'utf8' }).stdout;
      const before = run(code(text), {});
      assert.ok(before.includes('Lit3ralPw'), before);
      // With the variable set to the literal, the command reads the same; with a value of spaces
      // and quotes, that value reaches the command whole.
      assert.equal(run(after, { [fix.name]: 'Lit3ralPw' }), before, `${line} → ${after}`);
      assert.equal(run(after, { [fix.name]: value }), before.split('Lit3ralPw').join(value), `${line} → ${after}`);
    }
  });
});
