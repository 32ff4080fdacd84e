import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { findHardCodedSecrets, parseRunbook, type SecretFinding } from '../../../../src/core/runbook';
import { ROOT } from '../../../support/fixtures';
import { checkGrowth } from '../../../support/regexBudget';

const md = (...lines: string[]) => `${lines.join('\n')}\n`;
const scan = (text: string) => findHardCodedSecrets(text, parseRunbook(text));
/** `line:value name code` for each finding: what the operator is told and what a fix would make. */
const summary = (fs: SecretFinding[]) => fs.map((f) => `${f.line + 1}:${f.value} ${f.name} ${f.code}`);
/** A step with one shell block of these lines. */
const step = (...code: string[]) => md('# Runbook', '', '- [ ] Step', '  ```sh', ...code.map((c) => `  ${c}`), '  ```');

// Token-shaped values are assembled here, so that no file of the repository holds one.
const GITHUB_TOKEN = `ghp_${'R4nd0mL00k1ng'.repeat(3).slice(0, 36)}`;
const AWS_KEY = `AKIA${'Q7W2E9R4T6Y1U3I5'}`;

describe('secrets hygiene: hard-coded credentials in code blocks', () => {
  it('finds passwords, tokens and keys in a real-looking upgrade runbook, each on its literal', () => {
    const text = md(
      '---',
      'title: Upgrade billing',
      '---',
      '# Upgrade billing',
      '',
      '- [ ] Back up the database',
      '  ```sh {"name":"backup"}',
      '  PGPASSWORD=s3cr3t-Pw pg_dump -h db.internal -U billing billing > backup.sql',
      '  mysqldump -u billing -p\'Hunter2!\' billing > billing.sql',
      '  ```',
      '- [ ] Deploy',
      '  ```bash',
      '  export API_TOKEN="tok_9f8e7d6c5b4a"',
      `  git clone https://x-access-token:${GITHUB_TOKEN}@github.com/acme/billing`,
      '  docker login -u deploy-bot -p R3gistryPass registry.internal',
      '  helm upgrade billing chart --set postgresql.auth.password=HelmPass1',
      '  curl -fsS -H "Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.e30.sig" https://deploy.internal/api',
      '  psql \'postgres://billing:Pg-Pass-42@db.internal:5432/billing\' -c \'select 1\'',
      `  aws configure set aws_access_key_id ${AWS_KEY}`,
      '  redis-cli -a RedisPass7 ping',
      '  oc login --token=sha256~Zk1mN0pQ https://api.ocp.internal:6443',
      '  ```',
    );
    const found = scan(text);
    assert.deepEqual(summary(found), [
      '8:s3cr3t-Pw PGPASSWORD hard-coded-secret',
      "9:Hunter2! MYSQL_PASSWORD hard-coded-secret",
      '13:tok_9f8e7d6c5b4a API_TOKEN hard-coded-secret',
      `14:${GITHUB_TOKEN} GITHUB_TOKEN hard-coded-secret`,
      '15:R3gistryPass DOCKER_PASSWORD hard-coded-secret',
      '16:HelmPass1 POSTGRESQL_AUTH_PASSWORD hard-coded-secret',
      '17:eyJhbGciOiJIUzI1NiJ9.e30.sig API_TOKEN hard-coded-secret',
      '18:Pg-Pass-42 POSTGRES_PASSWORD hard-coded-secret',
      `19:${AWS_KEY} AWS_ACCESS_KEY_ID hard-coded-secret`,
      '20:RedisPass7 REDISCLI_AUTH hard-coded-secret',
      '21:sha256~Zk1mN0pQ OC_TOKEN hard-coded-secret',
    ]);
    // Each diagnostic sits on the literal itself, quotes excluded.
    const lines = text.split('\n');
    for (const f of found) assert.equal(lines[f.line].slice(f.column, f.endColumn), f.value);
    assert.ok(found.every((f) => f.replace && f.secret), 'every one of these can be fixed');
    assert.match(found[0].message, /hard-codes a password, token or key: anyone who can read the runbook or its history can use it\. Make it a secret variable/);
  });

  it('finds credentials in JSON bodies, here-documents, configuration blocks and URLs, and private keys', () => {
    const text = md(
      '# Runbook',
      '- [ ] Configure',
      '  ```sh',
      '  curl -d \'{"user":"ops","password":"JsonPass1"}\' https://app.internal/login',
      '  cat > .env <<EOF',
      '  DB_PASSWORD=EnvPass123',
      '  EOF',
      "  cat > creds.yaml <<'EOF'",
      '  password: QuotedDoc1',
      '  EOF',
      '  curl -u deploy:Sup3rS3cret https://ci.internal/api',
      '  ```',
      '- [ ] Keys',
      '  ```',
      '  -----BEGIN OPENSSH PRIVATE KEY-----',
      '  ```',
      '  ```yaml',
      '  smtp:',
      '    password: YamlPass1',
      '  ```',
    );
    const found = scan(text);
    assert.deepEqual(summary(found), [
      '4:JsonPass1 PASSWORD hard-coded-secret',
      '6:EnvPass123 DB_PASSWORD hard-coded-secret',
      '9:QuotedDoc1 PASSWORD hard-coded-secret',
      '11:Sup3rS3cret DEPLOY_PASSWORD hard-coded-secret',
      '15:-----BEGIN OPENSSH PRIVATE KEY----- PRIVATE_KEY hard-coded-secret',
      '19:YamlPass1 PASSWORD hard-coded-secret',
    ]);
    const fixable = found.map((f) => f.replace?.context ?? 'no fix');
    // A quoted here-document does not expand $NAME, a private key is not one value, a YAML block is not run.
    assert.deepEqual(fixable, ['single', 'heredoc', 'no fix', 'word', 'no fix', 'no fix']);
    assert.match(found[4].message, /holds a private key/);
  });

  it('reports default credentials and the default admin account', () => {
    const text = step(
      'curl --user admin:admin http://localhost:3000/api/health',
      'grafana-cli admin reset-admin-password --password=changeme',
      '# the console login is admin/admin until the first change',
      'mongosh --username admin --password "$MONGO_PASSWORD"',
    );
    assert.deepEqual(summary(scan(text)), [
      '5:admin ADMIN_PASSWORD default-credentials',
      '6:changeme GRAFANA_CLI_PASSWORD default-credentials',
      '7:admin ADMIN_PASSWORD default-credentials',
      '8:admin ADMIN_USER default-admin-user',
    ]);
    const admin = scan(text)[3];
    assert.equal(admin.secret, false, 'a user name becomes a plain variable');
    assert.match(admin.message, /default admin account \("admin"\)/);
    assert.match(scan(text)[1].message, /well-known default password \("changeme"\)/);
  });

  it('raises no false alarm on references, placeholders, prompts and files', () => {
    const text = step(
      'PGPASSWORD="$PGPASSWORD" psql -h "$DB_HOST" -U app -c "select 1"',
      'export API_TOKEN=${API_TOKEN:?set it first}',
      'PGPASSWORD=$(vault kv get -field=password secret/db) pg_isready',
      'TOKEN=`cat /run/secrets/token` ./deploy.sh',
      'mysql -u app -p billing < dump.sql',
      'psql --password -h db -U app',
      'printf %s "$TOKEN" | docker login -u bot --password-stdin registry.internal',
      'curl -H "Authorization: Bearer $TOKEN" -u "$USER:$PASS" https://api.internal',
      'psql "postgres://app:${PGPASSWORD}@db:5432/app"',
      'export PGPASSFILE=~/.pgpass PASSWORD_FILE=/run/secrets/db TOKEN_TTL=3600 SECRET_NAME=db-creds',
      'API_KEY=*** SECRET=... TOKEN=<your-token> PASSWORD=xxxx CLIENT_SECRET=REDACTED',
      'vault kv put secret/db password=<new-password> token={{ vault_token }}',
      'mkdir -p /srv/app && tar -pxf app.tgz && ssh -p 2222 ops@bastion uptime',
      'cd "$OLDPWD"; PWD=/tmp ls',
      'helm upgrade app chart --set auth.existingSecret=app-db --set auth.passwordFile=/run/pw',
      `aws configure set aws_access_key_id AKIAIOSFODNN7EXAMPLE`,
      'ENABLE_PASSWORD_LOGIN=false REQUIRE_TOKEN=true USE_SECRET=yes',
      'curl -u user:password https://example.com  # the shape of a login, not one',
    );
    assert.deepEqual(summary(scan(text)), []);
  });

  it('raises no false alarm on the sample runbooks and the test runbooks', () => {
    const files = [
      ...readdirSync(path.join(ROOT, 'runbooks')).filter((f) => f.endsWith('.md')).map((f) => path.join(ROOT, 'runbooks', f)),
      ...readdirSync(path.join(ROOT, 'runbooks/ci')).filter((f) => f.endsWith('.md')).map((f) => path.join(ROOT, 'runbooks/ci', f)),
      ...readdirSync(path.join(ROOT, 'test/fixtures/runbooks')).filter((f) => f.endsWith('.md')).map((f) => path.join(ROOT, 'test/fixtures/runbooks', f)),
    ];
    assert.ok(files.some((f) => f.endsWith('no-hard-coded-secrets.md')));
    for (const f of files) assert.deepEqual(summary(scan(readFileSync(f, 'utf8'))), [], path.relative(ROOT, f));
  });

  it('reads only code blocks: prose, and program code that is not configuration, are left alone', () => {
    const text = md(
      '# Notes',
      'The default login is admin/admin and PGPASSWORD=hunter2 was the old password.',
      '- [ ] Step',
      '  ```js',
      '  const token = jwt.sign(payload, secret);',
      "  const password = readPassword('prompt');",
      '  ```',
      '  ```sh',
      '  echo ok',
      '  ```',
    );
    assert.deepEqual(summary(scan(text)), []);
  });

  it('reads each line in time linear in its length', function () {
    this.timeout(60_000);
    const shapes: [string, string][] = [
      ['spaces', 'PGPASSWORD= '],
      ['assignments', 'a=a'],
      ['credential assignments', 'password='],
      ['names', 'export '],
      ['options', '--password '],
      ['options and values', '--password=x1y2z3 '],
      ['dashes', '-p'],
      ['URLs', 'a://b:c'],
      ['URLs with passwords', 'a://b:cdefg@'],
      ['colons', 'password: "'],
      ['quotes', `'"`],
      ['headers', 'Authorization: Bearer '],
      ['dots', 'a.'],
      ['here-documents', '<<'],
      ['user options', '-u a '],
      ['backslashes', '\\'],
    ];
    for (const [what, unit] of shapes) {
      const r = checkGrowth((t) => scan(t), (bytes) => step(`curl docker login mysql redis-cli -a ${unit.repeat(Math.ceil(bytes / unit.length))}`), { bytes: 16_000 });
      assert.ok(r.ok, `${what}: ${r.reason}`);
    }
  });
});
