// What the sample-based checks ask of a group: its reward spread, whether its
// completions are the same text, whether a correctness reward says it is solved.
import type { Completion, SampleGroup } from '../../runs/model';

/** Reward components whose name says they measure correctness (accuracy, correct, exact match…). */
export const CORRECTNESS = /acc|correct|exact|match|equal|verif|math|answer|solve|pass/i;

/** A reward component's metric: rewards/<name>/mean. */
export const COMPONENT = /^rewards\/(.+)\/mean$/;

/** 'rewards/accuracy/mean' -> 'accuracy'; 'reward' stays. */
export function componentLabel(name: string): string {
  return COMPONENT.exec(name)?.[1] ?? name;
}

export function finiteRewards(group: SampleGroup): number[] {
  return group.completions.map((c) => c.reward).filter((r) => typeof r === 'number' && Number.isFinite(r));
}

/** Every completion got the same reward (within float noise): the group teaches nothing. */
export function hasZeroSpread(group: SampleGroup): boolean {
  const rewards = finiteRewards(group);
  if (rewards.length < 2) return false;
  const lo = Math.min(...rewards);
  const hi = Math.max(...rewards);
  return hi - lo <= 1e-9 * Math.max(1, Math.abs(hi));
}

/** How many different texts the group's completions have (whitespace at the ends ignored). */
export function distinctTexts(group: SampleGroup): number {
  return new Set(group.completions.map((c) => c.text.trim())).size;
}

/** "Identical or nearly so": at most a fifth of the group is different (1 for G < 10). */
export function nearlyIdentical(group: SampleGroup): boolean {
  const g = group.completions.length;
  return g >= 2 && distinctTexts(group) <= Math.max(1, Math.floor(g * 0.2));
}

/** Every completion scored full marks on a correctness component: the prompt is solved, not collapsed. */
export function solved(group: SampleGroup): boolean {
  const names = Object.keys(group.completions[0]?.rewards ?? {}).filter((n) => CORRECTNESS.test(n));
  return (
    names.length > 0 &&
    group.completions.every((c: Completion) => names.some((n) => (c.rewards?.[n] ?? 0) >= 0.99))
  );
}

export function truncatedShare(group: SampleGroup): number | undefined {
  const flags = group.completions.map((c) => c.truncated).filter((t) => typeof t === 'boolean');
  return flags.length === 0 ? undefined : flags.filter(Boolean).length / flags.length;
}
