import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { processIO } from '../../../../src/cli/io';
import { redactSecrets, redactUrl } from '../../../../src/core/http/redact';
import { runCli } from '../../../support/fixtures';
import { type GitHubServer, startGitHubServer } from '../../../support/githubServer';
import { type NpmRegistry, startNpmRegistry } from '../../../support/npmRegistry';

const SECRET = 's3cr3t-Pa55';

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('http: credentials in URLs never reach a message', function () {
  this.timeout(30_000);

  it('redacts userinfo and token-like query parameters of a URL', () => {
    const cases: [string, string][] = [
      ['https://user:token@ghe.example.com/api/v3', 'https://***@ghe.example.com/api/v3'],
      ['https://ghp_0123456789abcdefghijABCDEFGHIJ012345@github.com/acme/app.git', 'https://***@github.com/acme/app.git'],
      ['http://ops:p@ss@registry.example.com:8443/npm/', 'http://***@registry.example.com:8443/npm/'],
      ['https://registry.example.com/pkg?access_token=abc&page=2', 'https://registry.example.com/pkg?access_token=***&page=2'],
      [
        'https://cdn.example.com/a.tgz?X-Amz-Credential=AKIA%2F1&X-Amz-Signature=f00&sig=1&token=t&api_key=k&client_secret=c&per_page=100#access_token=z',
        'https://cdn.example.com/a.tgz?X-Amz-Credential=***&X-Amz-Signature=***&sig=***&token=***&api_key=***&client_secret=***&per_page=100#access_token=***',
      ],
      ['https://api.github.com/repos/acme/app/releases?per_page=100&page=3', 'https://api.github.com/repos/acme/app/releases?per_page=100&page=3'],
      ['git@github.com:acme/app.git', 'git@github.com:acme/app.git'],
    ];
    for (const [url, expected] of cases) assert.equal(redactUrl(url), expected, url);
  });

  it('redacts every URL in a line, and tokens of known forms', () => {
    assert.equal(
      redactSecrets(`cannot reach ghe.example.com: Request cannot be constructed from a URL that includes credentials: https://user:${SECRET}@ghe.example.com/api/v3/repos/acme/app`),
      'cannot reach ghe.example.com: Request cannot be constructed from a URL that includes credentials: https://***@ghe.example.com/api/v3/repos/acme/app',
    );
    assert.equal(
      redactSecrets(`"https://a:b@x.example/1" and (http://y.example/?password=${SECRET}), token ghp_0123456789abcdefghijABCDEFGHIJ012345 and github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz`),
      '"https://***@x.example/1" and (http://y.example/?password=***), token *** and ***',
    );
    assert.equal(redactSecrets('GitHub rate limit reached (403); it resets at 10:00 (in 5 minutes)'), 'GitHub rate limit reached (403); it resets at 10:00 (in 5 minutes)');
  });

  it('redacts what the CLI prints to stderr', () => {
    const written: string[] = [];
    const write = process.stderr.write;
    process.stderr.write = ((chunk: string) => written.push(chunk) > 0) as unknown as typeof process.stderr.write;
    try {
      const io = processIO();
      io.error(`cannot reach https://u:${SECRET}@h.example/x`);
      io.warn(`see https://h.example/x?token=${SECRET}`);
    } finally {
      process.stderr.write = write;
    }
    assert.deepEqual(written, ['preflight: cannot reach https://***@h.example/x\n', 'preflight: warning: see https://h.example/x?token=***\n']);
  });

  describe('--api-url with credentials', () => {
    let github: GitHubServer;
    let registry: NpmRegistry;
    let dir: string;

    before(async () => {
      dir = mkdtempSync(path.join(tmpdir(), 'preflight-redact-'));
      github = await startGitHubServer({
        prefix: '/api/v3',
        fixture: {
          tokens: [SECRET],
          repos: {
            'acme/app': {
              defaultBranch: 'main',
              readers: [SECRET],
              releases: [
                { tag: 'v1.0.0', body: '- First.\n', createdAt: '2024-01-01T00:00:00Z' },
                { tag: 'v1.1.0', body: '- Second.\n', createdAt: '2024-02-01T00:00:00Z' },
              ],
              tags: ['v1.1.0', 'v1.0.0'],
              files: { main: { 'README.md': '# app\n' } },
            },
          },
        },
      });
      registry = await startNpmRegistry([
        {
          name: 'acme-cli',
          versions: {
            '1.0.0': { date: '2024-01-01T00:00:00.000Z', files: { 'package.json': '{}' } },
            '1.1.0': { date: '2024-02-01T00:00:00.000Z', files: { 'package.json': '{}', 'CHANGELOG.md': '# Changelog\n\n## 1.1.0\n\n- Second.\n' } },
          },
        },
      ]);
      writeFileSync(path.join(dir, 'plan.md'), '# Plan\n');
    });

    after(async () => {
      await github.close();
      await registry.close();
      rmSync(dir, { recursive: true, force: true });
    });

    const run = (argv: string[], env: NodeJS.ProcessEnv = {}) => runCli(argv, dir, { XDG_CACHE_HOME: path.join(dir, 'cache'), ...env });

    it('never prints them when the server cannot be reached', async () => {
      const port = await closedPort();
      const runs = [
        await run(['notes', '--source', 'github:acme/app', '--from', '1.0.0', '--to', '1.1.0', '--api-url', `http://user:${SECRET}@127.0.0.1:${port}/api/v3`, '--timeout', '1']),
        await run(['notes', '--source', 'npm:acme-cli', '--from', '1.0.0', '--to', '1.1.0', '--api-url', `http://ops:${SECRET}@127.0.0.1:${port}/`, '--timeout', '1']),
        await run(['pr', '--file', 'plan.md', '--app', 'app', '--from', '1.0.0', '--to', '1.1.0', '--repo', 'acme/app', '--path', 'plan.md', '--api-url', `http://user:${SECRET}@127.0.0.1:${port}/api/v3`], { GITHUB_TOKEN: 'ghp_other' }),
        await run(['notes', '--source', 'github:acme/app', '--from', '1.0.0', '--to', '1.1.0', '--api-url', `ghe.example.com:${SECRET}@x`]),
      ];
      for (const r of runs) {
        assert.equal(r.code, 2);
        assert.ok(!r.stderr.includes(SECRET) && !r.stdout.includes(SECRET), r.stderr);
        assert.equal(r.stderr.split('\n').length, 2, r.stderr);
      }
      assert.equal(runs[0].stderr, `preflight: cannot reach 127.0.0.1:${port}: connect ECONNREFUSED 127.0.0.1:${port}\n`);
      assert.equal(runs[3].stderr, 'preflight: --api-url needs an http:// or https:// URL, not "ghe.example.com:***@x"\n');
    });

    it('signs in with them instead of sending them in the URL', async () => {
      const gh = await run(['notes', '--source', 'github:acme/app', '--from', '1.0.0', '--to', '1.1.0', '--api-url', `${github.apiUrl.replace('//', `//x-access-token:${SECRET}@`)}`, '--json']);
      assert.equal(gh.stderr, '');
      assert.deepEqual(JSON.parse(gh.stdout).versions.map((v: { version: string }) => v.version), ['1.1.0']);
      assert.deepEqual(github.violations, []);

      const npm = await run(['notes', '--source', 'npm:acme-cli', '--from', '1.0.0', '--to', '1.1.0', '--api-url', registry.url.replace('//', `//ops:${SECRET}@`), '--json']);
      assert.equal(npm.stderr, '');
      assert.deepEqual(JSON.parse(npm.stdout).versions.map((v: { version: string }) => v.version), ['1.1.0']);
      const basic = `Basic ${Buffer.from(`ops:${SECRET}`).toString('base64')}`;
      assert.deepEqual(
        registry.requests.map((q) => [q.path, q.authorization]),
        [
          ['/acme-cli', basic],
          ['/acme-cli/-/acme-cli-1.1.0.tgz', basic],
        ],
      );
    });
  });
});
