"""GRPO math: one function per equation, pure tensor code, no I/O.

Shapes: N = number of completions (prompts x G), T = completion tokens (padded),
V = vocabulary. `mask` is 1.0 for real completion tokens (EOS included), 0.0 for padding.
"""
import math

import torch

# TRL adds 1e-4 to the group std; the std is torch's default (unbiased, sample) std.
ADVANTAGE_EPS = 1e-4
STD_CONVENTION = "sample (unbiased, torch.std default, as TRL)"


def group_advantages(rewards, num_generations, scale_rewards="group", eps=ADVANTAGE_EPS, batch_std=None):
    """A_i = (r_i - mean(r_group)) / (std + eps).  rewards: [N], N = prompts * G.

    scale_rewards: "group" divides by the group's std, "batch" by the std of the whole
    batch, "none" does not divide (Dr. GRPO).  batch_std: with "batch", the std of a batch
    larger than `rewards` (under torchrun the global batch, every rank's rewards, as TRL
    gathers them); default rewards.std().  The group means stay these groups' own.
    """
    grouped = rewards.view(-1, num_generations)
    centred = (grouped - grouped.mean(dim=1, keepdim=True)).view(-1)
    if scale_rewards == "group":
        std = grouped.std(dim=1, keepdim=True).expand_as(grouped).reshape(-1)
    elif scale_rewards == "batch":
        std = rewards.std() if batch_std is None else torch.as_tensor(batch_std).to(rewards)
        std = std.expand_as(rewards)
    elif scale_rewards == "none":
        return centred
    else:
        raise ValueError(f"unknown scale_rewards {scale_rewards!r}")
    return centred / (std + eps)


def std_from_moments(count, total, total_squares):
    """The unbiased (sample) std of values known only by their count, sum and sum of squares
    (what one all_reduce over ranks gives): sqrt((sum x^2 - (sum x)^2 / n) / (n - 1)).  In
    float64 the cancellation costs ~1e-16 * mean^2 / var relative: exact enough for rewards.
    NaN for one value, as torch.std."""
    count, total, total_squares = (torch.as_tensor(x, dtype=torch.float64)
                                   for x in (count, total, total_squares))
    variance = (total_squares - total * total / count) / (count - 1)
    return variance.clamp(min=0.0).sqrt()


def token_logprobs(logits, tokens, temperature=1.0):
    """log pi(o_t | q, o_<t) of the chosen tokens.  logits: [N, T, V], tokens: [N, T]."""
    logp = torch.log_softmax(logits / temperature, dim=-1)
    return logp.gather(-1, tokens.unsqueeze(-1)).squeeze(-1)


def token_entropy(logits, temperature=1.0):
    """Entropy of the policy at each position.  logits: [N, T, V] -> [N, T]."""
    logp = torch.log_softmax(logits / temperature, dim=-1)
    return -(logp.exp() * logp).sum(dim=-1)


def ratio(logp, logp_old):
    """r_t = pi_theta / pi_old = exp(logp - logp_old)."""
    return torch.exp(logp - logp_old)


def clipped_surrogate(ratio_t, advantages, epsilon, epsilon_high, delta=None):
    """min(r * A, clip(r, 1 - epsilon, 1 + epsilon_high) * A).  advantages: [N] -> [N, T].

    delta (two-sided clipping, INTELLECT-2, as TRL): the unclipped ratio is also capped at
    delta, which bounds the loss of a negative-advantage token whose ratio has grown."""
    adv = advantages.unsqueeze(-1)
    clipped = torch.clamp(ratio_t, 1 - epsilon, 1 + epsilon_high)
    if delta is not None:
        ratio_t = torch.clamp(ratio_t, max=delta)
    return torch.min(ratio_t * adv, clipped * adv)


def importance_weights(logp, logp_old, mask, level="token"):
    """The importance ratio.  token: exp(logp - logp_old) per token, [N, T]; sequence (GSPO):
    exp of the mean log-ratio over each completion's real tokens, [N, 1] (broadcast over
    the tokens as TRL does)."""
    log_ratio = logp - logp_old
    if level == "token":
        return torch.exp(log_ratio)
    if level == "sequence":
        mean = (log_ratio * mask).sum(-1) / mask.sum(-1).clamp(min=1.0)
        return torch.exp(mean).unsqueeze(-1)
    raise ValueError(f"unknown importance_sampling_level {level!r}")


