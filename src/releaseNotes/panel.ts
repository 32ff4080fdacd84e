import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { reviewView, viewItems, type Review, type ReviewView } from '../core/releases';
import { isFromPanel, type FromPanel, type ToPanel } from './protocol';

export interface PanelHandlers {
  openSource(review: Review, version: string, index: number): void;
  copyMarkdown(review: Review): void;
  createPlan?(review: Review): void;
}

/**
 * The release-note review panel: one at a time, reused for the next review. Upstream text is
 * rendered by markdown-it with raw HTML off in the extension host; the page itself only runs
 * its own nonce'd script under a CSP that allows nothing else.
 */
export class ReleaseNotesPanel implements vscode.Disposable {
  static readonly viewType = 'preflight.releaseNotes';
  private static current: ReleaseNotesPanel | undefined;

  private readonly disposables: vscode.Disposable[] = [];
  private ready = false;
  private pending: ToPanel[] = [];
  private review: Review | undefined;
  private readonly renderedEmitter = new vscode.EventEmitter<{ ms: number; versions: number; transitMs: number }>();
  /** Fires when the page has built the DOM for a review (used by the benchmark and tests). */
  readonly onDidRender = this.renderedEmitter.event;

  static show(extensionUri: vscode.Uri, handlers: PanelHandlers): ReleaseNotesPanel {
    if (ReleaseNotesPanel.current) {
      ReleaseNotesPanel.current.panel.reveal(vscode.ViewColumn.Active);
      ReleaseNotesPanel.current.handlers = handlers;
      return ReleaseNotesPanel.current;
    }
    const panel = vscode.window.createWebviewPanel(ReleaseNotesPanel.viewType, 'Release Notes', vscode.ViewColumn.Active, {
      enableScripts: true,
      localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'media')],
      retainContextWhenHidden: true,
    });
    ReleaseNotesPanel.current = new ReleaseNotesPanel(panel, extensionUri, handlers);
    return ReleaseNotesPanel.current;
  }

  static get active(): ReleaseNotesPanel | undefined {
    return ReleaseNotesPanel.current;
  }

  private constructor(
    readonly panel: vscode.WebviewPanel,
    private readonly extensionUri: vscode.Uri,
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
    this.post({ type: 'review', view, canPlan: !!this.handlers.createPlan, sentAt: Date.now() });
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
    if (!isFromPanel(m)) return;
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
      case 'rendered':
        this.renderedEmitter.fire({ ms: msg.ms, versions: msg.versions, transitMs: msg.transitMs });
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
    const media = (file: string) => webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'media', file)).toString();
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
<link href="${media('releaseNotes.css')}" rel="stylesheet">
<title>Release Notes</title>
</head>
<body>
<main id="app" aria-live="polite"><p class="status">Loading release notes…</p></main>
<script nonce="${nonce}" src="${media('releaseNotes.js')}"></script>
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
