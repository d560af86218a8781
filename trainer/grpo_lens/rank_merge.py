"""What rank 0 writes for a step trained by several ranks: one metric line reduced over the
ranks' lines, and every rank's sample groups, numbered as in the global batch."""

SUMMED_SUFFIXES = ("/invalid",)
SUMMED = ("tokens_per_s",)
LOWEST = ("completions/min_length", "clip_ratio/low_min")
HIGHEST_PREFIXES = ("timing/", "memory/")
HIGHEST = ("completions/max_length", "clip_ratio/high_max")
RANK0 = ("step", "warmup_step", "phase", "lr", "beta", "time")


def _number(v):
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _reduce(key, values):
    if key in RANK0 or not all(_number(v) for v in values):
        return values[0]
    if key in SUMMED or key.endswith(SUMMED_SUFFIXES):
        return sum(values)
    if key in LOWEST:
        return min(values)
    if key in HIGHEST or key.startswith(HIGHEST_PREFIXES):
        return max(values)
    # every rank has the same number of prompts and completions: the mean of the ranks'
    # means is the global mean (token-weighted ratios, clip ratios and kl, are approximate;
    # so are clip_ratio/low_min and high_max above with several optimizer steps a batch:
    # the extreme of the ranks' step means, where TRL logs the mean of the steps' extremes)
    return sum(values) / len(values)


def merge_metrics(lines):
    """One metric line from every rank's line (rank order); keys in rank 0's order."""
    keys = list(lines[0])
    for line in lines[1:]:
        keys += [k for k in line if k not in keys]
    return {k: _reduce(k, [line[k] for line in lines if k in line]) for k in keys}


def merge_samples(per_rank):
    """Every rank's sample lines, their groups renumbered in global-batch order."""
    merged, offset = [], 0
    for lines in per_rank:
        for line in lines:
            merged.append(dict(line, group=offset + line.get("group", 0)))
        offset += len(lines)
    return merged
