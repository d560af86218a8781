// `grpo-lens samples RUN [--step N]`: the sample groups of one step (the latest step
// with samples unless --step names one), as JSON or as readable text.
import type { Completion, SampleGroup } from '../runs/model';
import type { RunSession } from '../runs/sources/source';
import { indented, num, shown } from './text';

export interface StepSamples {
  /** null: the run has no samples at all. */
  step: number | null;
  groups: {
    prompt: string;
    reference: string | null;
    completions: {
      text: string;
      reward: number;
      rewards: Record<string, number>;
      advantage: number;
      advantage_computed: boolean;
    }[];
  }[];
}

export async function readStepSamples(session: RunSession, step?: number): Promise<StepSamples> {
  const chosen = step ?? (await session.sampleSteps()).at(-1);
  if (chosen === undefined) return { step: null, groups: [] };
  const groups = await session.samplesAt(chosen);
  return { step: chosen, groups: groups.map(groupOf) };
}

function groupOf(group: SampleGroup): StepSamples['groups'][number] {
  return {
    prompt: group.prompt,
    reference: group.reference ?? null,
    completions: group.completions.map(completionOf),
  };
}

function completionOf(c: Completion): StepSamples['groups'][number]['completions'][number] {
  return {
    text: c.text,
    reward: c.reward,
    rewards: c.rewards,
    advantage: c.advantage,
    advantage_computed: c.advantage_computed === true,
  };
}

export function samplesAsText(data: StepSamples, asked?: number): string {
  if (data.step === null) return 'this run has no samples';
  if (data.groups.length === 0) return `no samples at step ${asked ?? data.step}`;
  const lines = [`step ${data.step}: ${data.groups.length} group${data.groups.length === 1 ? '' : 's'}`];
  data.groups.forEach((group, g) => {
    lines.push('', `group ${g + 1}`, 'prompt:', indented(shown(group.prompt)));
    if (group.reference !== null) lines.push('reference:', indented(shown(group.reference)));
    group.completions.forEach((c, i) => {
      lines.push(`completion ${i + 1}: ${scoreLine(c)}`, indented(shown(c.text)));
    });
  });
  return lines.join('\n');
}

function scoreLine(c: StepSamples['groups'][number]['completions'][number]): string {
  const parts = Object.entries(c.rewards).map(([name, value]) => `${shown(name)} ${num(value)}`);
  const rewards = parts.length > 0 ? ` (${parts.join(', ')})` : '';
  const computed = c.advantage_computed ? ' (computed)' : '';
  return `reward ${num(c.reward)}${rewards}, advantage ${num(c.advantage)}${computed}`;
}
