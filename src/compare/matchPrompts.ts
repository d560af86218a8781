// Samples of two runs side by side: the step each run shows (the one asked for, or the
// nearest it logged), and its groups matched by prompt text. Pure.
import type { SampleGroup } from '../runs/model';

/** The logged step nearest to `step` (the earlier one on a tie); undefined when none. */
export function nearestStep(steps: number[], step: number): number | undefined {
  let best: number | undefined;
  for (const s of steps) {
    if (best === undefined) best = s;
    const d = Math.abs(s - step);
    const bestD = Math.abs(best - step);
    if (d < bestD || (d === bestD && s < best)) best = s;
  }
  return best;
}

/** Prompts compare equal when they differ only in surrounding whitespace or line endings. */
export function promptKey(prompt: unknown): string {
  return String(prompt ?? '')
    .replace(/\r\n?/g, '\n')
    .trim();
}

export interface PromptMatch {
  prompt: string;
  left: SampleGroup;
  right: SampleGroup;
}

/**
 * Groups of two runs with the same prompt, in the left run's order; a prompt logged twice
 * in one step (several groups) is matched in order. Also counts what stayed unmatched.
 */
export function matchGroups(
  left: SampleGroup[],
  right: SampleGroup[],
): { matched: PromptMatch[]; unmatched: [number, number] } {
  const waiting = new Map<string, SampleGroup[]>();
  for (const g of right) {
    const key = promptKey(g.prompt);
    waiting.set(key, [...(waiting.get(key) ?? []), g]);
  }
  const matched: PromptMatch[] = [];
  for (const g of left) {
    const candidates = waiting.get(promptKey(g.prompt));
    const other = candidates?.shift();
    if (other) matched.push({ prompt: promptKey(g.prompt), left: g, right: other });
  }
  return { matched, unmatched: [left.length - matched.length, right.length - matched.length] };
}
