/**
 * The review worker (dist/reviewWorker.js): receives one WorkerJob and posts its result. For an
 * analysis it compiles the user's rules, runs analyzeReview and renders the panel's first view;
 * for versions it reads the documents' version headings. The extension ends it when the user cancels or the time limit
 * passes.
 */
import { parentPort } from 'node:worker_threads';
import { analyzeReview, compileUserRules, createClassifier, noteVersions, reviewView } from '../core/releases';
import type { AnalysisReply, WorkerJob } from './analysis';

parentPort?.once('message', (job: WorkerJob) => {
  if (job.kind === 'versions') {
    parentPort!.postMessage(noteVersions(job.documents, job.package));
    return;
  }
  const compiled = compileUserRules(job.rules);
  const result = analyzeReview(job.input, { classifier: createClassifier(compiled) });
  const problems = compiled.problems;
  const view = result.ok ? reviewView(result.value) : undefined;
  parentPort!.postMessage({ result, view, ruleProblems: problems } satisfies AnalysisReply);
});
