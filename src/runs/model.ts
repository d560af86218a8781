// The run store's data model: what the rest of the extension knows about a run.
// Sources (our run directory today, TRL/verl later) fill these; nothing else
// should assume a trainer's file names.

export type RunState =
  | 'starting'
  | 'running'
  | 'paused'
  | 'checkpointing'
  | 'stopping'
  | 'finished'
  | 'failed'
  | 'stopped'
  /** status.json names a process that is gone, without a final state. */
  | 'stale'
  | 'unknown';

export type ControlCommand = 'pause' | 'resume' | 'checkpoint' | 'stop';

/** One line of metrics.jsonl: step, time and any scalars (unknown keys kept). */
export interface MetricRow {
  step: number;
  time?: number;
  [name: string]: number | undefined;
}

export interface CheckpointInfo {
  step: number;
  /** Absolute path of checkpoints/step-NNNNNN. */
  path: string;
}

export interface RunSummary {
  /** Stable id: the absolute path of the run directory. */
  id: string;
  dir: string;
  name: string;
  state: RunState;
  pid?: number;
  step: number;
  totalSteps?: number;
  latestReward?: number;
  /** The latest value of every metric seen. */
  latest: Record<string, number>;
  startedAt?: number;
  updatedAt?: number;
  lastCheckpoint?: string;
  checkpoints: CheckpointInfo[];
  error?: string;
  /** Lines skipped because they did not parse, per file name. */
  badLines: Record<string, number>;
  /** The resolved config from run.json, if any. */
  config?: Record<string, unknown>;
  /** Supervised warm-up steps done so far, while the run is in its warm-up phase. */
  warmupStep?: number;
}

export interface Completion {
  text: string;
  reward: number;
  rewards: Record<string, number>;
  advantage: number;
  num_tokens: number;
  truncated: boolean;
  tokens?: string[];
  logprobs?: number[];
  ref_logprobs?: number[];
}

/** One line of samples.jsonl: a prompt and its G completions at a step. */
export interface SampleGroup {
  step: number;
  group: number;
  prompt: string;
  reference?: string;
  completions: Completion[];
}

/** What changed in a run, so that listeners redraw only what they show. */
export interface RunChange {
  runId: string;
  /** The run appeared, disappeared, or its status/summary changed. */
  summary?: boolean;
  /** Metric rows appended since the last change (in step order, superseded rows already dropped). */
  newMetrics?: MetricRow[];
  /** Steps superseded by a resume: listeners drop every point with step >= this. */
  supersededFrom?: number;
  /** Steps whose sample groups were appended. */
  newSampleSteps?: number[];
  /** Events appended (acks, checkpoints, warnings…), raw objects from events.jsonl. */
  newEvents?: Record<string, unknown>[];
  removed?: boolean;
}

export interface Disposable {
  dispose(): void;
}

/**
 * The run store, implemented in src/runs/ and read by views and panels.
 * It keeps summaries and recent windows in memory, never whole runs;
 * history is streamed from disk on request.
 */
export interface RunStore {
  /** Fired once per debounced refresh, with one entry per run that changed. */
  onDidChange(listener: (changes: RunChange[]) => void): Disposable;
  runs(): RunSummary[];
  get(runId: string): RunSummary | undefined;
  /** Recent metric rows kept in memory (the last few thousand steps). */
  recentMetrics(runId: string): MetricRow[];
  /** Streams every current (not superseded) metric row of the run from disk, in step order. */
  readAllMetrics(runId: string, onRow: (row: MetricRow) => void): Promise<void>;
  /** Steps that have sample groups, ascending (may be read lazily from disk). */
  sampleSteps(runId: string): Promise<number[]>;
  /** The sample groups logged at a step (the latest logged copy if superseded). */
  samplesAt(runId: string, step: number): Promise<SampleGroup[]>;
  /** Re-scan roots now. */
  refresh(): Promise<void>;
}
