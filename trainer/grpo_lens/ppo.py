"""One PPO step: the baseline that GRPO's "no critic" claim is measured against.

Same rollout, rewards, clipped policy loss and k3 KL to the reference as GRPO (grpo.py);
what differs: a critic (ppo_critic.py) gives a value per token, the sequence reward is put
on the last token, advantages come from GAE(gamma, lambda) (whitened over the batch), and
a clipped value loss trains the critic.  One sample per prompt by default.
"""
import time

import torch

from . import grpo
from .rollout import rollout
from .step_clock import StepClock
from .step import _forward_logprobs, sample_lines, score, step_metrics


def _tiny_values(trainer, batch):
    ids, mask, n_prompt, _ = batch
    from .models import position_ids_from_mask
    values = trainer.policy.critic(ids, mask, position_ids_from_mask(mask))
    return values[:, n_prompt - 1:-1].float()  # V(state before each completion token)


def _board_values(trainer, batch):
    views, _ = batch
    n, t, cells = views.shape
    return trainer.policy.critic(views.reshape(n * t, cells).to(trainer.device)).float().view(n, t)


def ppo_update(trainer, batch, forward, values_of, mask, advantages, returns, old_values, ref_logp, beta):
    """num_iterations updates of policy and critic on one batch; returns averaged metrics."""
    cfg = trainer.config
    mu = cfg["num_iterations"]
    old_logp = None
    if mu > 1:
        with torch.no_grad():
            old_logp, _ = forward(trainer, None, batch)
    sums = {}
    for it in range(mu):
        logp, entropy = forward(trainer, None, batch, want_entropy=(it == 0))
        policy_loss, metrics = grpo.ppo_loss(logp, old_logp if mu > 1 else logp.detach(), advantages, mask,
                                             epsilon=cfg["epsilon"], epsilon_high=cfg["epsilon_high"],
                                             loss_type=cfg["loss_type"],
                                             max_completion_length=cfg["max_completion_length"],
                                             beta=beta, ref_logp=ref_logp)
        v_loss, v_clipped = grpo.value_loss(values_of(trainer, batch), old_values, returns, mask,
                                            cfg["cliprange_value"])
        loss = policy_loss + cfg["vf_coef"] * v_loss
        trainer.optimizer.zero_grad(set_to_none=True)
        loss.backward()
        params = trainer.policy.trainable_parameters()  # the critic's too
        grad_norm = torch.nn.utils.clip_grad_norm_(params, cfg["max_grad_norm"])
        trainer.optimizer.step()
        metrics.update(loss=policy_loss.detach(), value_loss=v_loss.detach(), value_clip_ratio=v_clipped,
                       grad_norm=grad_norm)
        if entropy is not None:
            metrics["entropy"] = grpo.masked_mean(entropy, mask)
        for k, v in metrics.items():
            sums.setdefault(k, []).append(float(v))
    return {k: sum(v) / len(v) for k, v in sums.items()}


def _play(trainer, cfg, step):
    """The step's batch: (problems, what was sampled, batch, mask, forward, values_of, rewards,
    components, invalid, log-lines maker)."""
    if getattr(trainer.task, "episodic", False):
        from .envs.play import play
        from .envs.step import env_forward, sample_lines as env_lines
        boards = [trainer.task.problem(trainer.data_position + i) for i in range(cfg["prompts_per_step"])]
        trainer.policy.model.eval()
        out = play(trainer.policy.model, boards, cfg["num_generations"], cfg["temperature"],
                   trainer.sampling_generator)
        trainer.policy.model.train()
        rewards, components = trainer.rewards.score(out.games)
        return (boards, out, (out.views, out.actions), out.mask.to(trainer.device), env_forward,
                _board_values, rewards, components, {}, env_lines)
    problems = [trainer.task.problem(trainer.data_position + i) for i in range(cfg["prompts_per_step"])]
    out = rollout(trainer.policy, [p.prompt for p in problems], cfg, trainer.sampling_generator)
    rewards, components, invalid = score(trainer, step, problems, out)
    batch = (torch.cat([out.prompt_ids, out.completion_ids], 1),
             torch.cat([out.prompt_mask, out.completion_mask], 1), out.prompt_ids.shape[1],
             out.completion_ids)
    return (problems, out, batch, out.completion_mask.float(), _forward_logprobs, _tiny_values,
            rewards, components, invalid, sample_lines)


def ppo_step(trainer):
    """Run step trainer.step + 1 with PPO; returns (metric line, sample lines)."""
    cfg, clock = trainer.config, StepClock(trainer.device)
    start = clock.start
    step = trainer.step + 1
    played = _play(trainer, cfg, step)
    problems, out, batch, mask, forward, values_of, rewards, components, invalid, lines_of = played
    rewards = rewards.to(trainer.device)
    t_generate = clock.now()
    with torch.no_grad():
        ref_logp = forward(trainer, trainer.reference, batch)[0] if trainer.reference is not None else None
        old_values = values_of(trainer, batch)
    advantages, returns = grpo.gae(grpo.terminal_rewards(rewards, mask), old_values, mask,
                                   cfg["gamma"], cfg["lam"])
    if cfg["whiten_advantages"]:
        advantages = grpo.whiten(advantages, mask)
    t_reference = clock.now()
    beta = grpo.beta_at(step, cfg["max_steps"], cfg["beta"], cfg["beta_schedule"], cfg["beta_final"])
    lr = trainer.scheduler.get_last_lr()[0]
    updated = ppo_update(trainer, batch, forward, values_of, mask, advantages, returns, old_values,
                         ref_logp, beta)
    trainer.scheduler.step()
    t_update = clock.now()
    trainer.step, trainer.data_position = step, trainer.data_position + len(problems)
    metrics = step_metrics(trainer, out, rewards, components, updated)
    if cfg["num_generations"] == 1:  # no groups: a spread within a group means nothing
        metrics.pop("reward_std"), metrics.pop("frac_reward_zero_std")
    if getattr(trainer.task, "episodic", False):
        from .envs.step import game_metrics
        metrics.update(game_metrics(out))
    elif cfg["invalid_reward"] == "skip":
        metrics.update({f"rewards/{name}/invalid": invalid.get(name, 0) for name in trainer.rewards.names})
    metrics.update({"explained_variance": float(grpo.explained_variance(old_values, returns, mask)),
                    "step": step, "lr": lr, "beta": beta, "timing/generate_s": t_generate - start,
                    "timing/reference_s": t_reference - t_generate, "timing/update_s": t_update - t_reference,
                    "timing/step_s": t_update - start,
                    "tokens_per_s": float(mask.sum()) / max(t_update - start, 1e-9), "time": time.time()})
    metrics.update(clock.memory())
    # a sample's advantage: the mean of its per-token advantages
    per_sample = (advantages * mask).sum(-1) / mask.sum(-1).clamp(min=1.0)
    return metrics, lines_of(trainer, step, problems, out, rewards, components, per_sample, ref_logp)
