// Every message between the extension host and the webviews, typed in one place.
// Both sides import this module and nothing else from each other. Three kinds:
//   commands      webview -> host, fire and forget (run control, open inspection)
//   requests      webview -> host with a sequence number; the host answers with a reply
//                 carrying the same seq, typed by RequestMap
//   notifications host -> webview, pushed (init, appended points, header, steps)
// The host sends nothing before the webview's `ready`. It sends windows and downsampled
// series, never whole runs.

export const CONTRACT_VERSION = 1;

export type AppName = 'dashboard' | 'samples' | 'runsTable' | CompareAppName;
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
  /** False where Checkpoint Now cannot reach the trainer (another trainer's launched run). */
  checkpointable?: boolean;
  /** Files or records that could not be read, in words. */
  problems?: string[];
  /** While the run is in its supervised warm start (before GRPO step 1): how far it is. */
  warmup?: { step: number; steps?: number };
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

/** A run doctor finding as the panels show it (src/doctor/finding.ts, without its evidence). */
export interface FindingView {
  id: string;
  severity: 'error' | 'warning' | 'info';
  /** First and last step where it holds. */
  steps: [number, number];
  /** Steps to mark on the charts concerned. */
  markSteps: number[];
  message: string;
  why: string;
  tryThis: string;
  /** Canonical metric names of the charts concerned. */
  metrics: string[];
  /** Sample groups to look at (samples panel filter "Named by a finding"). */
  groups?: { step: number; group: number }[];
}

/** Requests the webviews make, with their parameters and typed results. */
export interface RequestMap {
  seriesWindow: {
    params: { runId: string; fromStep?: number; toStep?: number; width: number };
    result: SeriesWindow;
  };
  sampleSteps: { params: { runId: string }; result: number[] };
  samplesAt: { params: { runId: string; step: number }; result: SamplesAtStep };
  sideBySideAt: { params: { step: number }; result: SideBySide };
}
export type RequestName = keyof RequestMap;

/** Commands the webviews send; the host runs the same VS Code commands as the palette. */
export type WebviewCommand =
  | { command: 'runControl'; runId: string; control: RunControl }
  | { command: 'inspectCompletion'; runId: string; step: number; group: number; index: number }
  | { command: 'openSamples'; runId: string; step?: number }
  | RunsTableCommand
  | CompareCommand;

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
  | { type: 'showStep'; runId: string; step: number }
  /** The run doctor's current findings (dashboard markers, samples filter); the whole list each time. */
  | { type: 'findings'; runId: string; findings: FindingView[] }
  /** Dashboard: zoom the charts around a step (Open Dashboard at Step). */
  | { type: 'focusStep'; runId: string; step: number }
  | RunsTableNotification
  | CompareNotification;

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

// ---- Runs table (src/runsTable, webview/runsTable) ----

/** A table cell: numbers sort as numbers, the rest as text; undefined when the run does not say. */
export type CellValue = number | string | undefined;

/** Last value, best value (max, or min for KL and losses) and mean of the last N steps of a metric. */
export interface MetricSummary {
  last?: number;
  best?: number;
  mean?: number;
}

/** One run as the table shows it: everything sort, filter and group need, nothing more. */
export interface RunsTableRow {
  id: string;
  name: string;
  source: string;
  state: string;
  /** Epoch ms. */
  created?: number;
  /** Seconds from start to the last update (or to now while it runs). */
  duration?: number;
  step: number;
  totalSteps?: number;
  /** By config key (see src/runsTable/configKeys.ts). */
  config: Record<string, CellValue>;
  /** By metric name; `last` from the run's summary until its history has been read. */
  metrics: Record<string, MetricSummary>;
  /** True while best and mean are still being read from the run's history. */
  statsPending?: boolean;
  tags: string[];
  /** The note's Markdown, cut for transport. */
  note: string;
  problems: string[];
  /** How many findings the run doctor has on the run, and the worst one's severity. */
  findings?: number;
  findingsSeverity?: 'error' | 'warning' | 'info';
  /** Our own runs have a train.log, can be deleted when not running. */
  hasLog: boolean;
  deletable: boolean;
}

