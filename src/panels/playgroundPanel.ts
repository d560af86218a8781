// Host side of the playground webview: sends the picks on `ready`, samples on request,
// and answers with groups of scored completions (one per checkpoint, side by side).

import * as vscode from 'vscode';
import {
  isPlaygroundToHost,
  type HostToPlayground,
  type PlaygroundInit,
  type PlaygroundResult,
  type PlaygroundToHost,
} from '../contract/playground';
import { InferenceError } from '../inference/errors';
import { runPlayground, type PlaygroundDeps } from './playgroundRun';
import { makeNonce, webviewHtml } from './webviewHtml';

export const PLAYGROUND_VIEW_TYPE = 'grpoLens.playground';

export class PlaygroundPanel implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  /** The latest sampling (for tests and the command's return value). */
  lastResult: Promise<PlaygroundResult> | undefined;
  private ready = false;
  private queued: HostToPlayground[] = [];

  constructor(
    readonly panel: vscode.WebviewPanel,
    private readonly deps: PlaygroundDeps,
    private readonly runDir: string,
    private readonly init: PlaygroundInit,
    extensionUri: vscode.Uri,
  ) {
    panel.webview.options = {
      enableScripts: true,
      localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist')],
    };
    panel.webview.html = playgroundHtml(panel.webview, extensionUri);
    this.disposables.push(
      panel.webview.onDidReceiveMessage((m) => isPlaygroundToHost(m) && this.receive(m)),
      panel.onDidDispose(() => this.dispose()),
    );
  }

  /** Samples now (the webview shows it once ready). */
  sample(request: Omit<Extract<PlaygroundToHost, { type: 'sample' }>, 'type'>): Promise<PlaygroundResult> {
    this.post({ type: 'busy', message: `Sampling ${request.settings.count} completions…` });
    const result = runPlayground(this.deps, { runDir: this.runDir, ...request });
    this.lastResult = result;
    result.then(
      (r) => this.post({ type: 'result', result: r }),
      (err) => this.fail(err),
    );
    return result;
  }

  dispose(): void {
    this.disposables.splice(0).forEach((d) => d.dispose());
  }

  private receive(message: PlaygroundToHost): void {
    if (message.type === 'ready') {
      this.ready = true;
      this.post({ type: 'init', init: this.init });
      this.queued.splice(0).forEach((m) => this.post(m));
    } else {
      this.sample(message).catch(() => undefined);
    }
  }

  private fail(err: unknown): void {
    const message =
      err instanceof InferenceError ? err.message : `Sampling failed: ${(err as Error).message}`;
    this.post({ type: 'error', message });
    void vscode.window.showErrorMessage(`GRPO Lens: ${message}`);
  }

  private post(message: HostToPlayground): void {
    if (!this.ready) this.queued.push(message);
    else void this.panel.webview.postMessage(message);
  }
}

function playgroundHtml(webview: vscode.Webview, extensionUri: vscode.Uri): string {
  const asset = (...p: string[]) =>
    webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', ...p)).toString();
  // the same shell and Content Security Policy as every other panel
  return webviewHtml({
    app: 'playground',
    title: 'Playground',
    cspSource: webview.cspSource,
    nonce: makeNonce(),
    scriptUri: asset('webview', 'playground.js'),
    styleUri: asset('webview', 'playground.css'),
    codiconsUri: asset('codicons', 'codicon.css'),
  });
}
