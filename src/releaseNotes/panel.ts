import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { reviewView, viewItems, type Review, type ReviewView } from '../core/releases';
import { PageHandshake } from './handshake';
import { isFromPanel, type FromPanel, type ToPanel } from './protocol';
import { isFromPanelTest, TEST_MODE, type RenderTiming, type TestReview } from './testProtocol';

export interface PanelHandlers {
  openSource(review: Review, version: string, index: number): void;
  copyMarkdown(review: Review): void;
  createPlan?(review: Review): void;
  /** Runs the panel's review again (after a failed restore, or one held back in an untrusted workspace). */
  retry?(panel: ReleaseNotesPanel): void;
}

/** What a panel is a review of, and all it keeps across a window reload: never a token or notes. */
export interface ReviewKey {
  source: string;
  from: string;
  to: string;
}

/** A panel's saved state as the page hands it back after a reload: input like any other. */
export function reviewKeyOf(state: unknown): ReviewKey | undefined {
  if (!state || typeof state !== 'object') return undefined;
  const { source, from, to } = state as Record<string, unknown>;
  const ok = (v: unknown): v is string => typeof v === 'string' && v.length > 0 && v.length <= 2000;
  return ok(source) && ok(from) && ok(to) ? { source, from, to } : undefined;
}

function keyText(key: ReviewKey): string {
  return JSON.stringify([key.source, key.from, key.to]);
}

/** The folder of the page's script and stylesheet (built from src/webview/releaseNotes), and the panel's only resource root. */
const PAGE_DIR = ['dist', 'media'] as const;
const READY_TIMEOUT_MS = 10_000;
const PAGE_RELOADS = 2;

type PanelContext = Pick<vscode.ExtensionContext, 'extensionUri' | 'extensionMode'>;

/**
 * A release-note review panel: one per source and range, like editors (the same source and range
 * reveal their panel). Each remembers its source and range in the page's state, so VS Code can
 * hand it back after a window reload (register.ts re-runs the review). Upstream text is rendered
 * by markdown-it with raw HTML off in the extension host; the page itself only runs its own
 * nonce'd script under a CSP that allows nothing else.
 *
 * When the extension runs in ExtensionMode.Test the page also reports how long each render took
 * (testProtocol.ts), for the benchmark and the tests; otherwise it reports nothing of the kind.
 */
export class ReleaseNotesPanel implements vscode.Disposable {
  static readonly viewType = 'preflight.releaseNotes';
  private static readonly open = new Map<string, ReleaseNotesPanel>();
  /** The panel focused last: the one that is active, or was before the focus went to an editor. */
  private static focused: ReleaseNotesPanel | undefined;

  private readonly disposables: vscode.Disposable[] = [];
  private readonly handshake = new PageHandshake();
  private reloads = 0;
  private review: Review | undefined;
  private lastReview: ToPanel | undefined;
  private readonly renderedEmitter = new vscode.EventEmitter<RenderTiming>();
  /** Fires when the page has built the DOM for a review: in ExtensionMode.Test only (the benchmark and tests). */
  readonly onDidRender = this.renderedEmitter.event;

  /** The panel of this source and range, revealed; a new one when there is none. */
  static show(context: PanelContext, handlers: PanelHandlers, key: ReviewKey): ReleaseNotesPanel {
    const shown = ReleaseNotesPanel.find(key);
    if (shown) {
      shown.panel.reveal(shown.panel.viewColumn ?? vscode.ViewColumn.Active);
      shown.handlers = handlers;
      ReleaseNotesPanel.focused = shown;
      return shown;
    }
    const panel = vscode.window.createWebviewPanel(ReleaseNotesPanel.viewType, 'Release Notes', vscode.ViewColumn.Active, ReleaseNotesPanel.options(context));
    const created = new ReleaseNotesPanel(panel, context, handlers, key);
    ReleaseNotesPanel.focused = created;
    return created;
  }

  /** Takes over a panel VS Code restored after a reload. */
  static restore(panel: vscode.WebviewPanel, context: PanelContext, handlers: PanelHandlers, key: ReviewKey): ReleaseNotesPanel {
    const existing = ReleaseNotesPanel.find(key);
    if (existing) {
      // The same review twice: keep the one already here.
      panel.dispose();
      return existing;
    }
    panel.webview.options = ReleaseNotesPanel.options(context);
    return new ReleaseNotesPanel(panel, context, handlers, key);
  }

  static find(key: ReviewKey): ReleaseNotesPanel | undefined {
    return ReleaseNotesPanel.open.get(keyText(key));
  }

  /** The review panel focused last (the active one when a panel has the focus). */
  static get active(): ReleaseNotesPanel | undefined {
    return ReleaseNotesPanel.all().find((p) => p.panel.active) ?? ReleaseNotesPanel.focused;
  }

  static all(): ReleaseNotesPanel[] {
    return [...ReleaseNotesPanel.open.values()];
  }

  private static options(context: PanelContext): vscode.WebviewPanelOptions & vscode.WebviewOptions {
    return {
      enableScripts: true,
      localResourceRoots: [vscode.Uri.joinPath(context.extensionUri, ...PAGE_DIR)],
      retainContextWhenHidden: true,
    };
  }

  private readonly extensionUri: vscode.Uri;
  private readonly testMode: boolean;