def cispo_objective(ratio_t, advantages, logp, epsilon_high):
    """CISPO (MiniMax-M1, as TRL): sg(min(r, epsilon_high)) * A * logp.  The weight is
    capped at epsilon_high itself (an absolute bound, TRL's recommended 5.0), not 1 + it."""
    weight = torch.clamp(ratio_t, max=epsilon_high).detach()
    return weight * advantages.unsqueeze(-1) * logp


def kl_k3(logp, ref_logp):
    """k3 estimator of KL(pi_theta || pi_ref): exp(ref - logp) - (ref - logp) - 1."""
    diff = ref_logp - logp
    return torch.exp(diff) - diff - 1


def beta_at(step, total_steps, beta, schedule="constant", beta_final=0.0):
    """KL weight at a step (1-based).  cosine goes from beta to beta_final."""
    if schedule == "constant" or total_steps <= 1:
        return float(beta)
    if schedule == "cosine":
        progress = min(max((step - 1) / (total_steps - 1), 0.0), 1.0)
        return beta_final + 0.5 * (beta - beta_final) * (1 + math.cos(math.pi * progress))
    raise ValueError(f"unknown beta schedule {schedule!r}")


def per_token_loss(logp, logp_old, advantages, epsilon, epsilon_high, beta=0.0, ref_logp=None, *,
                   mask=None, level="token", delta=None, loss_type="grpo"):
    """-(objective - beta * kl) per token.  Returns (loss [N, T], ratio [N, T] or [N, 1], kl or None)."""
    if mask is None:
        mask = torch.ones_like(logp)
    r = importance_weights(logp, logp_old, mask, level)
    if loss_type == "cispo":
        loss = -cispo_objective(r, advantages, logp, epsilon_high)
    else:
        loss = -clipped_surrogate(r, advantages, epsilon, epsilon_high, delta)
    kl = None
    if ref_logp is not None:
        kl = kl_k3(logp, ref_logp)
        loss = loss + beta * kl
    return loss.expand_as(logp), r, kl


def aggregate_loss(token_loss, mask, loss_type, max_completion_length, num_sequences=None, num_tokens=None):
    """Reduce [N, T] token losses to a scalar.

    grpo: mean over each sequence's tokens, then over sequences;
    bnpo, dapo and cispo: sum over all tokens / number of tokens (one thing in one process);
    dr_grpo: sum / (sequences * max_completion_length).
    num_sequences / num_tokens: those of the whole batch when this is one micro-batch of it
    (default: this one's), so that the micro-batches' losses add up to the batch's loss.
    """
    masked = token_loss * mask
    sequences = token_loss.shape[0] if num_sequences is None else num_sequences
    tokens = mask.sum() if num_tokens is None else torch.as_tensor(num_tokens, dtype=mask.dtype)
    if loss_type == "grpo":
        return (masked.sum(-1) / mask.sum(-1).clamp(min=1.0)).sum() / sequences
    if loss_type in ("bnpo", "dapo", "cispo"):
        return masked.sum() / tokens.clamp(min=1.0)
    if loss_type == "dr_grpo":
        return masked.sum() / (sequences * max_completion_length)
    raise ValueError(f"unknown loss_type {loss_type!r}")


def truncation_mask(mask, truncated):
    """mask_truncated_completions: the mask with every truncated completion's row zeroed."""
    keep = 1.0 - torch.as_tensor(truncated, dtype=mask.dtype, device=mask.device)
    return mask * keep.unsqueeze(-1)


def high_entropy_mask(entropy, mask, quantile):
    """top_entropy_quantile (TRL's entropy mask): 1 on the real tokens whose entropy is at
    least the (1 - quantile) quantile of the real tokens' entropies (linear interpolation,
    torch.quantile), 0 elsewhere.  quantile 1 keeps all, 0 only the highest."""
    real = entropy[mask.bool()]
    if real.numel() == 0:
        return torch.zeros_like(mask)
    # torch.quantile takes float32 or float64 only; a float64 threshold must not be rounded
    threshold = torch.quantile(real if real.dtype == torch.float64 else real.float(), 1.0 - quantile)
    return ((entropy >= threshold) & mask.bool()).to(mask.dtype)


def entropy_bonus(entropy, mask, num_tokens=None):
    """Sum of the entropies over the (entropy-masked) real tokens / the batch's real-token
    count: the mean entropy when every token counts.  The loss subtracts entropy_coef times
    this."""
    tokens = mask.sum() if num_tokens is None else torch.as_tensor(num_tokens, dtype=mask.dtype)
    return (entropy * mask).sum() / tokens.clamp(min=1.0)


def mix_reference(ref_param, policy_param, alpha):
    """TR-DPO's reference update (sync_ref_model): alpha * policy + (1 - alpha) * ref."""
    return alpha * policy_param + (1.0 - alpha) * ref_param


