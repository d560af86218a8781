"""Built-in reward functions.  Each takes a group: fn(prompts, completions, references, **options)."""
import re
from collections import Counter

from ..tasks.scratchpad_addition import scratchpad_steps
from .answers import extract_answer, normalise

_THINK = re.compile(r"<think>(.*?)</think>", re.DOTALL)
_STRICT_FORMAT = re.compile(r"^\s*<think>.*?</think>\s*<answer>.*?</answer>\s*$", re.DOTALL)
_TAGS = ["<think>", "</think>", "<answer>", "</answer>"]
_STEP = re.compile(r"\d+(?:\+\d+)+=\d+")


def accuracy(prompts, completions, references, **_):
    """1.0 when the extracted answer equals the reference answer, else 0.0."""
    return [float(ref is not None and normalise(extract_answer(c)) == normalise(ref))
            for c, ref in zip(completions, references)]


def format_reward(prompts, completions, references, **_):
    """1.0 for exactly <think>...</think><answer>...</answer>; 0.25 per tag used once otherwise."""
    scores = []
    for c in completions:
        if _STRICT_FORMAT.match(c) and all(c.count(t) == 1 for t in _TAGS):
            scores.append(1.0)
        else:
            scores.append(min(0.75, 0.25 * sum(c.count(t) == 1 for t in _TAGS)))
    return scores


def reasoning_length(prompts, completions, references, cap=200, **_):
    """Characters of reasoning (inside <think>, else the whole text) / cap, at most 1."""
    scores = []
    for c in completions:
        think = _THINK.search(c)
        text = think.group(1) if think else c
        scores.append(min(len(text.strip()) / cap, 1.0))
    return scores


def self_consistency(prompts, completions, references, **_):
    """1.0 when a completion's answer agrees with the group's majority answer."""
    answers = [normalise(extract_answer(c)) for c in completions]
    counts = Counter(a for a in answers if a is not None)
    if not counts:
        return [0.0] * len(completions)
    top = max(counts.values())
    if top < 2:
        return [0.0] * len(completions)  # no majority: nothing to agree with
    majority = {a for a, n in counts.items() if n == top}
    return [float(a in majority) for a in answers]


def scratchpad(prompts, completions, references, **_):
    """Fraction of the scratchpad's steps that are right, in order: for '47+35=' the
    <think> must hold '7+5=12' then '4+3+1=8' (tasks/scratchpad_addition.py).  A step with
    the right digits but a wrong sum earns nothing; so does a prompt not of that task."""
    scores = []
    for prompt, c in zip(prompts, completions):
        expected = scratchpad_steps(prompt)
        think = _THINK.search(c)
        if expected is None or think is None:
            scores.append(0.0)
            continue
        written = _STEP.findall(think.group(1))
        right = sum(w == e for w, e in zip(written, expected))
        scores.append(right / len(expected))
    return scores


BUILTIN = {
    "accuracy": accuracy,
    "format": format_reward,
    "reasoning_length": reasoning_length,
    "self_consistency": self_consistency,
    "scratchpad": scratchpad,
}
