// The run store's data model: what the rest of the extension knows about a run.
// Sources (src/runs/sources/: our run directory, TRL, verl, OpenRLHF, Trackio,
// TensorBoard) fill these; nothing else assumes a trainer's file names.

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
  /** A foreign run whose files have not grown for a while (we cannot see its process). */
  | 'idle'
  | 'unknown';

/** Which trainer wrote a run, i.e. which source reads it. */
export type SourceKind = 'grpo-lens' | 'trl' | 'verl' | 'openrlhf' | 'trackio' | 'tensorboard';

/** What GRPO Lens can do with a run beyond showing it. */
export interface RunCapabilities {
  /** Pause, resume, checkpoint and stop through the control mailbox. */
  control: boolean;
  /** Completions carry tokens and log-probs (token colouring in Inspect Completion). */
  tokenDetails: boolean;
  /** Resume from Checkpoint… can continue it. */
  resume: boolean;
}

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
  /** Stable id: the absolute path of the run directory (Trackio: `<db>#<run>`). */
  id: string;
  dir: string;
  name: string;
  source: SourceKind;
  /** Short label of the source: "GRPO Lens", "TRL", "verl"… */
  sourceLabel: string;
  capabilities: RunCapabilities;
  /** Files or records that could not be read, said in words (shown on the run). */
  problems: string[];
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
  /**
   * The file that stands for the run in the editor (the run doctor's findings show on it
   * in the Problems panel): our metrics.jsonl, or a file the run's source names.
   */
  mainFile?: string;
  /** Supervised warm-up steps done so far, while the run is in its warm-up phase. */
  warmupStep?: number;
  /** A launch of ours that writes this run (src/launch/link.ts): its sidecar folder and host. */
  launch?: { sidecar: string; host: string; remote: boolean; kind: 'command' | 'slurm' };
}

export interface Completion {
  text: string;
  reward: number;
  rewards: Record<string, number>;
  advantage: number;
  /** True when the trainer did not log advantages and GRPO Lens computed them. */
  advantage_computed?: boolean;
  /** Absent where the trainer does not log it (TRL, verl dumps). */
  num_tokens?: number;
  /** Absent where the trainer does not log it. */
  truncated?: boolean;
  tokens?: string[];
  /** The trainer's token ids, one per entry of tokens (GRPO Lens's trainer, Hugging Face models). */
  token_ids?: number[];
  logprobs?: number[];
  ref_logprobs?: number[];
  /** An environment's game (GRPO Lens's Battleship): one entry per action, in order. */
  trajectory?: TrajectoryStep[];
}

/** One action of a game (docs/run-format.md, "Environments"). */
export interface TrajectoryStep {
  action: number;
  cell?: string;
  outcome?: string;
  /** On the hit that sank a ship: its length. */
  sunk?: number;
  logprob?: number;
  ref_logprob?: number | null;
  /** The policy's most likely cells at this action, most likely first. */
  top?: { cell: string; action: number; prob: number }[];
}

/** The board of an environment's group (samples.jsonl `environment`). */
export interface EnvironmentBoard {
  name: string;
  board_size: number;
  ships: number[][];
  max_shots?: number;
}

/** One line of samples.jsonl: a prompt and its G completions at a step. */
export interface SampleGroup {
  step: number;
  group: number;
  prompt: string;
  reference?: string;
  completions: Completion[];
  /** Environments only: the hidden board the group's games were played on. */
  environment?: EnvironmentBoard;
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

/** A panel's hold on a run's session (recent window, followers), released by dispose. */
export interface SessionLease extends Disposable {
  /** Resolves once the session has read its window. */
  ready: Promise<void>;
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
  /** Keeps the run's session open (recent window, followers) until the lease is disposed. */
  hold(runId: string): SessionLease;
  /** Recent metric rows of a run whose session is open (the last few thousand steps); [] otherwise. */
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
