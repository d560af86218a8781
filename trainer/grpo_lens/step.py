"""One GRPO step: sample, score, reference log-probs, num_iterations updates, metrics."""
import time

import torch

from . import grpo
from .logprobs import completion_logits, logprobs_and_entropy
from .models import position_ids_from_mask
from .rank_merge import weights_of, with_weights
from .rewards.guard import cut
from .rollout import rollout
from .step_clock import StepClock
from .update import in_micro_batches, sync_reference, update


def _forward_logprobs(trainer, model, batch, want_entropy=False):
    """Log-probs of the completion tokens (and their entropy) under model (the policy when
    None): logits only for the completion positions, a chunked selective log-softmax."""
    ids, mask, n_prompt, completion_ids = batch
    logits = completion_logits(trainer.policy, model, ids, mask, position_ids_from_mask(mask), n_prompt)
    logp, entropy = logprobs_and_entropy(logits, completion_ids, trainer.config["temperature"])
    return logp, (entropy if want_entropy else None)


def score(trainer, step, problems, out):
    """Rewards of every completion, group by group; returns (rewards [N], components,
    {reward name: invalid values skipped}).  A misbehaving reward raises RewardFailure."""
    g = trainer.config["num_generations"]
    totals, components, invalid = [], [], {}
    ids = out.token_id_lists()  # TRL-style rewards take completion_ids
    for j, p in enumerate(problems):
        where = f"at step {step}, group {j}, prompt {cut(p.prompt)}"
        t, c, skipped = trainer.rewards.score_group_checked(p.prompt, p.reference,
                                                            out.texts[j * g:(j + 1) * g], where,
                                                            completion_ids=ids[j * g:(j + 1) * g])
        for name, (count, first) in skipped.items():
            invalid[name] = invalid.get(name, 0) + count
            if name not in trainer.warned_invalid:  # once: the metric counts the later ones
                trainer.warned_invalid.add(name)
                trainer.run.event("warning", step=step, reward=name, count=count,
                                  message=f"reward '{name}' returned {first} ({count} of {g} values "
                                          f"skipped as invalid, invalid_reward: skip; later ones are "
                                          f"counted in rewards/{name}/invalid) {where}")
        totals += t
        components += c
    return torch.tensor(totals, dtype=torch.float32), components, invalid


def advantages_of(trainer, rewards):
    """Group advantages of this rank's rewards; scale_rewards batch divides by the std of the
    whole global batch (every rank's rewards, as TRL gathers them), not of this rank's share."""
    cfg = trainer.config
    batch_std = trainer.dist.std_over_ranks(rewards) if cfg["scale_rewards"] == "batch" else None
    return grpo.group_advantages(rewards, cfg["num_generations"], cfg["scale_rewards"], batch_std=batch_std)


def grpo_step(trainer):
    """Run step trainer.step + 1; returns (metric line, sample lines)."""
    if trainer.config.get("algorithm") == "ppo":  # the baseline with a critic (ppo.py)
        from .ppo import ppo_step
        return ppo_step(trainer)
    if getattr(trainer.task, "episodic", False):  # an environment: games, not completions
        from .envs.step import env_step
        return env_step(trainer)
    cfg, clock = trainer.config, StepClock(trainer.device)
    start = clock.start
    step = trainer.step + 1
    problems = [trainer.task.problem(trainer.data_position + i) for i in range(cfg["prompts_per_step"])]
    out = rollout(trainer.policy, [p.prompt for p in problems], cfg, trainer.sampling_generator)
    t_generate = clock.now()
    rewards, components, invalid = score(trainer, step, problems, out)
    rewards = rewards.to(trainer.device)
    advantages = advantages_of(trainer, rewards)
    t_reward = clock.now()
    mask = out.completion_mask.float()
    if cfg.get("mask_truncated_completions"):  # DAPO: a cut-off completion teaches nothing
        mask = grpo.truncation_mask(mask, out.truncated)
    batch = (torch.cat([out.prompt_ids, out.completion_ids], 1),
             torch.cat([out.prompt_mask, out.completion_mask], 1),
             out.prompt_ids.shape[1], out.completion_ids)
    ref_logp = None
    if trainer.reference is not None:
        with torch.no_grad():
            ref_logp = in_micro_batches(trainer, _forward_logprobs, batch, mask.shape[0], trainer.reference)
    t_reference = clock.now()
    beta = grpo.beta_at(step, cfg["max_steps"], cfg["beta"], cfg["beta_schedule"], cfg["beta_final"])
    lr = trainer.scheduler.get_last_lr()[0]
    # the sampling pass's log-probs are the old log-probs: no second forward pass
    old_logp = out.sample_logprobs.to(trainer.device).float()
    updated = update(trainer, batch, advantages, mask, ref_logp, beta, _forward_logprobs, old_logp)
    trainer.scheduler.step()
    sync_reference(trainer, step)
    t_update = clock.now()
    trainer.step, trainer.data_position = step, trainer.data_position + len(problems)
    metrics = step_metrics(trainer, out, rewards, components, updated)
    if cfg["invalid_reward"] == "skip":
        metrics.update({f"rewards/{name}/invalid": invalid.get(name, 0) for name in trainer.rewards.names})
    metrics.update({"step": step, "lr": lr, "beta": beta, "timing/generate_s": t_generate - start,
                    "timing/reward_s": t_reward - t_generate, "timing/reference_s": t_reference - t_reward,
                    "timing/update_s": t_update - t_reference, "timing/step_s": t_update - start,
                    "tokens_per_s": float(mask.sum()) / max(t_update - start, 1e-9)})
    metrics.update(clock.memory())
    metrics["time"] = time.time()
    return metrics, sample_lines(trainer, step, problems, out, rewards, components, advantages, ref_logp)


