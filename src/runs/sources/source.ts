// The contract every source implements. A source is the only code that knows a
// trainer's file names: it finds that trainer's runs in a folder, and reads one
// run into the model of src/runs/model.ts (summary, canonical metric rows,
// sample groups, events, checkpoints, config, capabilities).
//
// Most foreign sources implement only `find` plus two feeds (metrics, samples)
// and let feedRun.ts (FeedRun) do the rest: windows, supersession, summary,
// running/idle state.
import type { CheckpointInfo, MetricRow, RunCapabilities, SampleGroup, SourceKind } from '../model';

/** A run a source found: enough to list it and to open it later. */
export interface FoundRun {
  /** Stable id; the run's folder for folder-shaped runs, `<db>#<run name>` for Trackio. */
  id: string;
  /** The folder the run lives in (what Reveal and Open Run Folder show). */
  dir: string;
  source: SourceKind;
  name: string;
  /**
   * Files or folders whose changes concern this run (absolute). A change under
   * any of them is routed to the run's reader.
   */
  watch: string[];
}

export interface RunSource {
  readonly kind: SourceKind;
  /** Short label shown in the tree and the CLI: "TRL", "verl". */
  readonly label: string;
  /**
   * Runs of this kind in `dir`, given the names of its entries (files and
   * folders). [] when the folder is not of this kind. Discovery does not look
   * below a folder in which some source found a run.
   */
  find(dir: string, entries: string[]): Promise<FoundRun[]>;
  open(run: FoundRun): RunReader;
}

/** What one poll of a metrics feed found. Rows are canonical (see canonicalNames.ts). */
export interface MetricPoll {
  rows: MetricRow[];
  /** The file was truncated or replaced: forget every row seen before these. */
  restarted?: boolean;
  /** Records that could not be read, per file name (counted and shown on the run). */
  bad?: Record<string, number>;
}

/** A run's metrics, followed incrementally. Rows of one step may come in several polls. */
export interface MetricFeed {
  /**
   * The first read: only the last `maxRows` steps' rows, cheaply (a tail read),
   * leaving the feed positioned at the end so that `poll` returns what is appended.
   */
  tail(maxRows: number): Promise<MetricPoll>;
  /** What was appended since the last `tail` or `poll`. */
  poll(): Promise<MetricPoll>;
  /** Streams every row from the start, in file order (history for zoom and the CLI). */
  readAll(onRow: (row: MetricRow) => void): Promise<void>;
  dispose?(): void;
}

/** A run's sample groups, read on request; never all held in memory. */
export interface SampleFeed {
  /** Steps that have sample groups, ascending. */
  steps(): Promise<number[]>;
  /** The groups logged at a step ([] if none). */
  at(step: number): Promise<SampleGroup[]>;
  /** Cheap check for new steps since the last call (a listing, a file size), in ascending order. */
  poll(): Promise<{ newSteps: number[]; bad?: Record<string, number> }>;
  dispose?(): void;
}

/** What a foreign run says about itself beyond its metrics. All optional. */
export interface RunFacts {
  name?: string;
  config?: Record<string, unknown>;
  checkpoints?: CheckpointInfo[];
  totalSteps?: number;
  startedAt?: number;
  /** The file that stands for the run in the editor (RunSummary.mainFile). */
  mainFile?: string;
  /** The trainer wrote that it finished (TRL: global_step == max_steps). */
  finished?: boolean;
  /** Problems with files the source could not read at all. */
  problems?: string[];
  bad?: Record<string, number>;
}

/** The parts a foreign source supplies to FeedRun (see feedRun.ts). */
export interface FeedParts {
  metrics: MetricFeed;
  samples?: SampleFeed;
  /** Small files read again on every change: config, checkpoints, trainer state. */
  facts?: () => Promise<RunFacts>;
  /** Newest modification time (ms) of the run's growing files; drives running/idle. */
  lastWrite: () => Promise<number | undefined>;
  capabilities?: Partial<RunCapabilities>;
}

/** What changed in the index's view of a run in one update. */
export interface IndexChange {
  summary?: boolean;
  /** Lifecycle events (acknowledgements, checkpoints, failures): followed for every run, sessions or not. */
  newEvents?: Record<string, unknown>[];
}

/** What changed in a session's data in one update. */
export interface SessionChange {
  newMetrics?: MetricRow[];
  supersededFrom?: number;
  newSampleSteps?: number[];
}

/**
 * One run as the index holds it: a cheap summary, kept for every run found.
 * Whatever a panel needs beyond the summary lives in a session (openSession).
 */
export interface RunReader {
  readonly summary: import('../model').RunSummary;
  /** Reads what the summary needs: small files whole, only the ends of large ones. */
  open(): Promise<void>;
  /** Something under the run's watched paths changed (absolute paths; [] = look at everything). */
  update(changed: string[]): Promise<IndexChange>;
  /** Called every few seconds: liveness of a process, running → idle. True when the summary changed. */
  tick(): Promise<boolean>;
  openSession(): RunSession;
  dispose(): void;
}

/** What an open run needs: a window of recent rows, followers, sample access. */
export interface RunSession {
  open(): Promise<void>;
  update(changed: string[]): Promise<SessionChange>;
  /** Recent rows (a few thousand steps), one per step, ascending. */
  recentMetrics(): MetricRow[];
  recentEvents(): Record<string, unknown>[];
  readAllMetrics(onRow: (row: MetricRow) => void): Promise<void>;
  sampleSteps(): Promise<number[]>;
  samplesAt(step: number): Promise<SampleGroup[]>;
  dispose(): void;
}
