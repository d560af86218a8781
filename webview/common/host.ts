// The webview side of the contract: posts ready, commands and requests (with sequence
// numbers, answered by typed promises), and hands notifications to the app.
import {
  CONTRACT_VERSION,
  isHostToWebview,
  type AppName,
  type Notification,
  type RequestMap,
  type RequestName,
  type WebviewCommand,
  type WebviewToHost,
} from '../../src/contract/messages';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

type Pending = { resolve: (value: unknown) => void; reject: (error: Error) => void };

export class HostConnection<State extends object> {
  private readonly api = acquireVsCodeApi();
  private seq = 0;
  private readonly pending = new Map<number, Pending>();
  private listener: (n: Notification) => void = () => undefined;

  constructor(private readonly app: AppName) {
    window.addEventListener('message', (event: MessageEvent) => this.receive(event.data));
  }

  /** Call once the app is listening: the host sends nothing before this. */
  ready(onNotification: (n: Notification) => void): void {
    this.listener = onNotification;
    this.post({ kind: 'ready', app: this.app, version: CONTRACT_VERSION });
  }

  command(command: WebviewCommand): void {
    this.post({ kind: 'command', ...command });
  }

  request<K extends RequestName>(
    method: K,
    params: RequestMap[K]['params'],
  ): Promise<RequestMap[K]['result']> {
    const seq = ++this.seq;
    return new Promise((resolve, reject) => {
      this.pending.set(seq, { resolve: resolve as (v: unknown) => void, reject });
      this.post({ kind: 'request', seq, method, params } as WebviewToHost);
    });
  }

  get state(): State | undefined {
    return (this.api.getState() as State | undefined) ?? undefined;
  }

  saveState(patch: Partial<State>): void {
    this.api.setState({ ...(this.state ?? {}), ...patch });
  }

  private post(message: WebviewToHost): void {
    this.api.postMessage(message);
  }

  private receive(data: unknown): void {
    if (!isHostToWebview(data)) return;
    if (data.kind === 'reply') {
      const waiting = this.pending.get(data.seq);
      this.pending.delete(data.seq);
      if (!waiting) return;
      if (data.ok) waiting.resolve(data.result);
      else waiting.reject(new Error(data.error));
      return;
    }
    const { kind: _kind, ...notification } = data;
    this.listener(notification as Notification);
  }
}
