import * as vscode from 'vscode';
import { Commands } from '../common/commandIds';
import type { Logger } from '../core/log';
import {
  compareVersions,
  isPrerelease,
  readReviewInput,
  reviewMarkdown,
  type ReleaseError,
  type ReleaseSource,
  type Review,
  type VersionRef,
} from '../core/releases';
import type { ReviewsOnScreen } from '../common/reviews';
import { analyzeInWorker, type AnalysisReply } from './analysis';
import { PIN_FILES, PinCodeLensProvider } from './pinLenses';
import { ReleaseNotesPanel, reviewKeyOf, type ReviewKey } from './panel';
import { reviewErrorText, type Wording } from '../app/noNotes';
import type { RenderTiming } from './testProtocol';
import { createReleaseSource, reviewTimeLimitMs, reviewWorkerFile, sourceLocation } from './sources';
import { releaseNoteSettings } from '../common/settings';
import { baseDirFor } from '../common/workspace';

/** Arguments of Review Release Notes when it is started from a version pin or by another command. */
export interface ReviewRequest {
  source?: string;
  from?: string;
  /** A version, or "latest". */
  to?: string;
  /** The container image whose tag started the review (a CodeLens on a pin). */
  image?: string;
}

export interface ReleaseNotesApi {
  /** Runs a review without prompts and shows it; resolves to the review, or undefined when it failed. */
  review(request: ReviewKey): Promise<Review | undefined>;
  /** The panel's next render time (ms), for benchmarks and tests (ExtensionMode.Test only). */
  nextRender(): Promise<RenderTiming>;
  /** Shows a prepared review in the panel; resolves when it has rendered (ExtensionMode.Test only). */
  show(review: Review): Promise<RenderTiming>;
  /** Why the last review that ran failed (undefined when it succeeded or was cancelled). */
  lastFailure(): ReleaseError | undefined;
}

const RECENT_KEY = 'preflight.releaseNotes.recentSources';
const OPEN_SETTINGS = 'Open Settings';
const ANOTHER_SOURCE = 'Try Another Source';

/** How the extension names what the operator can change. */
const VSCODE_WORDING: Wording = {
  files: (source, example) => `the setting preflight.releaseNotes.files ("${source}": ["${example}"])`,
  imageSources: 'the setting preflight.releaseNotes.imageSources',
};

/** The setting that may fix a failed review: the files of a source, or the image map. */
function settingFor(request: ReviewRequest, error: ReleaseError): string | undefined {
  if (error.code === 'no-notes' && error.noNotes?.kind !== 'other-packages' && error.noNotes?.scheme !== 'file') return 'preflight.releaseNotes.files';
  if (request.image) return 'preflight.releaseNotes.imageSources';
  return undefined;
}

