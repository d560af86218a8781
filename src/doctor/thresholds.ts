// The doctor's thresholds: name, default and what it means, in one table that the
// CLI, the doctor and the VS Code settings (`grpoLens.doctor.<name>`) all read.
// docs/doctor.md says why each default is what it is.
import type { DoctorThresholds } from './finding';

export interface ThresholdDoc {
  default: number;
  description: string;
}

export const THRESHOLD_DOCS: Record<string, ThresholdDoc> = {
  window: {
    default: 20,
    description: 'Steps in the rolling window that most checks average over.',
  },
  baselineSteps: {
    default: 50,
    description: 'Steps of recent history a spike is compared with (its median).',
  },
  noSignalZeroStdFraction: {
    default: 0.9,
    description:
      'Share of groups with zero reward spread above which a step has (almost) no learning signal.',
  },
  noSignalSteps: {
    default: 20,
    description: 'Consecutive steps without learning signal before no-learning-signal is reported.',
  },
  zeroStdWarn: {
    default: 0.6,
    description: 'Average share of zero-spread groups over the window that is reported as zero-std-groups.',
  },
  zeroStdRise: {
    default: 0.4,
    description:
      'Rise of the average share of zero-spread groups since the start of the run that is reported.',
  },
  truncationShare: {
    default: 0.3,
    description:
      'Average share of completions cut at max_completion_length over the window that is reported.',
  },
  spikeFactor: {
    default: 10,
    description: 'A KL or grad norm this many times its recent median is a spike.',
  },
  klFloor: {
    default: 0.1,
    description: 'KL below this is never a spike, however small its median (per-token k3 KL).',
  },
  gradFloor: {
    default: 1,
    description: 'A grad norm below this is never a spike, however small its median.',
  },
  klGrowthFactor: {
    default: 4,
    description:
      'KL whose block median rose this many times over the last four blocks, rising each time, grows without bound.',
  },
  entropyCollapseFraction: {
    default: 0.1,
    description:
      "Entropy averaged over the window below this share of the run's starting entropy has collapsed.",
  },
  modeCollapseShare: {
    default: 0.5,
    description:
      "Share of a step's groups whose completions are all (or nearly all) identical that is reported.",
  },
  modeCollapseSteps: {
    default: 3,
    description: 'Sampled steps in a row with that many identical groups before mode-collapse is reported.',
  },
  hackingDrop: {
    default: 0.5,
    description:
      'Share of its best windowed mean that a correctness reward component must lose, while other rewards rise.',
  },
  hackingMinBest: {
    default: 0.05,
    description:
      'A correctness component whose best windowed mean is below this is too small to have fallen.',
  },
  hackingRise: {
    default: 0.1,
    description:
      'Rise of the total reward or of another component (windowed mean) that counts, while correctness falls.',
  },
  dominanceCorrelation: {
    default: 0.9,
    description:
      'Correlation of the total reward with one non-correctness component (while no correctness component reaches 0.3) above which that component dominates.',
  },
  lengthDriftRatio: {
    default: 2,
    description: 'Completion length this many times (or this fraction of) its starting length has drifted.',
  },
  lengthRewardCorrelation: {
    default: 0.5,
    description:
      'Correlation of completion length with reward over the last steps above which the drift is reward-driven.',
  },
  clipRatioWarn: {
    default: 0.2,
    description: 'Average share of clipped tokens over the window that is reported as high-clip-ratio.',
  },
  resumeJumpFactor: {
    default: 6,
    description:
      'A metric that moves this many times its usual step-to-step change at a resume point has jumped.',
  },
  resumeJumpRelative: {
    default: 0.25,
    description: 'And by at least this share of its value before the resume.',
  },
  advantageBiasTolerance: {
    default: 0.05,
    description: "A group's mean advantage beyond this share of its mean absolute advantage is biased.",
  },
  advantageBiasShare: {
    default: 0.25,
    description: 'Share of examined groups with biased advantages that is reported.',
  },
  stallFactor: {
    default: 10,
    description: 'A running run silent for this many times its usual step time has stalled.',
  },
  stallMinSeconds: {
    default: 300,
    description: 'A running run silent for less than this (seconds) is never reported as stalled.',
  },
};

export const DEFAULT_THRESHOLDS: DoctorThresholds = Object.fromEntries(
  Object.entries(THRESHOLD_DOCS).map(([name, doc]) => [name, doc.default]),
);

/** The defaults with the given overrides; unknown names and non-finite values are ignored. */
export function resolveThresholds(overrides: Partial<DoctorThresholds> = {}): DoctorThresholds {
  const resolved = { ...DEFAULT_THRESHOLDS };
  for (const [name, value] of Object.entries(overrides)) {
    if (name in resolved && typeof value === 'number' && Number.isFinite(value)) resolved[name] = value;
  }
  return resolved;
}
