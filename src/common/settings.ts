/**
 * Preflight's settings, typed, in one place: every read goes through here, with the scope the
 * manifest declares (resource settings are read for the file they apply to).
 */
import * as vscode from 'vscode';
import type { UserRuleConfig } from '../core/releases';

const section = (name: string, scope?: vscode.Uri) => vscode.workspace.getConfiguration(`preflight.${name}`, scope);

/** `preflight.runbooks.*`, for a runbook (resource scope). */
export function runbookSettings(scope?: vscode.Uri): { logDirectory: string; outputLimit: number; shell: string; shellIntegrationTimeout: number; codeLens: boolean } {
  const c = section('runbooks', scope);
  return {
    logDirectory: c.get<string>('logDirectory') || '.preflight/runs',
    outputLimit: c.get<number>('outputLimit') ?? 65536,
    shell: c.get<string>('shell') || 'bash',
    shellIntegrationTimeout: c.get<number>('shellIntegrationTimeout') ?? 5000,
    codeLens: c.get<boolean>('codeLens', true),
  };
}

/** `preflight.releaseNotes.*`; `scope` for the pin CodeLens settings of a file. */
export function releaseNoteSettings(scope?: vscode.Uri): {
  imageSources: Record<string, string>;
  rules: UserRuleConfig[];
  /** Seconds. */
  timeLimit: number;
  /** Raw: checked by noteFilesFor. */
  files: unknown;
  pinCodeLens: boolean;
} {
  const c = section('releaseNotes', scope);
  const seconds = c.get<number>('timeLimit') ?? 60;
  return {
    imageSources: c.get<Record<string, string>>('imageSources') ?? {},
    rules: c.get<UserRuleConfig[]>('rules') ?? [],
    timeLimit: Math.max(1, Number.isFinite(seconds) ? seconds : 60),
    files: c.get<unknown>('files'),
    pinCodeLens: c.get<boolean>('pinCodeLens', true),
  };
}

/** `preflight.github.enterpriseUrl`, `preflight.gitlab.url`, `preflight.network.timeout` (seconds, raw), `preflight.npm.registry` (application scope). */
export function connectionSettings(): { enterpriseUrl: string | undefined; gitlabUrl: string | undefined; timeout: number | string | undefined; npmRegistry: string | undefined } {
  return {
    enterpriseUrl: section('github').get<string>('enterpriseUrl')?.trim() || undefined,
    gitlabUrl: section('gitlab').get<string>('url')?.trim() || undefined,
    timeout: section('network').get<number | string>('timeout'),
    npmRegistry: section('npm').get<string>('registry')?.trim() || undefined,
  };
}

/** `preflight.registries.insecure` (application scope: a workspace cannot make a registry plain HTTP). */
export function registrySettings(): { insecure: string[] } {
  const insecure = section('registries').get<unknown>('insecure');
  return { insecure: Array.isArray(insecure) ? insecure.filter((h): h is string => typeof h === 'string' && h.trim() !== '') : [] };
}

/** `preflight.upgradePlan.*`, for a plan or the workspace (resource scope). */
export function upgradePlanSettings(scope?: vscode.Uri): { directory: string; template: string | undefined; reviewers: string[]; draft: boolean; commitProgress: boolean } {
  const c = section('upgradePlan', scope);
  return {
    directory: c.get<string>('directory') || 'runbooks/upgrades',
    template: c.get<string>('template') || undefined,
    reviewers: (c.get<string[]>('reviewers') ?? []).filter((r): r is string => typeof r === 'string'),
    draft: c.get<boolean>('draft', true),
    commitProgress: c.get<boolean>('commitProgress', true),
  };
}

/** `preflight.environments.patterns`: paths with `{env}` for layouts the built-in rules miss (window scope). */
export function environmentSettings(): { patterns: unknown[] } {
  const patterns = section('environments').get<unknown>('patterns');
  return { patterns: Array.isArray(patterns) ? patterns : [] };
}