/** Release-note review: the command, the panel and the "Review release notes" CodeLens on version pins. */
export function registerReleaseNotes(
  context: vscode.ExtensionContext,
  log: vscode.LogOutputChannel & Logger,
  reviews: ReviewsOnScreen,
): vscode.Disposable & ReleaseNotesApi {
  const handlers = {
    openSource: (review: Review, version: string, index: number) => {
      const item = review.versions.find((v) => v.version === version)?.items[index];
      if (!item) return;
      const target = sourceLocation(review.source, item, workspaceDir());
      if (!target) {
        void vscode.window.showInformationMessage(`${item.file}:${item.line} is not available to open from here.`);
      } else if (target.kind === 'url') {
        void vscode.env.openExternal(vscode.Uri.parse(target.url));
      } else {
        const pos = new vscode.Position(Math.max(0, item.line - 1), 0);
        void vscode.window.showTextDocument(vscode.Uri.file(target.path), { selection: new vscode.Range(pos, pos), viewColumn: vscode.ViewColumn.Beside });
      }
    },
    copyMarkdown: (review: Review) => {
      void vscode.env.clipboard.writeText(reviewMarkdown(review));
      void vscode.window.setStatusBarMessage('$(check) Release-note review copied as Markdown', 3000);
    },
    createPlan: (review: Review) => reviews.requestPlan(review),
    retry: (panel: ReleaseNotesPanel) => void runReview(panel.key),
  };

  let lastFailure: ReleaseError | undefined;

  /**
   * Reads the notes here, then parses and classifies them in a worker: release notes from the
   * internet and the user's rules (arbitrary regular expressions) never hold the extension host.
   * Cancel ends the worker, and so does the time limit.
   */
  async function review(source: ReleaseSource, from: string, to: string, signal: AbortSignal, report: (message: string) => void): Promise<AnalysisReply> {
    const input = await readReviewInput(source, from, to, { signal, logger: log });
    if (!input.ok) return { result: input, ruleProblems: [] };
    const count = input.value.documents.length;
    report(`analysing ${count} file${count === 1 ? '' : 's'}…`);
    const started = performance.now();
    const rules = releaseNoteSettings().rules;
    const reply = await analyzeInWorker(reviewWorkerFile(context), { input: input.value, rules }, { signal, timeLimitMs: reviewTimeLimitMs() });
    for (const p of reply.ruleProblems) log.warn(`preflight.releaseNotes.rules: ${p.message}`);
    log.info(`Analysed the release notes of ${source.id} ${from} → ${to} in ${(performance.now() - started).toFixed(0)} ms`);
    return reply;
  }

  async function openSource(spec: string, signIn = false): Promise<ReleaseSource | undefined> {
    const r = await createReleaseSource(spec, { cwd: workspaceDir(), context, log, signIn });
    if (!r.ok) {
      void vscode.window.showErrorMessage(`Preflight: ${r.error.message}`);
      return undefined;
    }
    return r.value;
  }

  /** Lists the source's versions with a cancellable progress notification. */
  async function listVersions(source: ReleaseSource, request: ReviewRequest & { source: string }): Promise<VersionRef[] | undefined> {
    const r = await withProgress(`Listing versions of ${source.id}…`, (signal) => source.listVersions({ signal, logger: log }));
    if (!r) return undefined;
    if (!r.ok) {
      if (r.error.code !== 'cancelled') void failed(request, r.error, r.error.message);
      return undefined;
    }
    return [...r.value].sort((a, b) => compareVersions(b.version, a.version));
  }

  async function runReview(request: ReviewRequest & ReviewKey, source?: ReleaseSource): Promise<Review | undefined> {
    source ??= await openSource(request.source);
    if (!source) return undefined;
    let to = request.to;
    if (to === 'latest') {
      const versions = await listVersions(source, request);
      if (!versions) return undefined;
      const latest = versions.find((v) => !isPrerelease(v.version)) ?? versions[0];
      if (!latest) {
        void vscode.window.showErrorMessage(`Preflight: no versions found in ${source.id}.`);
        return undefined;
      }
      to = latest.version;
    }
    const key: ReviewKey = { source: request.source, from: request.from, to };
    // A review opens its panel when it succeeds. The panel of the same source and range, if one is
    // open, says what it waits for, and shows what it showed before if the review fails: a failed
    // review closes no panel.
    const open = ReleaseNotesPanel.find(key);
    open?.showLoading(`Reading release notes ${request.from} → ${to} from ${source.id}…`);
    lastFailure = undefined;
    const reply = await withProgress(`Reading release notes ${request.from} → ${to}…`, (signal, report) => review(source!, request.from, to, signal, report));
    const r = reply?.result;
    if (!r || (!r.ok && r.error.code === 'cancelled')) {
      open?.showPrevious('The review was cancelled.');
      return undefined;
    }
    if (!r.ok) {
      lastFailure = r.error;
      const text = reviewErrorText(r.error, VSCODE_WORDING);
      open?.showPrevious(text);
      log.error(`Review of ${source.id} ${request.from} → ${to}: ${text}`);
      void failed({ ...request, to }, r.error, text);
      return undefined;
    }
    for (const p of r.value.problems) log.warn(`${source.id}: ${p.file ? `${p.file}: ` : ''}${p.message}`);
    ReleaseNotesPanel.show(context, handlers, key).showReview(r.value, reply.view);
    return r.value;
  }

  /** The error notification of a failed review, with what the operator can do next. */
  async function failed(request: ReviewRequest & { source: string }, error: ReleaseError, text: string): Promise<void> {
    // GitHub refused an anonymous or expired session: signing in may be all that is missing.
    const hosted = /^(github|npm):/i.test(request.source);
    const actions: string[] = [];
    if (hosted && (error.code === 'auth' || error.code === 'rate-limited')) actions.push('Sign in to GitHub');
    const setting = settingFor(request, error);
    if (setting) actions.push(OPEN_SETTINGS);
    if (error.code === 'no-notes' || error.code === 'network' || error.code === 'not-found' || request.image) actions.push(ANOTHER_SOURCE);
    actions.push('Show Log');
    const image = request.image ? ` (${request.image} is reviewed from ${request.source}: the built-in image map or preflight.releaseNotes.imageSources)` : '';
    const pick = await vscode.window.showErrorMessage(`Preflight: ${text}${image}`, ...actions);
    if (pick === 'Show Log') log.show(true);
    if (pick === OPEN_SETTINGS && setting) await vscode.commands.executeCommand('workbench.action.openSettings', setting);
    if (pick === ANOTHER_SOURCE) await reviewCommand({ from: request.from, to: request.to, ...(request.image ? { image: request.image } : {}) }, request.source);
    if (pick === 'Sign in to GitHub') {
      const signedIn = await openSource(request.source, true);
      if (signedIn && request.from && request.to) await runReview({ ...request, from: request.from, to: request.to }, signedIn);
      else if (signedIn) await reviewCommand(request);
    }
  }

  /** The interactive command: source, then from and to picked from the fetched versions. */
  async function reviewCommand(arg?: ReviewRequest, tried?: string): Promise<Review | undefined> {
    const spec = arg?.source ?? (await askSource(context, arg?.image, tried));
    if (!spec) return undefined;
    await rememberSource(context, spec);
    const source = await openSource(spec);
    if (!source) return undefined;
    let from = arg?.from;
    let to = arg?.to;
    if (!from || !to) {
      const versions = await listVersions(source, { ...arg, source: spec });
      if (!versions) return undefined;
      if (versions.length < 2) {
        void vscode.window.showErrorMessage(`Preflight: ${source.id} lists ${versions.length ? 'only one version' : 'no versions'}; nothing to compare.`);
        return undefined;
      }
      from ??= await pickVersion(versions.slice(1), 'Current version (upgrading from)');
      if (!from) return undefined;
      const newer = versions.filter((v) => compareVersions(v.version, from!) > 0);
      if (to === 'latest') to = (newer.find((v) => !isPrerelease(v.version)) ?? newer[0])?.version;
      to ??= await pickVersion(newer, `Target version (upgrading from ${from} to)`);
      if (!to) return undefined;
    }
    return runReview({ source: spec, from, to, ...(arg?.image ? { image: arg.image } : {}) }, source);
  }

  /** A panel VS Code brought back after a reload: its review runs again (in a trusted workspace). */
  async function restorePanel(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
    const key = reviewKeyOf(state);
    if (!key) {
      // A panel without a source and range has nothing to show again.
      panel.dispose();
      return;
    }
    const restored = ReleaseNotesPanel.restore(panel, context, handlers, key);
    if (restored.panel !== panel) return;
    if (!vscode.workspace.isTrusted) {
      restored.showFailure(`This review of ${key.source} ${key.from} → ${key.to} reads its release notes again when you ask for it: the workspace is not trusted.`, 'Review Again');
      return;
    }
    await runReview(key);
  }

  reviews.setSource(() => ReleaseNotesPanel.active?.shownReview);
  const serializer = vscode.window.registerWebviewPanelSerializer(ReleaseNotesPanel.viewType, { deserializeWebviewPanel: restorePanel });
  const pins = new PinCodeLensProvider();
  const disposable = vscode.Disposable.from(
    vscode.commands.registerCommand(Commands.reviewReleaseNotes, reviewCommand),
    vscode.languages.registerCodeLensProvider(PIN_FILES.map((pattern) => ({ scheme: 'file', pattern })), pins),
    vscode.workspace.onDidChangeConfiguration((e) => e.affectsConfiguration('preflight.releaseNotes') && pins.refresh()),
    pins,
    serializer,
    { dispose: () => ReleaseNotesPanel.all().forEach((p) => p.dispose()) },
  );
  return Object.assign(disposable, {
    review: (request: ReviewKey) => runReview(request),
    nextRender: () => new Promise<RenderTiming>((resolve) => {
      const panel = ReleaseNotesPanel.active;
      if (!panel) throw new Error('no review panel is open');
      const sub = panel.onDidRender((e) => {
        sub.dispose();
        resolve(e);
      });
    }),
    show: (review: Review) => {
      const panel = ReleaseNotesPanel.show(context, handlers, { source: review.source, from: review.from, to: review.to });
      const rendered = new Promise<RenderTiming>((resolve) => {
        const sub = panel.onDidRender((e) => {
          sub.dispose();
          resolve(e);
        });
      });
      panel.showReview(review);
      return rendered;
    },
    lastFailure: () => lastFailure,
  });
}

