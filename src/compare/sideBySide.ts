// What the samples side by side show at a step: each run's nearest logged step, and the
// groups of the prompts both runs were given there, cut for transport. Pure.
import type { SideBySide } from '../contract/messages';
import { toGroupView } from '../panels/samplesView';
import type { SampleGroup } from '../runs/model';
import { matchGroups, nearestStep } from './matchPrompts';

/** Matched prompts sent at once: a step rarely has more groups. */
export const MAX_MATCHED = 200;

export async function sideBySideAt(
  steps: [number[], number[]],
  step: number,
  groupsAt: (run: 0 | 1, step: number) => Promise<SampleGroup[]>,
): Promise<SideBySide> {
  const at: [number | undefined, number | undefined] = [
    nearestStep(steps[0], step),
    nearestStep(steps[1], step),
  ];
  const read = (run: 0 | 1) =>
    at[run] === undefined ? Promise.resolve([]) : groupsAt(run, at[run] as number);
  const [left, right] = await Promise.all([read(0), read(1)]);
  const { matched, unmatched } = matchGroups(left, right);
  return {
    steps: at,
    matched: matched.slice(0, MAX_MATCHED).map((m) => {
      const groups: [ReturnType<typeof toGroupView>, ReturnType<typeof toGroupView>] = [
        toGroupView(m.left),
        toGroupView(m.right),
      ];
      return { prompt: groups[0].prompt, groups };
    }),
    unmatched,
  };
}
