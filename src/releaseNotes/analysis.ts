/**
 * The parsing of a review in a worker thread: release notes from the internet and regular
 * expressions from settings never hold the extension host's thread, and a cancelled or overlong
 * job ends its worker. Two jobs: the analysis of a review (parse, highlight with the built-in and
 * the user's rules, assemble) and the versions of local files (which takes parsing them too). The
 * worker is dist/reviewWorker.js (src/releaseNotes/reviewWorker.ts); this module does not import
 * vscode, so plain Node tests run it too.
 */
import { Worker } from 'node:worker_threads';
import type { NoteDocument, Problem, Result, Review, ReviewInput, ReviewView, UserRuleConfig, VersionRef } from '../core/releases';
import { fail } from '../core/releases';

export interface AnalysisRequest {
  input: ReviewInput;
  /** `preflight.releaseNotes.rules`, compiled in the worker: they are arbitrary regular expressions. */
  rules: readonly UserRuleConfig[];
}

export interface AnalysisReply {
  result: Result<Review>;
  /** What the panel first shows (its open versions' notes rendered to HTML), also made in the worker. */
  view?: ReviewView;
  /** Rules from the settings that could not be used. */
  ruleProblems: Problem[];
}

/** What the worker is sent. */
export type WorkerJob = ({ kind: 'analysis' } & AnalysisRequest) | { kind: 'versions'; documents: NoteDocument[]; package?: string };

export interface WorkerOptions {
  /** Aborting ends the worker; the result is then a `cancelled` error. */
  signal?: AbortSignal;
  /** The worker is ended after this long; the result is then a `time-limit` error. */
  timeLimitMs: number;
  /** The worker's heap (default 4096 MB); running out of it is an `analysis` error. */
  maxHeapMb?: number;
}

/** Runs analyzeReview in a new worker; never rejects. */
export async function analyzeInWorker(workerFile: string, request: AnalysisRequest, opts: WorkerOptions): Promise<AnalysisReply> {
  const reply = await runJob<AnalysisReply>(workerFile, { kind: 'analysis', ...request }, `the analysis of the release notes of ${request.input.source}`, opts);
  if (reply.ok) return reply.value;
  if (reply.error.code !== 'time-limit' || !request.rules.length) return { result: reply, ruleProblems: [] };
  const hint = 'a rule in preflight.releaseNotes.rules may be too slow for these notes';
  return { result: fail('time-limit', `${reply.error.message}; ${hint}`), ruleProblems: [] };
}

/** Runs noteVersions (of one package, with `pkg`) in a new worker; never rejects. */
export async function noteVersionsInWorker(workerFile: string, documents: NoteDocument[], opts: WorkerOptions, pkg?: string): Promise<Result<VersionRef[]>> {
  const files = documents.map((d) => d.file).join(', ');
  const job: WorkerJob = pkg === undefined ? { kind: 'versions', documents } : { kind: 'versions', documents, package: pkg };
  const reply = await runJob<VersionRef[]>(workerFile, job, `reading the versions in ${files}`, opts);
  return reply;
}

function runJob<T>(workerFile: string, job: WorkerJob, what: string, opts: WorkerOptions): Promise<Result<T>> {
  if (opts.signal?.aborted) return Promise.resolve(fail('cancelled', 'the review was cancelled'));
  const maxHeapMb = opts.maxHeapMb ?? 4096;
  return new Promise((resolve) => {
    let settled = false;
    let worker: Worker;
    try {
      worker = new Worker(workerFile, { resourceLimits: { maxOldGenerationSizeMb: maxHeapMb } });
    } catch (err) {
      resolve(fail('analysis', `${what} could not start: ${err instanceof Error ? err.message : String(err)}`));
      return;
    }
    const finish = (result: Result<T>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      void worker.terminate();
      resolve(result);
    };
    const seconds = Math.round(opts.timeLimitMs / 100) / 10;
    const limit = `${what} took longer than ${seconds} s and was stopped (preflight.releaseNotes.timeLimit)`;
    const timer = setTimeout(() => finish(fail('time-limit', limit)), opts.timeLimitMs);
    const onAbort = () => finish(fail('cancelled', 'the review was cancelled'));
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    worker.once('message', (value: T) => finish({ ok: true, value }));
    worker.once('error', (err: Error & { code?: string }) => {
      finish(fail('analysis', `${what} failed: ${err.code === 'ERR_WORKER_OUT_OF_MEMORY' ? `it ran out of memory (${maxHeapMb} MB)` : err.message}`));
    });
    worker.once('exit', (code) => finish(fail('analysis', `${what} stopped (exit code ${code})`)));
    worker.postMessage(job);
  });
}
