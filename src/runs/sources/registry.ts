// Every source GRPO Lens reads, in the order discovery asks them. The generic
// TensorBoard source comes last and is used only where no other source found a run.
import { grpoLensSource } from './grpoLens/source';
import { openRlhfSource } from './openrlhf/source';
import type { RunSource } from './source';
import { tensorboardSource } from './tensorboard/source';
import { trackioSource } from './trackio/source';
import { trlSource } from './trl/source';
import { verlSource } from './verl/source';

export const SOURCES: readonly RunSource[] = [
  grpoLensSource,
  trlSource,
  verlSource,
  openRlhfSource,
  trackioSource,
];

/** Sources asked only when none of the others found a run in a folder. */
export const FALLBACK_SOURCES: readonly RunSource[] = [tensorboardSource];

export function sourceLabel(kind: string): string {
  return [...SOURCES, ...FALLBACK_SOURCES].find((s) => s.kind === kind)?.label ?? kind;
}
