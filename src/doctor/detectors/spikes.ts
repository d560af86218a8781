// kl-spike and grad-spike: a value far above its recent median (the median of the
// last `baselineSteps` steps, so one earlier spike does not raise the bar; judged once
// `window` steps are known, since the first steps of a run have a KL near 0); KL also
// when its block medians rise block after block (growing without bound).
import type { MetricRow } from '../../runs/model';
import type { DoctorThresholds, Finding, FindingId } from '../finding';
import { findingOf, metric, type Detector } from '../detector';
import { Occurrence, type Values } from '../occurrence';
import { median, RollingWindow, round, say } from '../window';

const GROWTH_BLOCKS = 4;

interface SpikeWords {
  id: FindingId;
  name: string;
  label: string;
  floor: number;
  why: string;
  tryThis: string;
}

function spikeDetector(t: DoctorThresholds, words: SpikeWords, growth: boolean): Detector {
  const spikes = new Occurrence();
  const grows = new Occurrence();
  const history = new RollingWindow(t.baselineSteps);
  const blocks = new RollingWindow(GROWTH_BLOCKS);
  let block: number[] = [];
  let blockStart = 0;

  function noteBlock(row: MetricRow, value: number): void {
    if (block.length === 0) blockStart = row.step;
    block.push(value);
    if (block.length < t.baselineSteps) return;
    blocks.push(blockStart, median(block));
    block = [];
    const meds = blocks.values();
    const rising = meds.length === GROWTH_BLOCKS && meds.every((m, i) => i === 0 || m > meds[i - 1]);
    const factor = meds[meds.length - 1] / Math.max(meds[0], 1e-12);
    if (rising && factor >= t.klGrowthFactor && meds[meds.length - 1] >= words.floor)
      grows.hold({
        step: row.step,
        score: factor,
        values: {
          [words.name]: round(value),
          block_median: round(meds[meds.length - 1]),
          first_block_median: round(meds[0]),
          growth: round(factor),
        },
      });
  }

  return {
    onRow(row) {
      const value = metric(row, words.name);
      if (value === undefined) return;
      // below the floor it is never a spike: most steps never need the median
      if (history.size >= t.window && value >= words.floor) {
        const med = history.median();
        const ratio = value / Math.max(med, 1e-12);
        if (value > t.spikeFactor * med)
          spikes.hold({
            step: row.step,
            score: ratio,
            values: { [words.name]: round(value), recent_median: round(med), times_median: round(ratio) },
          });
      }
      history.push(row.step, value);
      if (growth) noteBlock(row, value);
    },
    dropFrom(step) {
      for (const o of [spikes, grows]) o.dropFrom(step);
      for (const w of [history, blocks]) w.dropFrom(step);
      if (blockStart >= step) block = [];
    },
    findings(): Finding[] {
      const found: Finding[] = [];
      const said = (where: Occurrence, message: string, evidence: Values) =>
        found.push(
          findingOf(words.id, 'warning', where, {
            message,
            why: words.why,
            tryThis: words.tryThis,
            evidence,
            metrics: [words.name],
          }),
        );
      const spike = spikes.worst();
      if (spike) {
        const more =
          spikes.count > 1 ? `; ${spikes.count} spikes in steps ${spikes.first}–${spikes.last}` : '';
        said(
          spikes,
          `${words.label} jumped to ${say(spike.values[words.name])} at step ${spike.step} (recent median ${say(spike.values.recent_median)})${more}`,
          spike.values,
        );
      }
      const grow = grows.latest();
      if (grow) {
        const span = GROWTH_BLOCKS * t.baselineSteps;
        said(
          grows,
          `${words.label} keeps growing: its median rose ${grow.values.growth}× over the last ${span} steps, to ${say(grow.values.block_median)} at step ${grow.step}`,
          grow.values,
        );
      }
      return found;
    },
  };
}

export function klSpike(t: DoctorThresholds): Detector {
  return spikeDetector(
    t,
    {
      id: 'kl-spike',
      name: 'kl',
      label: 'KL',
      floor: t.klFloor,
      why: 'A KL far above its usual level means the policy moved far from the reference in one step: its log-probs and the clipped ratio stop being reliable, and such jumps often come just before the run diverges or collapses.',
      tryThis:
        'Lower learning_rate, raise beta (the KL weight), lower epsilon (the clip range) or num_iterations; look at the completions of the spike steps for degenerate text.',
    },
    true,
  );
}

export function gradSpike(t: DoctorThresholds): Detector {
  return spikeDetector(
    t,
    {
      id: 'grad-spike',
      name: 'grad_norm',
      label: 'Grad norm',
      floor: t.gradFloor,
      why: 'A gradient norm far above its recent level means one batch pushed the weights much harder than the others; without clipping such a step can undo what was learned, and repeated spikes often precede NaN.',
      tryThis:
        'Clip gradients (max_grad_norm 1.0), lower learning_rate or add warm-up, and look at the completions of those steps (very long or degenerate ones give large gradients).',
    },
    false,
  );
}