def _std(values):
    return float(torch.tensor(values, dtype=torch.float64).std()) if len(values) > 1 else 0.0


def step_metrics(trainer, out, rewards, components, updated):
    g = trainer.config["num_generations"]
    grouped = rewards.view(-1, g)
    lengths = out.num_tokens
    metrics = {"reward": float(rewards.mean()), "reward_std": float(grouped.std(dim=1).mean()),
               "frac_reward_zero_std": float(grpo.zero_std(grouped.std(dim=1)).float().mean())}
    moments = {}
    for name in trainer.rewards.names:
        values = [c[name] for c in components if c[name] is not None]  # None: skipped as invalid
        if not values:
            continue
        mean = sum(values) / len(values)
        metrics[f"rewards/{name}/mean"] = mean
        metrics[f"rewards/{name}/std"] = _std(values)
        moments[name] = (len(values), sum(values), sum((v - mean) ** 2 for v in values))
    metrics.update({"completions/mean_length": sum(lengths) / len(lengths),
                    "completions/min_length": min(lengths), "completions/max_length": max(lengths),
                    "completions/clipped_ratio": sum(out.truncated) / len(out.truncated)})
    metrics.update(updated)
    # beside the line, never in it: what makes the merge over ranks exact (rank_merge.py)
    return with_weights(metrics, dict(weights_of(updated) or {}, rewards=moments))


def sample_lines(trainer, step, problems, out, rewards, components, advantages, ref_logp):
    """One samples.jsonl line per group, with token details up to samples_max_tokens."""
    cfg, tok = trainer.config, trainer.policy.tokenizer
    g, cap = cfg["num_generations"], cfg["samples_max_tokens"]
    ids, lengths = out.completion_ids.tolist(), out.num_tokens
    logprobs = out.sample_logprobs.tolist()
    refs = ref_logp.tolist() if ref_logp is not None else None
    lines = []
    for j, p in enumerate(problems):
        completions = []
        for i in range(j * g, (j + 1) * g):
            c = {"text": out.texts[i], "reward": float(rewards[i]), "rewards": components[i],
                 "advantage": float(advantages[i]), "num_tokens": int(lengths[i]),
                 "truncated": out.truncated[i]}
            if cfg["log_token_details"]:
                n = min(int(lengths[i]), cap)
                c["tokens"] = [tok.token_text(t) for t in ids[i][:n]]
                c["token_ids"] = ids[i][:n]  # the extension scores and colours these exact tokens
                c["logprobs"] = [round(x, 6) for x in logprobs[i][:n]]
                c["ref_logprobs"] = [round(x, 6) for x in refs[i][:n]] if refs is not None else None
            completions.append(c)
        lines.append({"step": step, "group": j, "prompt": p.prompt, "reference": p.reference,
                      "completions": completions})
    return lines
