import * as vscode from 'vscode';
import type { WorkspaceFile } from '../core/drift/scan';

/** The files the pin scanners read; the same names as the pin CodeLens. */
export const PIN_GLOB = '**/{*.yaml,*.yml,package.json,Dockerfile,Containerfile,*.dockerfile,Dockerfile.*}';
/** The names PIN_GLOB matches. */
export const PIN_NAME = /^(?:.+\.ya?ml|package\.json|Dockerfile|Containerfile|.+\.dockerfile|Dockerfile\..+)$/i;
const EXCLUDE = '**/{node_modules,.git,.vscode-test}/**';
/** Files read at most per scan, and their size. */
export const MAX_FILES = 20_000;
export const MAX_FILE_BYTES = 2 * 1024 * 1024;

/**
 * The workspace's pin files, each with its path relative to its workspace folder (prefixed by the
 * folder's name in a multi-root workspace). Files over MAX_FILE_BYTES are left out.
 */
export async function readPinFiles(token?: vscode.CancellationToken): Promise<{ files: WorkspaceFile[]; uris: Map<string, vscode.Uri> }> {
  const found = await vscode.workspace.findFiles(PIN_GLOB, EXCLUDE, MAX_FILES, token);
  const multiRoot = (vscode.workspace.workspaceFolders?.length ?? 0) > 1;
  const decoder = new TextDecoder();
  const files: WorkspaceFile[] = [];
  const uris = new Map<string, vscode.Uri>();
  for (const uri of found.sort((a, b) => a.fsPath.localeCompare(b.fsPath))) {
    if (token?.isCancellationRequested) break;
    try {
      const stat = await vscode.workspace.fs.stat(uri);
      if (stat.size > MAX_FILE_BYTES) continue;
      const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
      const text = open ? open.getText() : decoder.decode(await vscode.workspace.fs.readFile(uri));
      const rel = vscode.workspace.asRelativePath(uri, multiRoot).replace(/\\/g, '/');
      files.push({ path: rel, text });
      uris.set(rel, uri);
    } catch {
      // A file removed while scanning.
    }
  }
  return { files, uris };
}
