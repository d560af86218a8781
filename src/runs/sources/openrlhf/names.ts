// OpenRLHF's TensorBoard tags onto our canonical names (docs/run-format.md).
// OpenRLHF's TensorboardLogger.log_train (openrlhf/utils/logging_utils.py) writes every
// key of the step's status as add_scalar(f"train/{k}"): the actor's metrics
// (openrlhf/trainer/ray/ppo_actor.py: policy_loss, actor_lr, actor_grad_norm,
// entropy_loss, and each Experience.info key: reward, kl, ppo_clip_ratio, ppo_kl,
// group_reward_std, return, response_length, total_length, truncated…), the timing
// and rollout stats of openrlhf/trainer/ppo_trainer.py (timing/*, rollout/*), and the
// reward function's extra_logs. Evaluation goes to add_scalar(f"eval/{k}").
// One OpenRLHF name per canonical name, so that rows merged across polls never mix two.
import type { NameTable, PrefixRules } from '../canonicalNames';

export const OPENRLHF_NAMES: NameTable = {
  'train/reward': 'reward',
  'train/group_reward_std': 'reward_std',
  'train/kl': 'kl',
  'train/policy_loss': 'loss',
  'train/entropy_loss': 'entropy',
  'train/ppo_clip_ratio': 'clip_ratio/region_mean',
  'train/response_length': 'completions/mean_length',
  'train/rollout/truncated_rate': 'completions/clipped_ratio',
  'train/actor_grad_norm': 'grad_norm',
  'train/critic_loss': 'value_loss',
  'train/actor_lr': 'lr',
  'train/timing/generation': 'timing/generate_s',
  'train/timing/make_experience': 'timing/make_experience_s',
  'train/timing/ppo_train': 'timing/update_s',
  'train/timing/broadcast': 'timing/broadcast_s',
  'train/timing/step_total': 'timing/step_s',
};

/** Everything else keeps its name less the "train/" that log_train puts in front ("eval/…" stays). */
export const OPENRLHF_PREFIXES: PrefixRules = [['train/', '']];

/** The text tag of the one sample log_train writes per logged step. */
export const GENERATED_SAMPLES_TAG = 'train/generated_samples';

/**
 * Tags that, two or more together, say a logdir is OpenRLHF's: names of its actor,
 * critic, experience maker and trainer that other trainers do not write under "train/".
 */
export const OPENRLHF_MARKERS: ReadonlySet<string> = new Set([
  'train/actor_lr',
  'train/critic_lr',
  'train/policy_loss',
  'train/critic_loss',
  'train/ppo_clip_ratio',
  'train/ppo_kl',
  'train/group_reward_std',
  'train/total_length',
  'train/response_clip_ratio',
  'train/timing/make_experience',
  'train/timing/ppo_train',
  'train/rollout/reward_mean',
  GENERATED_SAMPLES_TAG,
]);