def zero_std(std):
    """Groups whose reward std counts as zero: torch.isclose(std, 0) as TRL (|std| <= 1e-8)."""
    return torch.isclose(std, torch.zeros_like(std))


def masked_mean(values, mask):
    """Mean of values over the tokens where mask is 1."""
    return (values * mask).sum() / mask.sum().clamp(min=1.0)


def _masked_mean_any(values, mask):
    """masked_mean for [N, T] values; for [N, 1] (sequence level) the mean over sequences."""
    if values.shape[-1] == 1 and mask.shape[-1] != 1:
        return values.mean()
    return masked_mean(values, mask)


def per_completion_mean(values, mask):
    """Each completion's mean over its real tokens, [N] (TRL's masked_seq_mean); at the
    sequence level ([N, 1] values) the completions' own values.  Completions without a real
    token (all masked: truncated, mask_truncated_completions) are left out, as TRL's nanmin."""
    if values.shape[-1] == 1 and mask.shape[-1] != 1:
        return values.squeeze(-1)
    real = mask.sum(-1) > 0
    return (values * mask).sum(-1)[real] / mask.sum(-1)[real]


def clip_ratio_metrics(ratio_t, advantages, mask, epsilon, epsilon_high, loss_type="grpo"):
    """Fractions of tokens clipped, as TRL logs them (of sequences at the sequence level).

    low: ratio < 1 - epsilon with A < 0; high: ratio > 1 + epsilon_high with A > 0;
    region: either.  low_min / high_max (TRL >= 1.9): the smallest per-completion fraction
    clipped low and the largest clipped high; absent when no completion has a real token.
    cispo: cispo_clip_ratio, ratio > epsilon_high with A > 0.
    """
    adv = advantages.unsqueeze(-1)
    if loss_type == "cispo":
        clipped = (ratio_t > epsilon_high) & (adv > 0)
        return {"cispo_clip_ratio": _masked_mean_any(clipped.to(mask.dtype), mask)}
    low = ((ratio_t < 1 - epsilon) & (adv < 0)).to(mask.dtype)
    high = ((ratio_t > 1 + epsilon_high) & (adv > 0)).to(mask.dtype)
    low_each, high_each = per_completion_mean(low, mask), per_completion_mean(high, mask)
    metrics = {"clip_ratio/low_mean": _masked_mean_any(low, mask)}
    if low_each.numel():
        metrics["clip_ratio/low_min"] = low_each.min()
    metrics["clip_ratio/high_mean"] = _masked_mean_any(high, mask)
    if high_each.numel():
        metrics["clip_ratio/high_max"] = high_each.max()
    metrics["clip_ratio/region_mean"] = _masked_mean_any(torch.max(low, high), mask)  # low or high
    return metrics


def grpo_loss(logp, logp_old, advantages, mask, *, epsilon, epsilon_high, loss_type,
              max_completion_length, beta=0.0, ref_logp=None, importance_sampling_level="token",
              delta=None, entropy=None, top_entropy_quantile=1.0, entropy_coef=0.0,
              num_sequences=None, num_tokens=None):
    """The whole GRPO objective for one update (or one micro-batch of it, with the batch's
    num_sequences and num_tokens).  Returns (loss, metrics of tensors).

    entropy [N, T] (with its graph when entropy_coef is not 0) feeds the entropy mask of
    top_entropy_quantile < 1 (policy term only, the KL stays on every token, as TRL) and
    the entropy bonus: loss - entropy_coef * entropy_bonus."""
    token_loss, r, _ = per_token_loss(logp, logp_old, advantages, epsilon, epsilon_high, mask=mask,
                                      level=importance_sampling_level, delta=delta, loss_type=loss_type)
    kl = kl_k3(logp, ref_logp) if ref_logp is not None else None  # added after the entropy mask
    used = mask
    if top_entropy_quantile < 1.0:
        used = high_entropy_mask(entropy.detach(), mask, top_entropy_quantile)
        token_loss = token_loss * used
    if kl is not None:
        token_loss = token_loss + beta * kl
    loss = aggregate_loss(token_loss, mask, loss_type, max_completion_length, num_sequences, num_tokens)
    if entropy_coef:
        real = mask.sum() if num_tokens is None else num_tokens  # all real tokens, as the policy term
        loss = loss - entropy_coef * entropy_bonus(entropy, used, real)
    shown = r.detach() if delta is None or loss_type == "cispo" else torch.clamp(r.detach(), max=delta)
    metrics = clip_ratio_metrics(shown, advantages, mask, epsilon, epsilon_high, loss_type)
    if kl is not None:
        metrics["kl"] = masked_mean(kl.detach(), mask)
    if entropy is not None:
        metrics["entropy"] = masked_mean(entropy.detach(), mask)
    return loss, metrics


