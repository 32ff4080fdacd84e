/**
 * The workspace a runbook belongs to, as the editor sees it: the folder its run logs are kept under
 * and the one its settings come from, so runs made by the CLI are the extension's runs too.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

/**
 * The nearest folder above the runbook that has a `.preflight` folder, a `.git` or VS Code settings
 * (`.vscode/settings.json`); else the runbook's own folder.
 */
export function findWorkspace(file: string): string {
  const start = path.dirname(file);
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, '.preflight')) || existsSync(path.join(dir, '.git')) || existsSync(path.join(dir, '.vscode', 'settings.json'))) return dir;
    if (path.dirname(dir) === dir) return start;
  }
}

export interface RunbookSettings {
  logDirectory?: string;
  shell?: string;
  outputLimit?: number;
}

/** A reader of `preflight.SECTION.KEY` in the workspace's `.vscode/settings.json`, read as VS Code reads it (comments, trailing commas). */
function workspaceSettings(workspace: string): { get(section: string, key: string): unknown; problem?: string } {
  const none = { get: () => undefined };
  const file = path.join(workspace, '.vscode', 'settings.json');
  if (!existsSync(file) || !statSync(file).isFile()) return none;
  let data: unknown;
  try {
    data = JSON.parse(stripJsonc(readFileSync(file, 'utf8')));
  } catch (err) {
    return { ...none, problem: `${file} cannot be read (${(err as Error).message}); its settings are not used` };
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return none;
  return {
    get: (section, key) => {
      const flat = (data as Record<string, unknown>)[`preflight.${section}.${key}`];
      if (flat !== undefined) return flat;
      const nested = (data as Record<string, Record<string, Record<string, unknown>> | undefined>).preflight?.[section];
      return nested && typeof nested === 'object' ? nested[key] : undefined;
    },
  };
}

/** `preflight.upgradePlan.commitProgress` of the workspace: whether a publish commits the ticked runbook (default true). */
export function readCommitProgress(workspace: string): boolean {
  const value = workspaceSettings(workspace).get('upgradePlan', 'commitProgress');
  return typeof value === 'boolean' ? value : true;
}

/** The workspace's `preflight.runbooks.*` settings from `.vscode/settings.json`. */
export function readRunbookSettings(workspace: string): { settings: RunbookSettings; problem?: string } {
  const read = workspaceSettings(workspace);
  if (read.problem) return { settings: {}, problem: read.problem };
  const get = (key: string) => read.get('runbooks', key);
  const settings: RunbookSettings = {};
  const logDirectory = get('logDirectory');
  if (typeof logDirectory === 'string' && logDirectory.trim()) settings.logDirectory = logDirectory;
  const shell = get('shell');
  if (typeof shell === 'string' && shell.trim()) settings.shell = shell;
  const outputLimit = get('outputLimit');
  if (typeof outputLimit === 'number' && Number.isFinite(outputLimit) && outputLimit >= 1024) settings.outputLimit = outputLimit;
  return { settings };
}

/** JSON with comments and trailing commas, as plain JSON. Strings are copied as they are. */
export function stripJsonc(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j;
    } else if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
      out += '\n';
    } else if (c === '/' && text[i + 1] === '*') {
      const close = text.indexOf('*/', i + 2);
      i = close < 0 ? text.length : close + 1;
      out += ' ';
    } else {
      out += c;
    }
  }
  // Then trailing commas, outside strings.
  let json = '';
  const closes = /\s*[}\]]/y;
  for (let i = 0; i < out.length; i++) {
    const c = out[i];
    if (c === '"') {
      let j = i + 1;
      while (j < out.length && out[j] !== '"') j += out[j] === '\\' ? 2 : 1;
      json += out.slice(i, j + 1);
      i = j;
    } else if (c === ',' && ((closes.lastIndex = i + 1), closes.test(out))) {
      json += ' ';
    } else {
      json += c;
    }
  }
  return json;
}
