// The host side every panel shares: the HTML shell, the ready handshake, request
// dispatch with sequence numbers, commands, and buffering while the webview is hidden.
import * as vscode from 'vscode';
import {
  CONTRACT_VERSION,
  isWebviewToHost,
  type AppName,
  type HostToWebview,
  type Notification,
  type RequestMap,
  type RequestName,
  type WebviewCommand,
} from '../contract/messages';
import { PendingBuffer } from './pendingBuffer';
import { makeNonce, webviewHtml } from './webviewHtml';

export type RequestHandlers = {
  [K in RequestName]?: (params: RequestMap[K]['params']) => Promise<RequestMap[K]['result']>;
};

export interface PanelHostOptions {
  app: AppName;
  title: string;
  extensionUri: vscode.Uri;
  handlers: RequestHandlers;
  onCommand: (command: WebviewCommand) => void;
  /** Called on every `ready` (first load, and each reload after the panel was hidden). */
  onReady: () => void;
  /** Called when buffered live points overflowed while hidden: resend a series. */
  onResync?: () => void;
  log?: (message: string) => void;
}

export function panelOptions(extensionUri: vscode.Uri): vscode.WebviewPanelOptions & vscode.WebviewOptions {
  return {
    enableScripts: true,
    enableFindWidget: true,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist')],
  };
}

export class PanelHost implements vscode.Disposable {
  private ready = false;
  private readonly pending = new PendingBuffer();
  private readonly disposables: vscode.Disposable[] = [];
  /** Bytes and notifications posted (by type), for host tests and the bytes benchmark. */
  bytesPosted = 0;
  readonly postedByType: Record<string, number> = {};

  constructor(
    readonly panel: vscode.WebviewPanel,
    private readonly options: PanelHostOptions,
  ) {
    const webview = panel.webview;
    webview.options = panelOptions(options.extensionUri);
    webview.html = this.html();
    this.disposables.push(
      webview.onDidReceiveMessage((m) => this.receive(m)),
      panel.onDidChangeViewState(() => this.flush()),
    );
  }

  private html(): string {
    const dist = vscode.Uri.joinPath(this.options.extensionUri, 'dist');
    const uri = (...p: string[]) =>
      this.panel.webview.asWebviewUri(vscode.Uri.joinPath(dist, ...p)).toString();
    return webviewHtml({
      app: this.options.app,
      title: this.options.title,
      cspSource: this.panel.webview.cspSource,
      nonce: makeNonce(),
      scriptUri: uri('webview', `${this.options.app}.js`),
      styleUri: uri('webview', `${this.options.app}.css`),
      codiconsUri: uri('codicons', 'codicon.css'),
    });
  }

  /** Sends now if the webview can take it, else keeps the latest of its kind. */
  notify(n: Notification): void {
    if (!this.ready || !this.panel.visible) {
      this.pending.put(n);
      return;
    }
    this.post({ kind: 'notification', ...n } as HostToWebview);
  }

  private post(message: HostToWebview): void {
    this.bytesPosted += JSON.stringify(message).length;
    const type = message.kind === 'notification' ? message.type : 'reply';
    this.postedByType[type] = (this.postedByType[type] ?? 0) + 1;
    void this.panel.webview.postMessage(message);
  }

  private flush(): void {
    if (!this.ready || !this.panel.visible) return;
    const overflowed = this.pending.overflowed;
    for (const n of this.pending.take()) this.post({ kind: 'notification', ...n } as HostToWebview);
    this.pending.overflowed = false;
    if (overflowed) this.options.onResync?.();
  }

  private receive(message: unknown): void {
    if (!isWebviewToHost(message)) return;
    if (message.kind === 'ready') {
      if (message.version !== CONTRACT_VERSION) this.options.log?.(`webview contract ${message.version}`);
      this.ready = true;
      this.pending.clear();
      this.options.onReady();
      return;
    }
    if (message.kind === 'command') {
      const { kind: _kind, ...command } = message;
      this.options.onCommand(command as WebviewCommand);
      return;
    }
    void this.answer(message.seq, message.method, message.params);
  }

  private async answer(seq: number, method: RequestName, params: unknown): Promise<void> {
    const handler = this.options.handlers[method] as ((p: unknown) => Promise<unknown>) | undefined;
    try {
      if (!handler) throw new Error(`no handler for ${method}`);
      this.post({ kind: 'reply', seq, ok: true, result: await handler(params) });
    } catch (err) {
      this.post({ kind: 'reply', seq, ok: false, error: err instanceof Error ? err.message : String(err) });
    }
  }

  onDidDispose(listener: () => void): vscode.Disposable {
    return this.panel.onDidDispose(listener);
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
    this.panel.dispose();
  }
}