function workspaceDir(): string {
  return baseDirFor();
}

/** Runs work under a cancellable progress notification; undefined when the user cancels. */
async function withProgress<T>(title: string, work: (signal: AbortSignal, report: (message: string) => void) => Promise<T>): Promise<T | undefined> {
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (progress, token) => {
    const controller = new AbortController();
    const sub = token.onCancellationRequested(() => controller.abort());
    try {
      const result = await work(controller.signal, (message) => progress.report({ message }));
      return token.isCancellationRequested ? undefined : result;
    } finally {
      sub.dispose();
    }
  });
}

async function askSource(context: vscode.ExtensionContext, image?: string, tried?: string): Promise<string | undefined> {
  const recent = context.globalState.get<string[]>(RECENT_KEY, []).filter((s) => s !== tried);
  const items: vscode.QuickPickItem[] = [
    ...recent.map((label) => ({ label, description: 'recent' })),
    { label: 'github:', description: 'GitHub Releases and changelogs: github:OWNER/REPO (#PACKAGE for one package of several)', alwaysShow: true },
    { label: 'npm:', description: 'An npm package: npm:PACKAGE', alwaysShow: true },
    { label: 'git:', description: 'A local clone of the upstream project: git:PATH', alwaysShow: true },
    { label: 'file:', description: 'Local changelog files: file:PATH[,PATH...]', alwaysShow: true },
  ];
  const qp = vscode.window.createQuickPick();
  qp.title = image
    ? `Review Release Notes: where do the release notes of ${image} come from? (preflight.releaseNotes.imageSources maps images to sources)`
    : tried
      ? `Review Release Notes: another source than ${tried}`
      : 'Review Release Notes: where do the release notes come from?';
  qp.placeholder = 'github:RocketChat/Rocket.Chat, npm:express, git:../upstream, file:CHANGELOG.md';
  qp.items = items;
  qp.ignoreFocusOut = true;
  return new Promise((resolve) => {
    qp.onDidAccept(() => {
      const typed = qp.value.trim();
      const picked = qp.selectedItems[0]?.label;
      const complete = (v: string | undefined) => !!v && /^[a-z]+:.+/i.test(v);
      if (complete(typed) || complete(picked)) {
        resolve(complete(typed) ? typed : picked);
        qp.hide();
      } else if (picked) {
        // A bare "github:" starts the spec for the user to complete.
        qp.value = picked;
      } else {
        qp.placeholder = 'Start with github:, npm:, git: or file:';
      }
    });
    qp.onDidHide(() => {
      resolve(undefined);
      qp.dispose();
    });
    qp.show();
  });
}

async function rememberSource(context: vscode.ExtensionContext, spec: string): Promise<void> {
  const recent = context.globalState.get<string[]>(RECENT_KEY, []).filter((s) => s !== spec);
  await context.globalState.update(RECENT_KEY, [spec, ...recent].slice(0, 8));
}

async function pickVersion(versions: VersionRef[], title: string): Promise<string | undefined> {
  const pick = await vscode.window.showQuickPick(
    versions.map((v) => ({
      label: v.version,
      description: [v.date, v.tag && v.tag !== v.version ? v.tag : undefined, isPrerelease(v.version) ? 'pre-release' : undefined].filter(Boolean).join(' · '),
    })),
    { title, placeHolder: 'Newest first; type to filter', ignoreFocusOut: true, matchOnDescription: true },
  );
  return pick?.label;
}
