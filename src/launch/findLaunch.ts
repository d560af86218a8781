// From what the user names (a launch's sidecar folder, or the folder of the run it
// writes) to the sidecar, for `grpo-lens pause|resume|stop|status` and Force Stop.
import * as path from 'path';
import { launchFor } from './link';
import { isSidecar } from './sidecar';

export function sidecarOf(operand: string): string | undefined {
  const full = path.resolve(operand);
  if (isSidecar(full)) return full;
  return launchFor(full)?.sidecar;
}
