"""Reward functions written for TRL, called the way TRL's GRPOTrainer calls them, so a user's
TRL reward file works unchanged: fn(prompts=, completions=, completion_ids=, **columns)
returning one float or None per completion (None: not applicable to that completion).

TRL (trl/trainer/grpo_trainer.py, _calculate_rewards) passes every dataset column but the
prompt as a keyword list, one value per completion; conversational prompts (lists of chat
messages) get completions as [{"role": "assistant", "content": text}]; a None becomes NaN,
left out of the weighted sum (nansum) and of the per-function mean (nanmean)."""
import inspect

from .guard import RewardFailure

CONVENTIONS = ("grpo_lens", "trl")


def convention_of(func, setting="auto"):
    """"grpo_lens" for fn(prompts, completions, references, **options), "trl" for TRL's."""
    if setting in CONVENTIONS:
        return setting
    try:
        params = inspect.signature(func).parameters
    except (TypeError, ValueError):  # a builtin or C function: our positional call
        return "grpo_lens"
    if "references" in params:
        return "grpo_lens"
    if any(p.kind == p.VAR_KEYWORD for p in params.values()):
        return "trl"  # TRL's docs ask for **kwargs; ours never needed it without references
    positional = [p for p in params.values() if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    return "grpo_lens" if len(positional) >= 3 else "trl"


def trl_arguments(prompt, reference, completions, completion_ids=None):
    """The keyword arguments TRL would pass for one group of completions of one prompt."""
    n = len(completions)
    messages = getattr(prompt, "messages", None)
    extra = getattr(prompt, "extra", None)
    if extra is None:  # a built-in task has no columns: its reference answer is one
        extra = {"answer": reference}
    kwargs = {name: [value] * n for name, value in extra.items()}
    if messages:
        kwargs["prompts"] = [messages] * n
        kwargs["completions"] = [[{"role": "assistant", "content": c}] for c in completions]
    else:
        kwargs["prompts"] = [str(prompt)] * n
        kwargs["completions"] = list(completions)
    if completion_ids is not None:
        kwargs["completion_ids"] = [list(ids) for ids in completion_ids]
    return kwargs


def fit_arguments(label, func, kwargs):
    """The arguments func accepts; a parameter it needs that we cannot give is named clearly
    (TRL would fail with a TypeError deep in its trainer)."""
    try:
        params = inspect.signature(func).parameters
    except (TypeError, ValueError):
        return kwargs
    if any(p.kind == p.VAR_KEYWORD for p in params.values()):
        return kwargs
    for name, p in params.items():
        needed = p.default is p.empty and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
        if needed and name not in kwargs:
            have = ", ".join(sorted(kwargs))
            raise RewardFailure(f"{label} needs the argument '{name}', which this run cannot give "
                                f"(it gives: {have}; dataset columns are passed by name)")
    return {k: v for k, v in kwargs.items() if k in params}
