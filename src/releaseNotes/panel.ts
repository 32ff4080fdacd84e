import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { reviewView, viewItems, type Review, type ReviewView } from '../core/releases';
import { isFromPanel, type FromPanel, type ToPanel } from './protocol';
import { isFromPanelTest, TEST_MODE, type RenderTiming, type TestReview } from './testProtocol';

export interface PanelHandlers {
  openSource(review: Review, version: string, index: number): void;
  copyMarkdown(review: Review): void;
  createPlan?(review: Review): void;
}

/** The folder of the page's script and stylesheet (built from src/webview/releaseNotes), and the panel's only resource root. */
const PAGE_DIR = ['dist', 'media'] as const;

/**
 * The release-note review panel: one at a time, reused for the next review. Upstream text is
 * rendered by markdown-it with raw HTML off in the extension host; the page itself only runs
 * its own nonce'd script under a CSP that allows nothing else.
 *
 * When the extension runs in ExtensionMode.Test the page also reports how long each render took
 * (testProtocol.ts), for the benchmark and the tests; otherwise it reports nothing of the kind.
 */
export class ReleaseNotesPanel implements vscode.Disposable {
  static readonly viewType = 'preflight.releaseNotes';
  private static current: ReleaseNotesPanel | undefined;

  private readonly disposables: vscode.Disposable[] = [];
  private ready = false;
  private pending: ToPanel[] = [];
  private review: Review | undefined;
  private readonly renderedEmitter = new vscode.EventEmitter<RenderTiming>();
  /** Fires when the page has built the DOM for a review: in ExtensionMode.Test only (the benchmark and tests). */
  readonly onDidRender = this.renderedEmitter.event;

  static show(context: Pick<vscode.ExtensionContext, 'extensionUri' | 'extensionMode'>, handlers: PanelHandlers): ReleaseNotesPanel {
    if (ReleaseNotesPanel.current) {
      ReleaseNotesPanel.current.panel.reveal(vscode.ViewColumn.Active);
      ReleaseNotesPanel.current.handlers = handlers;
      return ReleaseNotesPanel.current;
    }
    const panel = vscode.window.createWebviewPanel(ReleaseNotesPanel.viewType, 'Release Notes', vscode.ViewColumn.Active, {
      enableScripts: true,
      localResourceRoots: [vscode.Uri.joinPath(context.extensionUri, ...PAGE_DIR)],
      retainContextWhenHidden: true,
    });
    ReleaseNotesPanel.current = new ReleaseNotesPanel(panel, context.extensionUri, context.extensionMode === vscode.ExtensionMode.Test, handlers);
    return ReleaseNotesPanel.current;
  }

  static get active(): ReleaseNotesPanel | undefined {
    return ReleaseNotesPanel.current;
  }

  private constructor(
    readonly panel: vscode.WebviewPanel,
    private readonly extensionUri: vscode.Uri,
    private readonly testMode: boolean,
    private handlers: PanelHandlers,
  ) {
    panel.webview.html = this.html();
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      panel.webview.onDidReceiveMessage((m: unknown) => this.receive(m)),
      this.renderedEmitter,
    );
  }

  showLoading(message: string): void {
    this.post({ type: 'loading', message });
  }

  /** `view`: the review's view when it was made elsewhere (the review worker renders it). */
  showReview(review: Review, view: ReviewView = reviewView(review)): void {
    this.review = review;
    this.panel.title = `Release Notes ${review.from} → ${review.to}`;
    const message = { type: 'review', view, canPlan: !!this.handlers.createPlan } satisfies ToPanel;
    if (!this.testMode) return this.post(message);
    const stamped: TestReview = { ...message, sentAt: Date.now() };
    this.post(stamped);
  }

  get shownReview(): Review | undefined {
    return this.review;
  }

  private post(message: ToPanel): void {
    if (!this.ready) {
      // Until the page says it is ready only the latest state matters.
      this.pending = message.type === 'review' ? [message] : [...this.pending.filter((m) => m.type === 'review'), message];
      return;
    }
    void this.panel.webview.postMessage(message);
  }

  private receive(m: unknown): void {
    if (!isFromPanel(m)) {
      if (this.testMode && isFromPanelTest(m)) this.renderedEmitter.fire({ ms: m.ms, versions: m.versions, transitMs: m.transitMs });
      return;
    }
    const msg: FromPanel = m;
    switch (msg.type) {
      case 'ready':
        this.ready = true;
        for (const p of this.pending) void this.panel.webview.postMessage(p);
        this.pending = [];
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
    if (ReleaseNotesPanel.current === this) ReleaseNotesPanel.current = undefined;
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