export type ColumnKind = 'text' | 'number' | 'time' | 'duration' | 'tags';
export type ColumnGroup = 'run' | 'config' | 'metric';

export interface RunsTableColumn {
  /** `state`, `name`…, `config:<key>`, `metric:<name>:last|best|mean`. */
  id: string;
  label: string;
  kind: ColumnKind;
  group: ColumnGroup;
}

/** What the user chose, remembered per workspace. */
export interface RunsTableViewState {
  /** Shown columns in order; undefined = the default (config columns only where runs differ). */
  columns?: string[];
  sort?: { column: string; descending: boolean };
  /** The filter box: words, `tag:x`, `column>number`… (src/runsTable/query.ts). */
  query?: string;
  /** A column id, or `tag:<prefix>` to group by the value of tags `<prefix>:<value>`. */
  groupBy?: string;
  pinned?: string[];
  /** N in "mean of the last N steps" (1…64). */
  meanOf?: number;
  /** Metrics and config keys the user added as columns. */
  extraMetrics?: string[];
  extraConfig?: string[];
}

export type RunsTableOpen = 'dashboard' | 'samples' | 'log' | 'config' | 'folder';

export type RunsTableCommand =
  | { command: 'tableOpen'; runId: string; what: RunsTableOpen }
  | { command: 'tableCompare'; runIds: string[] }
  | { command: 'tableDelete'; runIds: string[] }
  | { command: 'tableEditTags'; runId: string }
  | { command: 'tableEditNote'; runId: string }
  | { command: 'tableAddColumn' }
  | { command: 'tableSaveView'; view: RunsTableViewState };

export type RunsTableNotification =
  /** Every row, and the columns they offer (on ready, and when the view's metrics change). */
  | { type: 'tableInit'; rows: RunsTableRow[]; columns: RunsTableColumn[]; view: RunsTableViewState }
  /** Rows that changed or appeared, ids of rows that went; columns when new ones appeared. */
  | { type: 'tableUpdate'; rows: RunsTableRow[]; removed: string[]; columns?: RunsTableColumn[] };

// ---- Compare runs (src/compare/, webview/compare, webview/sideBySide) ----

export type CompareAppName = 'compare' | 'sideBySide';
/** What the overlaid curves are aligned on: step, seconds since the run's first step, tokens seen. */
export type CompareAxis = 'step' | 'time' | 'tokens';

/** One run of a comparison, with its colour (src/compare/colours.ts: runColour). */
export interface CompareRunInfo {
  runId: string;
  name: string;
  source: string;
  state: string;
  colour: string;
}

export type CompareNotification =
  | { type: 'compareInit'; runs: CompareRunInfo[] }
  /** Downsampled series of some runs; `complete` once each is built from the run's whole history. */
  | { type: 'compareSeries'; windows: SeriesWindow[]; complete: boolean }
  | { type: 'compareAppend'; runId: string; points: LivePoint[]; supersededFrom?: number }
  /** Samples side by side: the two runs and the steps at which each logged groups. */
  | { type: 'sideBySideInit'; runs: CompareRunInfo[]; steps: number[][]; step?: number };

export type CompareCommand =
  | { command: 'compareConfigs'; runIds: string[] }
  | { command: 'compareSamples'; runIds: string[]; step?: number }
  | { command: 'openDashboard'; runId: string };

/** A prompt both runs were given, with each run's group for it. */
export interface MatchedPrompt {
  prompt: string;
  groups: [GroupView, GroupView];
}

export interface SideBySide {
  /** The step shown of each run: the one asked for, or the nearest that run logged. */
  steps: [number | undefined, number | undefined];
  matched: MatchedPrompt[];
  /** Prompts only one of the runs has at its step. */
  unmatched: [number, number];
}

// ---- Playground (src/panels/playground*, webview/playground): its own small contract ----
export * from './playground';