  private constructor(
    readonly panel: vscode.WebviewPanel,
    context: PanelContext,
    private handlers: PanelHandlers,
    readonly key: ReviewKey,
  ) {
    this.extensionUri = context.extensionUri;
    this.testMode = context.extensionMode === vscode.ExtensionMode.Test;
    ReleaseNotesPanel.open.set(keyText(key), this);
    // Panels restored after a reload come back one by one, the active one among them.
    if (panel.active || !ReleaseNotesPanel.focused) ReleaseNotesPanel.focused = this;
    panel.title = `Release Notes ${key.from} → ${key.to}`;
    panel.webview.html = this.html();
    this.watchReady();
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      panel.onDidChangeViewState((e) => {
        if (e.webviewPanel.active) ReleaseNotesPanel.focused = this;
      }),
      panel.webview.onDidReceiveMessage((m: unknown) => this.receive(m)),
      this.renderedEmitter,
    );
  }

  showLoading(message: string): void {
    this.post({ type: 'loading', message });
  }

  /** Says why the review cannot be shown, with a button to run it again. */
  showFailure(message: string, action: string): void {
    this.post({ type: 'failed', message, action, state: { ...this.key } });
  }

  /** After a review that failed or was cancelled: the review shown before, or the failure. */
  showPrevious(failure: string): void {
    if (this.lastReview) this.post(this.lastReview);
    else this.showFailure(failure, 'Try Again');
  }

  /** `view`: the review's view when it was made elsewhere (the review worker renders it). */
  showReview(review: Review, view: ReviewView = reviewView(review)): void {
    this.review = review;
    this.panel.title = `Release Notes ${review.from} → ${review.to}`;
    const message = { type: 'review', view, canPlan: !!this.handlers.createPlan, state: { ...this.key } } satisfies ToPanel;
    this.lastReview = message;
    if (!this.testMode) return this.post(message);
    const stamped: TestReview = { ...message, sentAt: Date.now() };
    this.post(stamped);
  }

  get shownReview(): Review | undefined {
    return this.review;
  }

  /**
   * A page that never says it is ready (its script did not load: VS Code for the Web serves a
   * webview's files through a service worker that may not be there yet) is loaded again, twice at most.
   */
  private watchReady(): void {
    const timer = setTimeout(() => {
      if (this.handshake.isReady || this.reloads >= PAGE_RELOADS) return;
      this.reloads++;
      this.panel.webview.html = this.html();
      this.watchReady();
    }, READY_TIMEOUT_MS);
    this.disposables.push({ dispose: () => clearTimeout(timer) });
  }

  private post(message: ToPanel): void {
    for (const m of this.handshake.post(message)) void this.panel.webview.postMessage(m);
  }

  private receive(m: unknown): void {
    if (!isFromPanel(m)) {
      if (this.testMode && isFromPanelTest(m)) this.renderedEmitter.fire({ ms: m.ms, versions: m.versions, transitMs: m.transitMs });
      return;
    }
    const msg: FromPanel = m;
    switch (msg.type) {
      case 'ready':
        for (const p of this.handshake.onReady()) void this.panel.webview.postMessage(p);
        return;
      case 'openLink':
        return void openLink(msg.href);
      case 'openSource':
        if (this.review) this.handlers.openSource(this.review, msg.version, msg.index);
        return;
      case 'copyMarkdown':
        if (this.review) this.handlers.copyMarkdown(this.review);
        return void this.panel.webview.postMessage({ type: 'copied' } satisfies ToPanel);
      case 'renderVersion': {
        const v = this.review?.versions.find((x) => x.version === msg.version);
        if (v) this.post({ type: 'versionItems', version: v.version, items: viewItems(v.items) });
        return;
      }
      case 'createPlan':
        if (this.review) this.handlers.createPlan?.(this.review);
        return;
      case 'retry':
        this.handlers.retry?.(this);
        return;
      default: {
        const never: never = msg;
        return never;
      }
    }
  }

  private html(): string {
    const webview = this.panel.webview;
    const nonce = randomBytes(18).toString('base64');
    const asset = (file: string) => webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, ...PAGE_DIR, file)).toString();
    const csp = [
      "default-src 'none'",
      `style-src ${webview.cspSource}`,
      `img-src ${webview.cspSource}`,
      `font-src ${webview.cspSource}`,
      `script-src 'nonce-${nonce}'`,
    ].join('; ');
    return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link href="${asset('releaseNotes.css')}" rel="stylesheet">
<title>Release Notes</title>
</head>
<body${this.testMode ? ` data-mode="${TEST_MODE}"` : ''}>
<main id="app" aria-live="polite"><p class="status">Loading release notes…</p></main>
<script nonce="${nonce}" src="${asset('releaseNotes.js')}"></script>
</body>
</html>`;
  }

  dispose(): void {
    if (ReleaseNotesPanel.open.get(keyText(this.key)) === this) ReleaseNotesPanel.open.delete(keyText(this.key));
    if (ReleaseNotesPanel.focused === this) ReleaseNotesPanel.focused = ReleaseNotesPanel.all().pop();
    this.panel.dispose();
    while (this.disposables.length) this.disposables.pop()?.dispose();
  }
}

/** Opens an http(s) link from release notes in the browser; anything else is ignored. */
function openLink(href: string): void {
  let uri: vscode.Uri;
  try {
    uri = vscode.Uri.parse(href, true);
  } catch {
    return;
  }
  if (uri.scheme === 'https' || uri.scheme === 'http') void vscode.env.openExternal(uri);
}
