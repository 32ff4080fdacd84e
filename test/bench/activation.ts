// Loaded by the extension host as its tests module from `npm run bench`: activates Preflight and
// writes what activate() measured about itself to PREFLIGHT_RESULTS.
import { writeFileSync } from 'node:fs';
import * as vscode from 'vscode';
import type { PreflightApi } from '../../src/extension';

export async function run(): Promise<void> {
  const out = process.env.PREFLIGHT_RESULTS;
  if (!out) throw new Error('PREFLIGHT_RESULTS is not set');
  const ext = vscode.extensions.getExtension<PreflightApi>('preflight.preflight');
  if (!ext) throw new Error('preflight.preflight is not loaded');
  const loadStarted = performance.now();
  const api = await ext.activate();
  writeFileSync(out, JSON.stringify({ activationTimeMs: api.activationTimeMs, activateCallMs: performance.now() - loadStarted }));
}
