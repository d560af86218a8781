"""What rank 0 writes for a step trained by several ranks: one metric line reduced over the
ranks' lines, and every rank's sample groups, numbered as in the global batch.

A rank's line may carry, beside it (an attribute, never a key: readers take every key of
metrics.jsonl for a metric), the weights that make the merge exact (`with_weights`):
- "steps": every optimizer step of update.py as (completion tokens of its rows, its metric
  values), in order; "loss_per_token": whether the rank divided its loss by its own tokens;
- "rewards": {name: (count, sum, sum of squared deviations)} of the valid values."""
import math

SUMMED_SUFFIXES = ("/invalid",)
SUMMED = ("tokens_per_s",)
LOWEST = ("completions/min_length", "clip_ratio/low_min")
HIGHEST_PREFIXES = ("timing/", "memory/")
HIGHEST = ("completions/max_length", "clip_ratio/high_max")
RANK0 = ("step", "warmup_step", "phase", "lr", "beta", "time")


class Line(dict):
    """A metric line; `weights` (what merge_metrics needs) travels beside it, unwritten."""
    weights = None


def with_weights(line, weights):
    line = Line(line)
    line.weights = weights
    return line


def weights_of(line):
    return getattr(line, "weights", None)


def _number(v):
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _mean(values):
    return sum(values) / len(values)


def _reduce(key, values):
    if key in RANK0 or not all(_number(v) for v in values):
        return values[0]
    if key in SUMMED or key.endswith(SUMMED_SUFFIXES):
        return sum(values)
    if key in LOWEST:
        return min(values)
    if key in HIGHEST or key.startswith(HIGHEST_PREFIXES):
        return max(values)
    # every rank has the same number of prompts, completions and groups: the mean of the
    # ranks' means is the global mean (reward, reward_std, completion lengths).  Without
    # weights, token-weighted means (kl, entropy, clip ratios, a bnpo loss) and reward
    # components with skipped values are approximate here; _exact replaces them.
    return _mean(values)


def _step_value(key, ranks, loss_per_token):
    """One optimizer step's value over the ranks, as one process computes it over the union
    of their rows: every value update.py logs per step is a mean over the step's completion
    tokens (`share`) or the same on every rank (grad_norm, after the gradient all_reduce),
    except the extremes and a loss that every rank normalised alike."""
    have = [(tokens, metrics[key]) for tokens, metrics in ranks if key in metrics]
    values = [v for _, v in have]
    if key in LOWEST:
        return min(values)
    if key in HIGHEST:
        return max(values)
    tokens = sum(t for t, _ in have)
    if (key == "loss" and not loss_per_token) or tokens <= 0:
        return _mean(values)
    return sum(t * v for t, v in have) / tokens


def _update_metrics(weights):
    """update.py's averages over its optimizer steps, each step merged over the ranks first."""
    steps = [w.get("steps") for w in weights]
    if not all(steps) or len({len(s) for s in steps}) != 1:
        return {}
    loss_per_token = any(w.get("loss_per_token") for w in weights)
    per_key = {}
    for ranks in zip(*steps):
        keys = list(dict.fromkeys(k for _, metrics in ranks for k in metrics))
        for k in keys:
            per_key.setdefault(k, []).append(_step_value(k, ranks, loss_per_token))
    return {k: _mean(v) for k, v in per_key.items()}


def _reward_metrics(weights):
    """rewards/<name>/mean and the pooled sample std over every rank's valid values."""
    names = list(dict.fromkeys(n for w in weights for n in w.get("rewards", {})))
    merged = {}
    for name in names:
        parts = [w["rewards"][name] for w in weights if name in w.get("rewards", {})]
        count, total = sum(p[0] for p in parts), sum(p[1] for p in parts)
        mean = total / count
        squares = sum(m2 + n * (s / n - mean) ** 2 for n, s, m2 in parts)  # Chan et al.
        merged[f"rewards/{name}/mean"] = mean
        merged[f"rewards/{name}/std"] = math.sqrt(squares / (count - 1)) if count > 1 else 0.0
    return merged


def merge_metrics(lines, weights=None):
    """One metric line from every rank's line (rank order); keys in rank 0's order.
    weights: every rank's weights_of(line) (rank order); where each rank has them, the
    token-weighted and reward-component metrics are exact, and no weight is written."""
    keys = list(lines[0])
    for line in lines[1:]:
        keys += [k for k in line if k not in keys]
    merged = {k: _reduce(k, [line[k] for line in lines if k in line]) for k in keys}
    if weights and all(w is not None for w in weights):
        exact = dict(_update_metrics(weights), **_reward_metrics(weights))
        merged.update((k, v) for k, v in exact.items() if k in merged)
    return merged


def merge_samples(per_rank):
    """Every rank's sample lines, their groups renumbered in global-batch order."""
    merged, offset = [], 0
    for lines in per_rank:
        for line in lines:
            merged.append(dict(line, group=offset + line.get("group", 0)))
        offset += len(lines)
    return merged
