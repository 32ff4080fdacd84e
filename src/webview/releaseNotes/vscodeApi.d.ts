// What VS Code gives a webview's script (declared here: the page has no @types/vscode). acquireVsCodeApi may be called once per page (host.ts does).

interface VsCodeWebviewApi<Message, State> {
  postMessage(message: Message): void;
  getState(): State | undefined;
  setState(state: State): void;
}

declare function acquireVsCodeApi<Message = unknown, State = unknown>(): VsCodeWebviewApi<Message, State>;
