// Checkpoint Now writes to our trainer's control mailbox. A run of another trainer that a
// launch of ours controls (pause, resume, stop through its process group) has no mailbox.
import type { RunSummary } from './model';

/** Whether Checkpoint Now can reach the run's trainer now. */
export function canCheckpointOnRequest(run: RunSummary): boolean {
  return run.capabilities.control && !launchedForeign(run);
}

/** Another trainer's run, controlled through the processes a launch of ours started. */
export function launchedForeign(run: RunSummary): boolean {
  return run.launch !== undefined && run.source !== 'grpo-lens';
}
