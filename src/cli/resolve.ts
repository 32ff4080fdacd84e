/**
 * `preflight resolve image:REF`: a container image through its registry, asked now (never from the
 * cache): the source repository of its release notes, its version and the tags of its family. A tag,
 * digest or repository that does not exist exits 2 with one line naming it, so a runbook step can
 * check that an image can still be pulled.
 */
import { parseArgs } from 'node:util';
import { resolveImageReference } from '../app/registry';
import { terminalJson, terminalText } from '../core/controls';
import { githubWebBase } from '../core/releases';
import { describeFamily, formatReference } from '../core/registry';
import type { CliIO } from './io';
import { apiUrlError, requestTimeout } from './options';
import { cacheDir, workspaceImageSources } from './sources';
import { packageVersion } from './version';

export const RESOLVE_USAGE = `Usage: preflight resolve image:REF [options]

Resolves a container image through its registry (the Registry HTTP API v2): the repository its
labels name (org.opencontainers.image.source, org.label-schema.vcs-url), its version (the
org.opencontainers.image.version label, else the tag) and the tags of its variant family
(1.25-alpine: the *-alpine tags), oldest first. Exits 2 when the tag, digest or repository does
not exist.

  REF                         nginx:1.25-alpine, ghcr.io/OWNER/APP:1.2.3,
                              registry.example.com:5000/team/app@sha256:...

Options:
  --json                      print {"source", "version", "versions", "image", "digest", ...}
  --insecure-registry HOST    reach HOST (or HOST:PORT) over plain HTTP; may be repeated
                              (registries on loopback addresses always are)
  --api-url URL               a GitHub Enterprise Server API, for labels that name its repositories
  --timeout SECONDS           how long to wait for each answer (default 30)

Credentials come from the Docker config ($DOCKER_CONFIG/config.json, else ~/.docker/config.json:
"auths" entries as docker login writes them); credential helpers are not run.
`;

export async function runResolve(argv: string[], io: CliIO): Promise<number> {
  let values: { json?: boolean; 'insecure-registry'?: string[]; 'api-url'?: string; timeout?: string; help?: boolean };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: argv,
      options: {
        json: { type: 'boolean' },
        'insecure-registry': { type: 'string', multiple: true },
        'api-url': { type: 'string' },
        timeout: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: true,
    }));
  } catch (err) {
    return io.error(`${(err as Error).message.split('\n')[0]}. Run "preflight resolve --help".`);
  }
  if (values.help) {
    io.out(RESOLVE_USAGE);
    return 0;
  }
  if (positionals.length !== 1) return io.error(`resolve needs one image:REF${positionals.length ? `, not ${positionals.length}` : ''}. Run "preflight resolve --help".`);
  const spec = positionals[0].trim();
  if (!/^image:/i.test(spec)) return io.error(`resolve reads images: write image:${spec} (image:nginx:1.25-alpine)`);
  const timeoutMs = requestTimeout(values.timeout, io.env);
  if (typeof timeoutMs === 'string') return io.error(timeoutMs);
  const badUrl = apiUrlError(values['api-url']);
  if (badUrl) return io.error(badUrl);
  const enterprise = values['api-url'] ? new URL(githubWebBase(values['api-url'].trim())).host.toLowerCase() : undefined;

  const resolved = await resolveImageReference(
    spec,
    {
      cacheDir: cacheDir(io.env),
      userAgent: `preflight/${packageVersion()}`,
      insecureRegistries: values['insecure-registry'],
      env: io.env,
      network: { timeoutMs },
    },
    { live: true, imageSources: workspaceImageSources(io.cwd), githubHosts: ['github.com', ...(enterprise && enterprise !== 'github.com' ? [enterprise] : [])] },
  );
  if (!resolved.ok) return io.error(resolved.error.message);
  const { image, family, notes } = resolved.value;
  const source = notes.ok ? notes.value.spec : null;
  const versions = family.tags.map((t) => t.tag);
  if (values.json) {
    const out = {
      source,
      version: image.version ?? null,
      versions,
      image: formatReference(image.reference),
      digest: image.digest,
      ...(image.platform ? { platform: image.platform } : {}),
      sourceFrom: notes.ok ? notes.value.from : null,
      family: family.family,
    };
    if (!notes.ok) io.warn(notes.error.message);
    io.out(`${terminalJson(out, 2)}\n`);
    return 0;
  }
  if (!notes.ok) io.warn(notes.error.message);
  const lines = [
    `image:    ${formatReference(image.reference)}`,
    `digest:   ${image.digest}${image.platform ? ` (read for ${image.platform})` : ''}`,
    `source:   ${source ?? '(unknown)'}${notes.ok ? ` (${notes.value.from})` : ''}`,
    `version:  ${image.version ?? '(none)'}`,
    `versions: ${versions.length ? versions.join(', ') : '(none)'} (${versions.length} of ${family.total} tags: ${describeFamily(family.family)})`,
  ];
  io.out(terminalText(`${lines.join('\n')}\n`));
  return 0;
}
