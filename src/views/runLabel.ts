// What a run is called wherever it is shown: its folder name (as the tree shows it), in
// visible form, and where two runs share that name, with enough of the parent folder to
// tell them apart. Pure (no vscode), so panels, quick picks and the status bar agree.
import * as path from 'path';
import { visibleText } from '../contract/visibleText';

interface Named {
  id: string;
  dir: string;
  source?: string;
  name?: string;
}

/** Our runs by their folder (several runs of one config share a name); another trainer's by the name its source gives. */
export function runLabel(run: { dir: string; source?: string; name?: string }): string {
  const foreign = run.source !== undefined && run.source !== 'grpo-lens' && run.name;
  return visibleText(foreign ? (run.name as string) : path.basename(run.dir));
}

/** runLabel, plus the parent folders that make it unique among `runs`. */
export function distinctRunLabel(run: Named, runs: readonly Named[]): string {
  const label = runLabel(run);
  let twins = runs.filter((r) => r.id !== run.id && runLabel(r) === label);
  if (twins.length === 0) return label;
  const parents = path.dirname(run.dir).split(/[\\/]/).filter(Boolean);
  for (let n = 1; n <= parents.length; n++) {
    const suffix = parents.slice(-n).join('/');
    twins = twins.filter(
      (r) => path.dirname(r.dir).split(/[\\/]/).filter(Boolean).slice(-n).join('/') === suffix,
    );
    if (twins.length === 0) return `${label} (${visibleText(suffix)})`;
  }
  return `${label} (${visibleText(path.dirname(run.dir))})`;
}
