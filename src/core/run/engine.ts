/**
 * The headless run of a runbook: the steps of `preflight run`, with the extension's semantics and
 * its record. Everything it touches comes through `RunPorts` (the shell, the files, the log, the
 * prompts, the clock), so the CLI is a thin front end and another front end can drive the same run.
 *
 * A run: read and check the runbook (any step whose meaning is ambiguous means nothing runs);
 * choose the steps; resolve the variables (--var, environment, default; asked on a terminal); then
 * for each step, found again in the file as it is now: manual steps and confirm gates are asked on
 * a terminal and stop the run without one; the blocks run in the runbook's shell with their output
 * masked as it streams; the result is recorded and a passing step's box ticked with its one byte.
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type { BlockResult, StepShell } from '../exec/shell';
import { ciActor, ciContext, isGated, looseSteps, maskSecrets, missingVariables, parseLog, parseRunbook, prepareStep, renderReport, runHolder, runbookDirectory, SecretMasker, secretValues, serializeEvent, setCheckboxBytes, stepEndRecord, stepRef, stepTitle, stepVariables, type RunEvent, type Step, type VariableSpec } from '../runbook';
import { approvalKeeper } from './gate';
import { alreadyDone, resolveVariables, selectSteps } from './select';
import { abortable, findAgain, Interrupted, refusal } from './steps';
import { EXIT, type RunOutcome, type RunRequest, type RunPorts, type SummaryRow, type RunResult } from './ports';

export async function runRunbook(req: RunRequest, ports: RunPorts): Promise<RunResult> {
  const o = req.options;
  const obs = ports.observer;
  let text = Buffer.from(ports.readRunbook()).toString('utf8');
  let rb = parseRunbook(text);
  const rows: SummaryRow[] = [];
  let secrets: string[] = [];
  const mask = (s: string) => maskSecrets(s, secrets);
  const end = (outcome: RunOutcome, message?: string, extra: Partial<RunResult> = {}): RunResult => ({
    outcome,
    exitCode: EXIT[outcome],
    message: message === undefined ? undefined : mask(message),
    rows,
    ...extra,
  });

  const selection = selectSteps(rb, o);
  const blocked = refusal(rb, typeof selection === 'string' ? [] : selection.steps);
  if (blocked) return end('error', `${req.displayPath} has errors that make steps ambiguous; nothing was run`, { diagnostics: blocked });
  if (typeof selection === 'string') return end('error', selection);
  if (selection.steps.length === 0) {
    const blocks = looseSteps(rb).length;
    return end(
      'error',
      rb.steps.length === 0
        ? `${req.displayPath} has no steps (task-list items such as "- [ ] Take a backup")${blocks ? `; run one of its ${blocks} shell blocks with --step NAME (a block's "name"), or turn them into steps with Preflight: Convert Blocks to Steps` : ''}`
        : `no step of ${req.displayPath} to run: ${selection.excluded.length ? 'the remaining ones are excludeFromRunAll; name them with --step' : 'the selection is empty'}`,
    );
  }
  const title = rb.title ?? path.basename(req.file).replace(/\.(md|markdown)$/i, '');
  const relPath = path.relative(req.workspace, req.file).split(path.sep).join('/');

  // The latest run of this runbook: with --resume, what it says is done (and the run to continue).
  const latest = ports.log.latest();
  const latestEvents = latest ? parseLog(latest.text).events : undefined;
  const resumable = latestEvents && latestEvents[latestEvents.length - 1]?.type !== 'run-reset' ? latestEvents : undefined;
  const done = o.resume ? alreadyDone(selection.steps, resumable) : new Set<Step>();
  const toRun = selection.steps.filter((s) => !done.has(s));

  // Variables: the ones the steps to run use, resolved now, so a run without a terminal fails before its first step.
  const { values, unknown } = resolveVariables(rb.meta, { options: o.vars, env: req.env });
  if (unknown.length) return end('error', `--var ${unknown.join(', ')}: not a variable of this runbook${rb.meta.variables.length ? ` (its variables: ${rb.meta.variables.map((v) => v.name).join(', ')})` : ''}`);
  const needed = new Map<string, VariableSpec>();
  for (const s of toRun) if (!s.manual) for (const v of stepVariables(rb.meta, s)) needed.set(v.name, v);
  const missing = missingVariables([...needed.values()], values);
  secrets = secretValues(rb.meta, values);
  if (missing.length && !o.dryRun) {
    if (!ports.prompts) {
      const names = missing.map((v) => v.name).join(', ');
      return end('error', `missing ${missing.length === 1 ? 'variable' : 'variables'} ${names}: pass --var ${missing[0].name}=VALUE or set ${missing.length === 1 ? 'it' : 'them'} in the environment (no terminal to ask)`);
    }
    try {
      for (const spec of missing) {
        const value = await abortable(ports.prompts.variable(spec), req.signal);
        if (value === undefined) return end('error', `no value for ${spec.name}; nothing was run`);
        values.set(spec.name, value);
      }
    } catch (err) {
      if (err instanceof Interrupted) return end('interrupted', 'interrupted; nothing was run');
      throw err;
    }
    secrets = secretValues(rb.meta, values);
  }

  const workspaceCwd = runbookDirectory(rb.meta, { workspace: req.workspace, document: path.dirname(req.file) });
  const shellName = rb.meta.shell?.trim() || req.shell || 'bash';
  const excludedRows = () => {
    for (const s of selection.excluded) rows.push({ step: s, result: 'excluded', exitCode: null, note: 'excludeFromRunAll: name it with --step to run it' });
  };

  if (o.dryRun) {
    obs.start({ title, steps: selection.steps.length, shell: shellName, persistent: false });
    const firstGated = selection.steps.find((s) => isGated(rb, s));
    selection.steps.forEach((step, i) => {
      const prepared = prepareStep(rb.meta, step, values);
      const notes: string[] = [];
      if (done.has(step)) notes.push('already done: --resume skips it');
      if (step.manual) notes.push('manual step: asked on a terminal; without one the run stops here (exit 4)');
      if (step === firstGated) notes.push('approval: this step and the ones after it run once the pull request approves the runbook as it is; otherwise the run stops here (exit 4)');
      for (const b of prepared.blocks) {
        const word = b.block.attrs.confirm;
        if (word) notes.push(o.confirm.includes(word) ? `confirm "${word}": given with --confirm` : `confirm "${word}": needs --confirm ${word} or a terminal; otherwise the run stops here (exit 4)`);
        if (b.block.attrs.timeout) notes.push(`timeout ${b.block.attrs.timeout} s`);
      }
      for (const v of stepVariables(rb.meta, step)) if (values.get(v.name) === undefined && v.default === undefined) notes.push(`${v.name} is not set`);
      obs.step({ n: i + 1, total: selection.steps.length, step, command: mask(prepared.command), dryRun: true, notes: notes.map(mask) });
      rows.push({ step, result: 'not run', exitCode: null, note: 'dry run' });
    });
    excludedRows();
    return end('passed');
  }

  // The record: a new log, or with --resume the latest one when no other live process holds it.
  const ci = ciContext(req.env);
  const self = { pid: ports.identity.pid, host: ports.identity.host };
  let logId: string;
  let runId: string;
  let lineBreak = false;
  // Another live process holding the latest run (a window, another run) is said, never written into.
  const holder = latestEvents ? runHolder(latestEvents, self, ports.identity.isAlive) : undefined;
  if (o.resume && latest && resumable && !holder) {
    logId = latest.id;
    runId = resumable.find((e) => e.type === 'run-start')?.runId ?? resumable[0]?.runId ?? randomUUID();
    lineBreak = latest.text.length > 0 && !latest.text.endsWith('\n');
  } else {
    if (holder) obs.notice(`the latest run of ${req.displayPath} is held by process ${holder.pid} on ${holder.host} (an editor window or another run): this run is recorded on its own`, 'warning');
    logId = ports.log.create();
    runId = randomUUID();
  }
  const append = (body: RunEvent extends infer E ? (E extends RunEvent ? Omit<E, 'runId' | 'time'> : never) : never) => {
    const event = { ...body, runId, time: ports.now().toISOString() } as RunEvent;
    ports.log.append(logId, (lineBreak ? '\n' : '') + serializeEvent(event));
    lineBreak = false;
    obs.event(event);
    return event;
  };
  const keepApproval = approvalKeeper(ports, append, mask);
  const operator = ciActor(req.env) ?? (await ports.identity.operator(workspaceCwd));
  append({ type: 'run-start', runbook: relPath, title, operator, host: self.host, pid: self.pid, ...(ci.ci ? { ci: true, ...(ci.url ? { ciUrl: ci.url } : {}) } : {}) });

  const shells = new Map<boolean, StepShell>();
  const shellFor = (session: boolean) => {
    let sh = shells.get(session);
    if (!sh) {
      sh = ports.createShell({ shell: shellName, cwd: workspaceCwd, env: req.env, session });
      shells.set(session, sh);
    }
    return sh;
  };
  obs.start({ title, steps: selection.steps.length, log: logId, shell: shellName, persistent: shellFor(true).persistent });

  const finish = async (result: RunResult): Promise<RunResult> => {
    for (const sh of shells.values()) await sh.close();
    // The steps the run did not reach.
    for (const s of selection.steps) if (!rows.some((r) => r.step === s)) rows.push({ step: s, result: 'not run', exitCode: null });
    excludedRows();
    rows.sort((a, b) => a.step.line - b.step.line);
    if (o.report) {
      const { events, problems } = parseLog(ports.log.read(logId));
      let report = renderReport(events);
      if (problems.length) report += `\n\n> ${problems.length} line(s) of the log could not be read: ${problems.map((p) => p.message).join('; ')}\n`;
      ports.writeReport(o.report, mask(report));
    }
    return { ...result, log: logId };
  };

  // Each step to run as it is in `text`, or why it can no longer be found there.
  const current: (Step | { reason: string })[] = selection.steps.slice();
  for (let i = 0; i < selection.steps.length; i++) {
    const planned = selection.steps[i];
    const n = i + 1;
    if (done.has(planned)) {
      rows.push({ step: planned, result: 'skipped', exitCode: null, note: 'already done' });
      obs.result(rows[rows.length - 1]);
      continue;
    }
    if (req.signal?.aborted) return finish(end('interrupted', 'interrupted'));

    // The file may have changed since the last step: the steps must still be there, unchanged.
    const nowText = Buffer.from(ports.readRunbook()).toString('utf8');
    if (nowText !== text) {
      const nowRb = parseRunbook(nowText);
      const nowBlocked = refusal(nowRb, looseSteps(nowRb).filter((b) => selection.steps.some((s) => s.loose && s.key === b.key)));
      if (nowBlocked) return finish(end('error', `${req.displayPath} was changed while the run went on and now has errors that make steps ambiguous; the run stopped before "${planned.text}"`, { diagnostics: nowBlocked }));
      for (let j = i; j < current.length; j++) {
        const c = current[j];
        if (!('key' in c)) continue;
        const found = findAgain(text, c, nowText, nowRb);
        current[j] = 'reason' in found ? found : found.step;
      }
      text = nowText;
      rb = nowRb;
    }
    const located = current[i];
    if (!('key' in located)) return finish(end('error', `${req.displayPath} was changed while the run went on: step "${planned.text}" cannot be found as it was (${located.reason}); the run stopped before it`));
    const step = located;
    const snapshot = text;
    const prepared = prepareStep(rb.meta, step, values);
    const notes: string[] = [];
    const row = (r: Omit<SummaryRow, 'step'>) => {
      const full = { step: planned, ...r };
      rows.push(full);
      obs.result(full);
      return full;
    };

    try {
      const held = await keepApproval(rb, text, step, req.signal);
      if (held) {
        row({ result: 'gate', exitCode: null, note: 'not approved' });
        return finish(end('gate', held));
      }
      if (step.manual) {
        obs.step({ n, total: selection.steps.length, step, command: '', dryRun: false, notes: ['manual step: no command to run'] });
        const decision = ports.prompts ? ((await abortable(ports.prompts.manual(step), req.signal)) ?? 'stop') : 'stop';
        append({ type: 'manual-prompt', step: stepRef(step), decision });
        if (decision === 'stop') {
          row({ result: 'gate', exitCode: null, note: 'manual step' });
          return finish(
            end('gate', ports.prompts ? `stopped at the manual step "${step.text}"` : `"${step.text}" is a manual step and there is no terminal to ask whether it is done: do it, then continue with --from after it (or --resume once it is ticked)`),
          );
        }
        if (decision === 'skip') {
          append(stepEndRecord(step, { status: 'skipped', exitCode: null, durationMs: 0, output: '' }, secrets, req.outputLimit));
          row({ result: 'skipped', exitCode: null, note: 'manual step skipped by the operator' });
          continue;
        }
        append({ type: 'manual-done', step: stepRef(step) });
        append(stepEndRecord(step, { status: 'passed', exitCode: null, durationMs: 0, output: '' }, secrets, req.outputLimit));
        const ticked = tick(step, snapshot);
        row({ result: 'done', exitCode: null, note: 'marked done by the operator' });
        if (ticked) return finish(ticked);
        continue;
      }

      // Working directories first: a step that cannot start is not confirmed.
      for (const dir of [workspaceCwd, ...prepared.blocks.flatMap((b) => (b.block.attrs.cwd ? [path.resolve(workspaceCwd, b.block.attrs.cwd)] : []))]) {
        if (!ports.isDirectory(dir)) return finish(end('error', `step "${step.text}" was not run: its working directory ${dir} does not exist`));
      }
      obs.step({ n, total: selection.steps.length, step, command: mask(prepared.command), dryRun: false, notes });
      for (const { block, display } of prepared.blocks) {
        const word = block.attrs.confirm;
        if (!word) continue;
        if (o.confirm.includes(word)) {
          append({ type: 'confirm', step: stepRef(step), accepted: true, via: 'option' });
          continue;
        }
        if (!ports.prompts) {
          append({ type: 'confirm', step: stepRef(step), accepted: false, via: 'option' });
          row({ result: 'gate', exitCode: null, note: `needs --confirm ${word}` });
          return finish(end('gate', `step "${step.text}" needs its confirmation: pass --confirm ${word} (no terminal to ask)`));
        }
        const accepted = await abortable(ports.prompts.confirm(word, step, mask(display)), req.signal);
        append({ type: 'confirm', step: stepRef(step), accepted, via: 'typed' });
        if (!accepted) {
          row({ result: 'gate', exitCode: null, note: 'not confirmed' });
          return finish(end('gate', `step "${step.text}" was not confirmed; the run stopped there`));
        }
      }
    } catch (err) {
      if (err instanceof Interrupted) {
        row({ result: 'stopped', exitCode: null, note: 'interrupted' });
        return finish(end('interrupted', 'interrupted'));
      }
      throw err;
    }

    append({ type: 'step-start', step: stepRef(step, stepTitle(rb.meta, step.text, values)), command: prepared.command });
    const started = ports.now().getTime();
    const masker = new SecretMasker(secrets);
    let output = '';
    let outcome: BlockResult = { status: 'passed', exitCode: 0 };
    for (const { block, script } of prepared.blocks) {
      const shell = shellFor(block.attrs.interactive);
      const exec = shell.run(
        {
          script,
          label: step.name ?? step.text,
          cwd: block.attrs.cwd ? path.resolve(workspaceCwd, block.attrs.cwd) : undefined,
          env: { ...prepared.plainEnv, PREFLIGHT_RUNBOOK: req.file, PREFLIGHT_STEP: step.text },
          secrets: prepared.secretEnv,
          timeout: block.attrs.timeout,
        },
        (chunk) => {
          output += chunk;
          const shown = masker.push(chunk);
          if (shown) obs.output(shown);
        },
      );
      const onAbort = () => exec.stop();
      req.signal?.addEventListener('abort', onAbort, { once: true });
      if (req.signal?.aborted) exec.stop();
      outcome = await exec.done;
      req.signal?.removeEventListener('abort', onAbort);
      if (outcome.error) obs.notice(mask(`step "${step.text}": ${outcome.error}`), 'warning');
      if (outcome.status !== 'passed') break;
    }
    const rest = masker.end();
    if (rest) obs.output(rest);
    const durationMs = ports.now().getTime() - started;
    const status = outcome.status;
    append(stepEndRecord(step, { status, exitCode: outcome.exitCode, durationMs, output }, secrets, req.outputLimit));
    row({ result: status, exitCode: outcome.exitCode, durationMs });

    if (status === 'passed') {
      const refused = tick(step, snapshot);
      if (refused) return finish(refused);
      continue;
    }
    if (status === 'stopped') return finish(end('interrupted', `interrupted during "${step.text}"`));
    const rollback = rb.steps.filter((s) => s.rollback);
    if (rollback.length && !step.rollback) {
      append({ type: 'rollback-offer', step: stepRef(step) });
      const first = rollback[0];
      obs.notice(`the runbook has a Rollback section: preflight run ${req.displayPath} --step ${JSON.stringify(first.name ?? first.text)}${rollback.length > 1 ? ' ... (or --include-rollback --from it)' : ''}`, 'info');
    }
    const what = status === 'timed-out' ? `timed out after ${Math.round(durationMs / 100) / 10} s` : `failed${outcome.exitCode !== null ? ` with exit code ${outcome.exitCode}` : ''}`;
    return finish(end('failed', `step "${step.text}" ${what}`));
  }
  return finish(end('passed'));

  /**
   * Ticks a step that passed, with the one-byte edit, on the step as it is in the file now; undefined
   * when that is done (or not wanted), else the result that ends the run: a box that cannot be found
   * safely is not ticked, and the run does not go on as if it were.
   */
  function tick(step: Step, snapshot: string): RunResult | undefined {
    if (!o.tick || step.loose) return undefined;
    const bytes = ports.readRunbook();
    const planned = setCheckboxBytes(bytes, [{ step, snapshot, checked: true }]);
    const reason = planned === undefined ? 'the file is not UTF-8' : planned.refused[0]?.reason;
    if (planned && !reason) {
      if (planned.bytes) {
        ports.writeRunbook(planned.bytes);
        append({ type: 'tick', step: stepRef(planned.changed[0]), checked: true });
        // When nothing else changed, the steps still read as parsed: the file is `text` with one byte
        // ticked. Otherwise the next step finds the steps again in the edited file.
        if (Buffer.from(bytes).toString('utf8') === snapshot) {
          text = planned.bytes.toString('utf8');
          rb = parseRunbook(text);
        }
      }
      return undefined;
    }
    return end('error', `step "${step.text}" passed, but its box was not ticked: ${reason}. Check the runbook and tick it by hand if that is right`);
  }
}
