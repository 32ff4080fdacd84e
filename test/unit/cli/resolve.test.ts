import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import type { AddressInfo } from 'node:net';
import { createServer } from 'node:net';
import path from 'node:path';
import { runCli } from '../../support/fixtures';
import { type GitHubServer, releaseSeries, startGitHubServer } from '../../support/githubServer';
import { startRegistry, type LocalRegistry } from '../../support/registry';

const SOURCE = 'org.opencontainers.image.source';

describe('cli: preflight resolve image:REF, and image: sources for notes', function () {
  this.timeout(60_000);
  let registry: LocalRegistry;
  let github: GitHubServer;
  let dir: string;
  let env: NodeJS.ProcessEnv;

  before(async () => {
    github = await startGitHubServer({ prefix: '/api/v3' });
    github.state.repos = { 'acme/app': { defaultBranch: 'main', releases: releaseSeries(3), tags: ['v1.0.2', 'v1.0.1', 'v1.0.0'], files: { main: { 'README.md': '# app\n' }, 'v1.0.2': { 'README.md': '# app\n' } } } };
    registry = await startRegistry();
    const labels = { [SOURCE]: `${github.url}/acme/app`, 'org.opencontainers.image.version': '1.0.2' };
    await registry.pushImage('acme/app', ['1.0.0', '1.0.1', '1.0.2', '1.0', 'latest'], { labels });
    await registry.pushImage('acme/app', ['1.0.1-alpine', '1.0.0-alpine', '1.0-alpine'], { labels: { [SOURCE]: 'https://github.com/acme/app' } });
  });
  after(async () => {
    await registry.close();
    await github.close();
  });
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'preflight-cli-resolve-'));
    env = { HOME: dir, XDG_CACHE_HOME: path.join(dir, 'cache'), DOCKER_CONFIG: path.join(dir, 'docker') };
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('is listed in the help, with its own', async () => {
    const help = await runCli(['help'], dir, env);
    assert.match(help.stdout, /^ {2}resolve Resolve a container image: its source, version and tags$/m);
    const own = await runCli(['resolve', '--help'], dir, env);
    assert.equal(own.code, 0);
    assert.match(own.stdout, /^Usage: preflight resolve image:REF/);
    assert.match(own.stdout, /--insecure-registry HOST/);
    assert.equal((await runCli(['help', 'resolve'], dir, env)).stdout, own.stdout);
    const none = await runCli(['resolve'], dir, env);
    assert.equal(none.code, 2);
    assert.match(none.stderr, /^preflight: resolve needs one image:REF\. Run "preflight resolve --help"\.\n$/);
  });

  it('prints the source, the version and the tags of the family as JSON', async () => {
    const r = await runCli(['resolve', `image:${registry.host}/acme/app:1.0-alpine`, '--json'], dir, env);
    assert.equal(r.stderr, '');
    assert.equal(r.code, 0);
    const out = JSON.parse(r.stdout) as Record<string, unknown>;
    assert.deepEqual({ source: out.source, version: out.version, versions: out.versions }, { source: 'github:acme/app', version: '1.0-alpine', versions: ['1.0-alpine', '1.0.0-alpine', '1.0.1-alpine'] });
    assert.equal(out.image, `${registry.host}/acme/app:1.0-alpine`);
    assert.match(out.digest as string, /^sha256:[0-9a-f]{64}$/);
  });

  it('prints the version label and the plain family, and reads as text', async () => {
    const r = await runCli(['resolve', `image:${registry.host}/acme/app:1.0.2`, '--api-url', github.apiUrl], dir, env);
    assert.equal(r.stderr, '');
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^source: {3}github:acme\/app \(label org\.opencontainers\.image\.source\)$/m);
    assert.match(r.stdout, /^version: {2}1\.0\.2$/m);
    assert.match(r.stdout, /^versions: 1\.0, 1\.0\.0, 1\.0\.1, 1\.0\.2 \(4 of 8 tags: plain versions\)$/m);
  });

  it('exits 2 with one line naming a tag or digest that does not exist', async () => {
    const digest = `sha256:${'a'.repeat(64)}`;
    const cases: [string, RegExp][] = [
      [`image:${registry.host}/acme/app:1.0.9`, /^preflight: .*tag 1\.0\.9 of 127\.0\.0\.1:\d+\/acme\/app/],
      [`image:${registry.host}/acme/app@${digest}`, new RegExp(`^preflight: .*digest ${digest} of 127\\.0\\.0\\.1:\\d+/acme/app`)],
      [`image:${registry.host}/acme/gone:1.0.0`, /^preflight: .*acme\/gone/],
      ['nginx:1.25', /^preflight: resolve reads images: write image:nginx:1\.25/],
      ['image:Not A Reference', /^preflight: .*is not an image reference/],
    ];
    for (const [spec, expected] of cases) {
      const r = await runCli(['resolve', spec], dir, env);
      assert.equal(r.code, 2, spec);
      assert.equal(r.stdout, '', spec);
      assert.match(r.stderr, expected);
      assert.equal(r.stderr.split('\n').length, 2, `one line: ${r.stderr}`);
    }
  });

  it('reviews the notes of the repository the labels name, over the versions of the registry', async () => {
    const r = await runCli(['notes', '--source', `image:${registry.host}/acme/app:1.0.2`, '--from', '1.0.0', '--to', '1.0.2', '--api-url', github.apiUrl], dir, env);
    assert.equal(r.stderr, '');
    assert.equal(r.code, 0);
    assert.match(r.stdout, new RegExp(`^Release notes from image:${registry.host.replace(/\./g, '\\.')}/acme/app:1\\.0\\.2: 1\\.0\\.0 -> 1\\.0\\.2\n2 versions, 2 items`));
    const json = await runCli(['notes', '--source', `image:${registry.host}/acme/app:1.0.2`, '--from', '1.0.0', '--to', '1.0.2', '--api-url', github.apiUrl, '--json'], dir, env);
    assert.equal(json.code, 0, json.stderr);
    const stdout = json.stdout;
    assert.match(stdout, /Change 1\.0\.2\./);
    assert.match(stdout, /Change 1\.0\.1\./);
    assert.doesNotMatch(stdout, /Change 1\.0\.0\./);
  });

  it('takes the image map of the workspace settings over the labels', async () => {
    mkdirSync(path.join(dir, '.vscode'));
    writeFileSync(path.join(dir, '.vscode', 'settings.json'), JSON.stringify({ 'preflight.releaseNotes.imageSources': { [`${registry.host}/acme/app`]: 'file:CHANGELOG.md' } }));
    writeFileSync(path.join(dir, 'CHANGELOG.md'), '# Changelog\n\n## 1.0.1\n\n- Mapped change 1.0.1.\n\n## 1.0.0\n\n- First.\n');
    const resolved = await runCli(['resolve', `image:${registry.host}/acme/app:1.0.1-alpine`, '--json'], dir, env);
    assert.equal(resolved.code, 0, resolved.stderr);
    assert.equal((JSON.parse(resolved.stdout) as { source: string }).source, 'file:CHANGELOG.md');
    const r = await runCli(['notes', '--source', `image:${registry.host}/acme/app:1.0.1-alpine`, '--from', '1.0.0', '--to', '1.0.1', '--json'], dir, env);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Mapped change 1\.0\.1\./);
    assert.doesNotMatch(r.stdout, /First\./);
  });

  it('says where to map an image whose registry cannot be reached, and the other sources, in notes and plan', async () => {
    const closed = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const { port } = server.address() as AddressInfo;
        server.close(() => resolve(port));
      });
    });
    const image = `image:127.0.0.1:${closed}/acme/app:1.0.2`;
    for (const command of ['notes', 'plan']) {
      const r = await runCli([command, '--source', image, '--from', '1.0.0', '--to', '1.0.2', '--timeout', '2', ...(command === 'plan' ? ['--app', 'app'] : [])], dir, env);
      assert.equal(r.code, 2, r.stderr);
      assert.equal(r.stderr.split('\n').length, 2, `one line: ${r.stderr}`);
      assert.match(r.stderr, new RegExp(`^preflight: cannot reach 127\\.0\\.0\\.1:${closed}\\b.*\\. Map the image to its notes in preflight\\.releaseNotes\\.imageSources \\(\\.vscode/settings\\.json\\) \\(\\{"IMAGE": "github:OWNER/REPO"\\}\\), or review another source: github:OWNER/REPO .*gitlab:GROUP/PROJECT.*file:PATH \\(a changelog file\\)\\.\\n$`));
    }
  });

  it('writes a plan that says the image to roll back to was verified, with a re-check step that exits 2 once it is gone', async () => {
    const image = `image:${registry.host}/acme/app:1.0.2`;
    const plan = await runCli(['plan', '--source', image, '--from', '1.0.0', '--to', '1.0.2', '--app', 'app', '--api-url', github.apiUrl, '--out', '-'], dir, env);
    assert.equal(plan.stderr, '');
    assert.equal(plan.code, 0);
    assert.match(plan.stdout, new RegExp(`The image to roll back to, \`${registry.host.replace(/\./g, '\\.')}/acme/app:1\\.0\\.0\` \\(\`sha256:[0-9a-f]{64}\`\\), was verified available at \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ\\.`));
    assert.match(plan.stdout, new RegExp(`^  preflight resolve image:${registry.host.replace(/\./g, '\\.')}/acme/app:1\\.0\\.0$`, 'm'));

    // An image whose previous version was deleted: the plan warns, and its re-check step fails.
    const gone = await registry.pushImage('acme/old', ['1.0.0'], { labels: { [SOURCE]: `${github.url}/acme/app` } });
    await registry.pushImage('acme/old', ['1.0.2']);
    await registry.deleteManifest('acme/old', gone.digest);
    const other = await runCli(['plan', '--source', image, '--from', '1.0.0', '--to', '1.0.2', '--app', 'app', '--api-url', github.apiUrl, '--image', `${registry.host}/acme/old:1.0.2`, '--out', '-'], dir, env);
    assert.equal(other.code, 0, other.stderr);
    assert.doesNotMatch(other.stdout, /verified available/);
    assert.match(other.stdout, /^> \*\*Warning:\*\* the image to roll back to, `127\.0\.0\.1:\d+\/acme\/old:1\.0\.0`, could not be found in its registry at .*: no tag of .* names 1\.0\.0; the newest are 1\.0\.2\.$/m);
    assert.match(other.stderr, /^preflight: warning: the image to roll back to, .*acme\/old:1\.0\.0, is not in its registry: no tag of .* names 1\.0\.0/);
    const step = /^ {2}preflight (resolve \S+)$/m.exec(other.stdout);
    assert.ok(step, 'the re-check step');
    const recheck = await runCli(step[1].split(' '), dir, env);
    assert.equal(recheck.code, 2);
    assert.match(recheck.stderr, /^preflight: .*tag 1\.0\.0 of 127\.0\.0\.1:\d+\/acme\/old.*\n$/);
  });
});
