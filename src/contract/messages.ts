// Every message between the extension host and the webviews, typed in one place.
// Both sides import this module and nothing else from each other. Three kinds:
//   commands      webview -> host, fire and forget (run control, open inspection)
//   requests      webview -> host with a sequence number; the host answers with a reply
//                 carrying the same seq, typed by RequestMap
//   notifications host -> webview, pushed (init, appended points, header, steps)
// The host sends nothing before the webview's `ready`. It sends windows and downsampled
// series, never whole runs.

export const CONTRACT_VERSION = 1;

export type AppName = 'dashboard' | 'samples';
export type RunControl = 'pause' | 'resume' | 'checkpoint' | 'stop';
export type XAxis = 'step' | 'time';

/** What the header of a panel shows about its run. */
export interface RunHeader {
  runId: string;
  name: string;
  state: string;
  step: number;
  totalSteps?: number;
  /** Seconds to the end, estimated from recent step times. */
  etaSeconds?: number;
  error?: string;
  /** The trainer that wrote the run, for runs not of our own trainer ("TRL", "verl"). */
  source?: string;
  /** False for runs GRPO Lens only reads: no control buttons. */
  controllable: boolean;
  /** Files or records that could not be read, in words. */
  problems?: string[];
}

/** One metric's points, already downsampled on the host: x are steps, t wall-clock seconds. */
export interface MetricSeries {
  x: number[];
  y: (number | null)[];
}

/** The downsampled series of a run between two steps. */
export interface SeriesWindow {
  runId: string;
  fromStep: number;
  toStep: number;
  /** Rows read to build this window (before downsampling). */
  rowCount: number;
  /** Step -> wall-clock seconds, downsampled, for the time axis. */
  time: MetricSeries;
  metrics: Record<string, MetricSeries>;
}

/** A new point per step, sent as is (not downsampled) while the run trains. */
export interface LivePoint {
  step: number;
  time?: number;
  values: Record<string, number>;
}

/** A completion as the samples panel shows it: long texts cut, token arrays left on the host. */
export interface CompletionView {
  index: number;
  text: string;
  /** Full length in characters when `text` was cut for transport. */
  fullLength?: number;
  reward: number;
  rewards: Record<string, number>;
  advantage: number;
  /** True when the trainer logged no advantages and GRPO Lens computed them from the group's rewards. */
  advantageComputed?: boolean;
  /** Absent where the trainer does not log token counts. */
  numTokens?: number;
  truncated: boolean;
  hasTokens: boolean;
  /** An environment's game drawn as a board (Battleship); absent for text completions. */
  game?: GameView;
}

/** A Battleship game for the samples panel: the hidden ships and the shots in order. */
export interface GameView {
  size: number;
  /** Cells of each ship, numbered row by row from 0. */
  ships: number[][];
  shots: ShotView[];
}

export interface ShotView {
  cell: number;
  name: string;
  hit: boolean;
  /** Length of the ship this shot sank. */
  sunk?: number;
  /** The policy's probability of this shot when it was taken. */
  prob?: number;
}

export interface GroupView {
  step: number;
  group: number;
  prompt: string;
  promptFullLength?: number;
  reference?: string;
  rewardStd: number;
  zeroStd: boolean;
  completions: CompletionView[];
}

export interface SamplesAtStep {
  runId: string;
  step: number;
  groups: GroupView[];
}

/** Requests the webviews make, with their parameters and typed results. */
export interface RequestMap {
  seriesWindow: {
    params: { runId: string; fromStep?: number; toStep?: number; width: number };
    result: SeriesWindow;
  };
  sampleSteps: { params: { runId: string }; result: number[] };
  samplesAt: { params: { runId: string; step: number }; result: SamplesAtStep };
}
export type RequestName = keyof RequestMap;

/** Commands the webviews send; the host runs the same VS Code commands as the palette. */
export type WebviewCommand =
  | { command: 'runControl'; runId: string; control: RunControl }
  | { command: 'inspectCompletion'; runId: string; step: number; group: number; index: number }
  | { command: 'openSamples'; runId: string; step?: number };

export type WebviewToHost =
  | { kind: 'ready'; app: AppName; version: number }
  | ({ kind: 'command' } & WebviewCommand)
  | {
      [K in RequestName]: { kind: 'request'; seq: number; method: K; params: RequestMap[K]['params'] };
    }[RequestName];

/** Notifications the host pushes. Each has a `key`: a hidden panel keeps only the latest per key. */
export type Notification =
  | { type: 'init'; app: AppName; runId: string; header?: RunHeader; step?: number }
  | { type: 'header'; header: RunHeader }
  | { type: 'series'; window: SeriesWindow }
  | { type: 'append'; runId: string; points: LivePoint[]; supersededFrom?: number }
  /** All steps with samples, or (append) only steps new since the last message. */
  | { type: 'sampleSteps'; runId: string; steps: number[]; append?: boolean }
  | { type: 'showStep'; runId: string; step: number };

export type HostToWebview =
  | ({ kind: 'notification' } & Notification)
  | { kind: 'reply'; seq: number; ok: true; result: unknown }
  | { kind: 'reply'; seq: number; ok: false; error: string };

export type ReplyMessage = Extract<HostToWebview, { kind: 'reply' }>;

/** The state a panel keeps with VS Code so a reload can restore it (WebviewPanelSerializer). */
export interface PanelState {
  runId: string;
  step?: number;
  follow?: boolean;
  xAxis?: XAxis;
  smoothing?: number;
}

export function isWebviewToHost(value: unknown): value is WebviewToHost {
  if (typeof value !== 'object' || value === null) return false;
  const kind = (value as { kind?: unknown }).kind;
  return kind === 'ready' || kind === 'command' || kind === 'request';
}

export function isHostToWebview(value: unknown): value is HostToWebview {
  if (typeof value !== 'object' || value === null) return false;
  const kind = (value as { kind?: unknown }).kind;
  return kind === 'notification' || kind === 'reply';
}

// ---- Playground (src/panels/playground*, webview/playground): its own small contract ----
export * from './playground';
