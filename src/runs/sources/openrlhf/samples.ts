// OpenRLHF's generated samples as sample groups. TensorboardLogger.log_train writes
// one sample per logged step: add_text("train/generated_samples",
// f"Sample:\\n{text}\\n\\nReward: {reward:.4f}"), where text is the first sequence of
// the batch decoded with skip_special_tokens (prompt and response together) and the
// separators are a literal backslash-n in current OpenRLHF, real newlines in v0.8.
// What cannot be recovered: where the prompt ends, the other completions of its
// group, per-component rewards, advantages, token counts and truncation.
import { groupAdvantages } from '../../../grpo/advantages';
import type { SampleGroup } from '../../model';
import type { SampleFeed } from '../source';
import { TextTagIndex } from '../tensorboard/textIndex';
import { GENERATED_SAMPLES_TAG } from './names';

const SAMPLE_FORMAT = /^Sample:(\\n|\n)([\s\S]*)\1\1Reward: (\S+)$/;

/** The sequence and its reward; reward NaN when the text is not in log_train's format (kept whole). */
export function parseGeneratedSample(logged: string): { text: string; reward: number } {
  const match = SAMPLE_FORMAT.exec(logged);
  if (!match) return { text: logged, reward: NaN };
  return { text: match[2], reward: pythonFloat(match[3]) };
}

/** A number as Python's format(x, ".4f") writes it, nan and inf included. */
function pythonFloat(text: string): number {
  if (text === 'inf') return Infinity;
  if (text === '-inf') return -Infinity;
  return Number(text); // "nan" gives NaN, as it should
}

export function sampleGroupOf(step: number, logged: string, group = 0): SampleGroup {
  const { text, reward } = parseGeneratedSample(logged);
  const [[advantage]] = groupAdvantages([[reward]]);
  return {
    step,
    group,
    prompt: '',
    completions: [{ text, reward, rewards: {}, advantage, advantage_computed: true }],
  };
}

export function openRlhfSampleFeed(logdir: string): SampleFeed {
  const index = new TextTagIndex([logdir], GENERATED_SAMPLES_TAG, 0);
  return {
    steps: () => index.steps(),
    at: async (step) => (await index.at(step)).map((t, group) => sampleGroupOf(t.step, t.text, group)),
    poll: () => index.poll(),
    dispose: () => index.dispose(),
  };
}
