"""The optimizer updates on one generated batch: num_iterations passes, steps_per_generation
optimizer steps per pass, micro-batches with gradient accumulation; and the reference sync
(sync_ref_model).  step.py (text) and envs/step.py (games) call update()."""
import torch

from . import grpo
from .logprobs import enable_gradient_checkpointing, micro_batches, take_rows
from .rank_merge import with_weights

# extremes over the step's completions, whatever its micro-batches (the others: token-weighted means)
EXTREMES = {"clip_ratio/low_min": min, "clip_ratio/high_max": max}
# losses each rank divides by its own completion tokens (dapo: by the global batch's)
PER_RANK_TOKEN_LOSSES = ("bnpo", "cispo")


def update(trainer, batch, advantages, mask, ref_logp, beta, forward=None, old_logp=None):
    """The optimizer updates on one generated batch; returns averaged metrics.
    forward(trainer, model, batch, want_entropy) gives the log-probs (envs/step.py has its own).

    num_iterations passes over the batch; in each, steps_per_generation optimizer steps on
    successive slices of it; each step's gradient accumulated over micro-batches of
    per_device_batch_size rows.  The old log-probs (needed unless one step sees the whole
    batch once) are old_logp (the sampling pass's) or else a no-grad forward pass."""
    if forward is None:
        from .step import _forward_logprobs as forward  # the text policy's
    cfg = trainer.config
    mu, spg = cfg["num_iterations"], cfg.get("steps_per_generation", 1)
    n = mask.shape[0]
    if cfg.get("gradient_checkpointing"):
        enable_gradient_checkpointing(trainer.policy.model)
    if mu == 1 and spg == 1:
        old_logp = None  # one step sees the batch once: the ratio is exactly 1, as TRL
    elif old_logp is None:
        with torch.no_grad():
            old_logp = in_micro_batches(trainer, forward, batch, n)
    sums, steps = {}, []
    for _ in range(mu):
        for rows in slices(n, spg):
            metrics = optimizer_step(trainer, forward, batch, rows, advantages, mask, ref_logp, old_logp,
                                     beta)
            for k, v in metrics.items():
                sums.setdefault(k, []).append(float(v))
            steps.append((float(mask[rows].sum()), {k: float(v) for k, v in metrics.items()}))
    # beside the averages, each step's token count and values: under torchrun rank_merge.py
    # merges every step over the ranks first, as one process steps through the global batch
    return with_weights({k: sum(v) / len(v) for k, v in sums.items()},
                        {"steps": steps, "loss_per_token": cfg["loss_type"] in PER_RANK_TOKEN_LOSSES})


def slices(n, parts):
    """Row indices 0..n-1 cut into `parts` successive slices as equal as can be."""
    bounds = [round(i * n / parts) for i in range(parts + 1)]
    return [list(range(bounds[i], bounds[i + 1])) for i in range(parts) if bounds[i + 1] > bounds[i]]


def in_micro_batches(trainer, forward, batch, n, model=None):
    parts = [forward(trainer, model, take_rows(batch, rows))[0]
             for rows in micro_batches(list(range(n)), trainer.config.get("per_device_batch_size"))]
    return torch.cat(parts, 0)


def optimizer_step(trainer, forward, batch, rows, advantages, mask, ref_logp, old_logp, beta):
    """One optimizer step on the given rows, the gradient accumulated over micro-batches.
    Each micro-batch's loss is normalised by the counts of all the rows, so that the
    accumulated gradient is the one of a single pass (test_logprob_engine.py)."""
    cfg = trainer.config
    index = torch.as_tensor(rows, device=mask.device)
    num_tokens = mask[index].sum()
    # dapo divides by the tokens of the whole global batch: on N ranks each divides its sum by
    # the mean count over ranks, so the averaged gradient is the one of a single process
    loss_tokens = trainer.dist.mean_over_ranks(num_tokens) if cfg["loss_type"] == "dapo" else num_tokens
    trainer.optimizer.zero_grad(set_to_none=True)
    total, weighted = 0.0, {}
    for part in micro_batches(rows, cfg.get("per_device_batch_size")):
        at = torch.as_tensor(part, device=mask.device)
        logp, entropy = forward(trainer, None, take_rows(batch, part), want_entropy=True)
        loss, metrics = grpo.grpo_loss(
            logp, old_logp[at] if old_logp is not None else logp.detach(), advantages[at], mask[at],
            epsilon=cfg["epsilon"], epsilon_high=cfg["epsilon_high"], loss_type=cfg["loss_type"],
            max_completion_length=cfg["max_completion_length"], beta=beta,
            ref_logp=ref_logp[at] if ref_logp is not None else None,
            importance_sampling_level=cfg.get("importance_sampling_level", "token"), delta=cfg.get("delta"),
            entropy=entropy, top_entropy_quantile=cfg.get("top_entropy_quantile", 1.0),
            entropy_coef=cfg.get("entropy_coef", 0.0), num_sequences=len(rows), num_tokens=loss_tokens)
        loss.backward()
        total += float(loss)
        share = float(mask[at].sum() / num_tokens.clamp(min=1.0))  # token-weighted means
        for k, v in metrics.items():
            if k in EXTREMES:
                weighted[k] = EXTREMES[k](weighted[k], float(v)) if k in weighted else float(v)
            else:
                weighted[k] = weighted.get(k, 0.0) + share * float(v)
    grad_norm = torch.nn.utils.clip_grad_norm_(trainer.policy.trainable_parameters(), cfg["max_grad_norm"])
    trainer.optimizer.step()
    weighted.update(loss=total, grad_norm=float(grad_norm))
    if cfg.get("entropy_coef", 0.0):
        weighted["entropy_coef"] = cfg["entropy_coef"]
    return weighted


def sync_reference(trainer, step):
    """sync_ref_model (TR-DPO, as TRL's callback): every ref_model_sync_steps steps the
    reference becomes ref_model_mixup_alpha * policy + (1 - alpha) * reference."""
    cfg = trainer.config
    ref = trainer.reference
    if not cfg.get("sync_ref_model") or not isinstance(ref, torch.nn.Module):
        return False
    if step % cfg["ref_model_sync_steps"]:
        return False
    with torch.no_grad():
        for r, p in zip(ref.parameters(), trainer.policy.model.parameters()):
            r.copy_(grpo.mix_reference(r, p, cfg["ref_model_mixup_alpha"]))
    return True
