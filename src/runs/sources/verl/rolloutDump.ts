// One rollout dump of verl (ray_trainer.py _dump_generations, `trainer.rollout_data_dir`
// or `trainer.validation_data_dir`): `<global_step>.jsonl`, one response per line with
// `input`, `output`, `gts` (since v0.5), `score`, `step` and the reward function's extra
// fields. No group id, no advantage, and the batch order is shuffled by balance_batch:
// responses are grouped by identical input (verl groups by dataset row uid, so two rows with
// the same prompt text become one group here) and advantages are computed as verl does.
import type { Completion, SampleGroup } from '../../model';
import { type VerlAdvantageConvention, VERL_DEFAULT_CONVENTION, verlGroupAdvantages } from './advantages';
import { parseVerlLine } from './jsonLine';
import { readLineRange } from './lineRange';

/** One dumped response, before grouping. */
export interface DumpedResponse {
  input: string;
  output: string;
  score: number;
  reference?: string;
  components: Record<string, number>;
}

export interface RolloutDump {
  groups: SampleGroup[];
  /** Lines that are not a response (unparsable, or without input, output or a numeric score). */
  bad: number;
}

const KNOWN = new Set(['input', 'output', 'gts', 'score', 'step']);

export function dumpedResponse(record: Record<string, unknown>): DumpedResponse | undefined {
  const { input, output, score, gts } = record;
  if (typeof input !== 'string' || typeof output !== 'string' || typeof score !== 'number') return undefined;
  const response: DumpedResponse = { input, output, score, components: components(record) };
  if (gts !== undefined && gts !== null)
    response.reference = typeof gts === 'string' ? gts : JSON.stringify(gts);
  return response;
}

/** The reward function's extra numeric fields (acc, format…); booleans count as 0/1, text is left out. */
function components(record: Record<string, unknown>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [key, value] of Object.entries(record)) {
    if (KNOWN.has(key)) continue;
    if (typeof value === 'number') out[key] = value;
    else if (typeof value === 'boolean') out[key] = value ? 1 : 0;
  }
  return out;
}

/** The run's advantage convention, or a chooser given the step's rewards, group by group. */
export type ConventionChoice =
  VerlAdvantageConvention | ((step: number, scores: number[][]) => VerlAdvantageConvention);

/** Groups responses by input, in order of first appearance, with verl's GRPO advantages. */
export function groupResponses(
  step: number,
  responses: readonly DumpedResponse[],
  choice: ConventionChoice = VERL_DEFAULT_CONVENTION,
): SampleGroup[] {
  const byInput = new Map<string, DumpedResponse[]>();
  for (const response of responses) {
    const group = byInput.get(response.input);
    if (group) group.push(response);
    else byInput.set(response.input, [response]);
  }
  const groups = [...byInput.values()];
  const convention =
    typeof choice === 'function'
      ? choice(
          step,
          groups.map((members) => members.map((m) => m.score)),
        )
      : choice;
  return groups.map((members, group) => sampleGroup(step, group, members, convention));
}

function sampleGroup(
  step: number,
  group: number,
  members: DumpedResponse[],
  convention: VerlAdvantageConvention,
): SampleGroup {
  const advantages = verlGroupAdvantages(
    members.map((m) => m.score),
    convention,
  );
  const completions = members.map((m, i): Completion => completion(m, advantages[i]));
  const result: SampleGroup = { step, group, prompt: members[0].input, completions };
  const reference = members.find((m) => m.reference !== undefined)?.reference;
  if (reference !== undefined) result.reference = reference;
  return result;
}

function completion(response: DumpedResponse, advantage: number): Completion {
  // The dump holds decoded text only: token counts and truncation are not known.
  return {
    text: response.output,
    reward: response.score,
    rewards: response.components,
    advantage,
    advantage_computed: true,
  };
}

/** Reads the complete lines of one dump (a file verl is still writing: its torn end waits). */
export async function readRolloutDump(
  file: string,
  step: number,
  convention?: ConventionChoice,
): Promise<RolloutDump> {
  const responses: DumpedResponse[] = [];
  let bad = 0;
  await readLineRange(file, (line) => {
    if (line.trim().length === 0) return;
    const record = parseVerlLine(line);
    const response = record && dumpedResponse(record);
    if (response) responses.push(response);
    else bad++;
  });
  return { groups: groupResponses(step, responses, convention), bad };
}