# ---- PPO (the baseline GRPO is compared with): per-token advantages from a critic ----

def terminal_rewards(rewards, mask):
    """[N] sequence rewards -> [N, T] with each reward at the sequence's last real token."""
    last = (mask.sum(-1).long() - 1).clamp(min=0)
    out = torch.zeros_like(mask, dtype=rewards.dtype)
    return out.scatter(1, last.unsqueeze(1), rewards.unsqueeze(1)) * mask


def gae(token_rewards, values, mask, gamma, lam):
    """Generalised advantage estimation, backwards over the tokens.

    delta_t = r_t + gamma * V_{t+1} - V_t (V after the last real token is 0: the episode
    ends); A_t = delta_t + gamma * lam * A_{t+1}.  Returns (advantages, returns = A + V),
    both [N, T] and 0 on padding."""
    n, t = values.shape
    advantages = torch.zeros_like(values)
    running = torch.zeros(n, dtype=values.dtype, device=values.device)
    for k in reversed(range(t)):
        alive_next = mask[:, k + 1] if k + 1 < t else torch.zeros_like(running)
        next_value = values[:, k + 1] * alive_next if k + 1 < t else torch.zeros_like(running)
        delta = token_rewards[:, k] + gamma * next_value - values[:, k]
        running = delta + gamma * lam * alive_next * running
        advantages[:, k] = running * mask[:, k]
    return advantages, (advantages + values) * mask


def whiten(values, mask, eps=1e-8):
    """(x - mean) / std over the real tokens of the batch (PPO's advantage normalisation)."""
    mean = masked_mean(values, mask)
    var = masked_mean((values - mean) ** 2, mask)
    return (values - mean) * torch.rsqrt(var + eps) * mask


def token_clipped_surrogate(ratio_t, token_advantages, epsilon, epsilon_high):
    """min(r * A_t, clip(r, 1 - epsilon, 1 + epsilon_high) * A_t) with an advantage per token."""
    clipped = torch.clamp(ratio_t, 1 - epsilon, 1 + epsilon_high)
    return torch.min(ratio_t * token_advantages, clipped * token_advantages)


def value_loss(values, old_values, returns, mask, clip):
    """0.5 * max((V - R)^2, (V_old + clip(V - V_old, -clip, clip) - R)^2), mean over real tokens.
    Returns (loss, fraction of tokens where the clipped term was larger)."""
    clipped = old_values + torch.clamp(values - old_values, -clip, clip)
    plain, limited = (values - returns) ** 2, (clipped - returns) ** 2
    loss = 0.5 * masked_mean(torch.max(plain, limited), mask)
    return loss, masked_mean((limited > plain).to(mask.dtype), mask)


def explained_variance(values, returns, mask):
    """1 - Var(R - V) / Var(R) over the real tokens: 1 is a perfect critic, 0 no better
    than a constant, negative worse."""
    def var(x):
        m = masked_mean(x, mask)
        return masked_mean((x - m) ** 2, mask)
    total = var(returns)
    return 1 - var(returns - values) / total if float(total) > 0 else torch.zeros((), dtype=values.dtype)


def ppo_loss(logp, logp_old, token_advantages, mask, *, epsilon, epsilon_high, loss_type,
             max_completion_length, beta=0.0, ref_logp=None):
    """PPO's policy objective: GRPO's clipped surrogate and k3 KL with a per-token advantage.
    Returns (loss, metrics of tensors)."""
    r = ratio(logp, logp_old)
    token_loss = -token_clipped_surrogate(r, token_advantages, epsilon, epsilon_high)
    metrics = {}
    if ref_logp is not None:
        kl = kl_k3(logp, ref_logp)
        token_loss = token_loss + beta * kl
        metrics["kl"] = masked_mean(kl.detach(), mask)
    loss = aggregate_loss(token_loss, mask, loss_type, max_completion_length)
    low = (r.detach() < 1 - epsilon) & (token_advantages < 0)
    high = (r.detach() > 1 + epsilon_high) & (token_advantages > 0)
    metrics.update({"clip_ratio/low_mean": masked_mean(low.to(mask.dtype), mask),
                    "clip_ratio/high_mean": masked_mean(high.to(mask.dtype), mask),
                    "clip_ratio/region_mean": masked_mean((low | high).to(mask.dtype), mask)})
    return loss, metrics
