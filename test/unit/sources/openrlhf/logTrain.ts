// What OpenRLHF writes with --logger.tensorboard_dir: its TensorboardLogger.log_train
// (openrlhf/utils/logging_utils.py) replayed on our SummaryWriter-like fixture writer,
// fed with a status dict shaped like PPOTrainer's (openrlhf/trainer/ppo_trainer.py,
// openrlhf/trainer/ray/ppo_actor.py).
import { EventFileWriter } from '../../../fixtures/writers/tfevents';

export type Logs = Record<string, number | [text: string, reward: number] | undefined>;

/**
 * log_train: add_text("train/generated_samples", f"Sample:\\n{text}\\n\\nReward: {reward:.4f}")
 * (a literal backslash-n; OpenRLHF v0.8 wrote real newlines), add_scalar(f"train/{k}") for the rest.
 */
export function logTrain(
  writer: EventFileWriter,
  globalStep: number,
  logs: Logs,
  realNewlines = false,
): void {
  const nl = realNewlines ? '\n' : '\\n';
  for (const [k, v] of Object.entries(logs)) {
    if (k === 'generated_samples' && Array.isArray(v)) {
      const [text, reward] = v;
      writer.addText(
        'train/generated_samples',
        `Sample:${nl}${text}${nl}${nl}Reward: ${reward.toFixed(4)}`,
        globalStep,
      );
    } else if (typeof v === 'number') writer.addScalar(`train/${k}`, v, globalStep);
  }
}

/** log_eval: add_scalar(f"eval/{k}"). */
export function logEval(writer: EventFileWriter, globalStep: number, logs: Record<string, number>): void {
  for (const [k, v] of Object.entries(logs)) writer.addScalar(`eval/${k}`, v, globalStep);
}

/** One GRPO step's status, with the keys current OpenRLHF logs (values made up, in range). */
export function grpoStatus(step: number): Logs {
  const reward = 0.1 + step / 100;
  return {
    policy_loss: -0.02,
    actor_lr: 1e-6,
    actor_grad_norm: 0.8,
    reward,
    score: reward,
    kl: 0.001 * step,
    ppo_clip_ratio: 0.05,
    ppo_kl: 0.0005,
    group_reward_std: 0.3,
    return: reward - 0.001,
    response_length: 200 + step,
    total_length: 320 + step,
    truncated: 0.125,
    response_clip_ratio: 0.125,
    'timing/make_experience': 4,
    'timing/ppo_train': 6,
    'timing/broadcast': 0.5,
    'rollout/reward_mean': reward,
    'rollout/reward_std': 0.4,
    'rollout/response_length_mean': 200 + step,
    'rollout/truncated_rate': 0.125,
    'rollout/num_samples': 64,
    generated_samples: [`user\nWhat is ${step} + ${step}?\nassistant\n<think>easy</think> ${2 * step}`, 1],
    'timing/generation': 10,
    'timing/step_total': 20.5,
  };
}

/** A critic warming up first (critic.freezing_steps): no actor keys yet. */
export function criticOnlyStatus(): Logs {
  return {
    critic_loss: 0.9,
    values: 0.1,
    critic_lr: 5e-6,
    'timing/make_experience': 4,
    'timing/ppo_train': 3,
    'rollout/reward_mean': 0.2,
  };
}
