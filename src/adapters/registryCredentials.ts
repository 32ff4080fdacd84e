/**
 * Registry credentials from the user's Docker config, as `docker login` writes them:
 * `$DOCKER_CONFIG/config.json`, else `~/.docker/config.json`, `auths` entries keyed by registry
 * (`https://index.docker.io/v1/` for Docker Hub, `ghcr.io`, `localhost:5000`), each with `auth`
 * (base64 of `user:password`) or `username` and `password`.
 *
 * Credential helpers (`credsStore`, `credHelpers`) and identity tokens are not used: the lookup says
 * so, and the client tells the user only when a registry refuses anonymous access. The credentials
 * themselves never leave this module but in an Authorization header.
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CredentialLookup, Credentials } from '../core/registry';
import { DOCKER_HUB } from '../core/registry';

interface AuthEntry {
  auth?: unknown;
  username?: unknown;
  password?: unknown;
  identitytoken?: unknown;
  registrytoken?: unknown;
}

interface DockerConfig {
  auths?: Record<string, AuthEntry>;
  credsStore?: unknown;
  credHelpers?: Record<string, unknown>;
}

/** The Docker config file the environment names. */
export function dockerConfigFile(env: NodeJS.ProcessEnv): string {
  if (env.DOCKER_CONFIG) return path.join(env.DOCKER_CONFIG, 'config.json');
  return path.join(env.HOME || os.homedir(), '.docker', 'config.json');
}

/** `https://index.docker.io/v1/` -> `docker.io`, `https://ghcr.io` -> `ghcr.io`, `localhost:5000` as it is. */
export function registryKey(key: string): string {
  const host = key.trim().replace(/^[a-z][a-z0-9+.-]*:\/\//i, '').split('/')[0].toLowerCase();
  return host === 'index.docker.io' || host === 'registry-1.docker.io' ? DOCKER_HUB : host;
}

/** What the Docker config holds for `registry` (as an ImageReference names it: `docker.io`, `ghcr.io`, `host:port`). */
export function dockerCredentials(registry: string, env: NodeJS.ProcessEnv): CredentialLookup {
  const file = dockerConfigFile(env);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    return { unsupported: `${file} cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'})` };
  }
  let config: DockerConfig;
  try {
    const data = JSON.parse(text) as unknown;
    if (typeof data !== 'object' || data === null || Array.isArray(data)) throw new Error('not an object');
    config = data as DockerConfig;
  } catch {
    return { unsupported: `${file} is not a JSON object` };
  }
  const wanted = registryKey(registry);
  const entry = Object.entries(config.auths && typeof config.auths === 'object' ? config.auths : {}).find(([k]) => registryKey(k) === wanted)?.[1];
  const fromEntry = entry && typeof entry === 'object' ? credentialsOf(entry) : undefined;
  if (fromEntry) return fromEntry;

  const helper = Object.entries(config.credHelpers && typeof config.credHelpers === 'object' ? config.credHelpers : {}).find(([k]) => registryKey(k) === wanted)?.[1] ?? config.credsStore;
  if (typeof helper === 'string' && helper) {
    return { unsupported: `${file} keeps the credentials of ${wanted} in the credential helper docker-credential-${helper}, which Preflight does not run; add an "auths" entry with "auth" for ${wanted}` };
  }
  if (entry && (typeof entry.identitytoken === 'string' || typeof entry.registrytoken === 'string')) {
    return { unsupported: `${file} holds a token for ${wanted} that Preflight does not use; add an "auth" (base64 of user:password) to its entry` };
  }
  if (entry) return { unsupported: `the entry for ${wanted} in ${file} has no "auth" Preflight can read` };
  return undefined;
}

function credentialsOf(entry: AuthEntry): Credentials | undefined {
  if (typeof entry.auth === 'string' && entry.auth) {
    const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon > 0) return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
    return undefined;
  }
  if (typeof entry.username === 'string' && entry.username && typeof entry.password === 'string') return { username: entry.username, password: entry.password };
  return undefined;
}
