"""Reward functions with TRL's signature work unchanged (rewards/trl.py): the file below is
written as TRL's GRPO docs show their examples (docs/source/grpo_trainer.md)."""
import pytest

from grpo_lens.rewards import RewardSet
from grpo_lens.rewards.guard import RewardFailure
from grpo_lens.rewards.trl import convention_of
from grpo_lens.tasks import PromptText

TRL_DOCS_REWARDS = r'''
import re


def reward_func(completion_ids, **kwargs):
    """Reward function that assigns higher scores to longer completions (in terms of token count)."""
    return [float(len(ids)) for ids in completion_ids]


def format_reward_func(completions, **kwargs):
    """Reward function that checks if the completion has a specific format."""
    pattern = r"^<think>.*?</think><answer>.*?</answer>$"
    completion_contents = [completion[0]["content"] for completion in completions]
    matches = [re.match(pattern, content) for content in completion_contents]
    return [1.0 if match else 0.0 for match in matches]


def boxed_reward_func(completions, ground_truth, **kwargs):
    # Regular expression to capture content inside \boxed{}
    matches = [re.search(r"\\boxed\{(.*?)\}", completion) for completion in completions]
    contents = [match.group(1) if match else "" for match in matches]
    # Reward 1 if the content is the same as the ground truth, 0 otherwise
    return [1.0 if c == gt else 0.0 for c, gt in zip(contents, ground_truth)]


def math_reward_func(prompts, completions, task, **kwargs):
    rewards = []
    for prompt, completion, t in zip(prompts, completions, task):
        if t == "math":
            rewards.append(1.0 if "4" in completion else -1.0)
        else:
            # Return None for non-math tasks
            rewards.append(None)
    return rewards


def no_kwargs(completions, solution):
    return [float(c == s) for c, s in zip(completions, solution)]
'''


@pytest.fixture
def reward_dir(tmp_path):
    (tmp_path / "trl_rewards.py").write_text(TRL_DOCS_REWARDS, encoding="utf-8")
    return str(tmp_path)


def reward_set(reward_dir, *names, **kwargs):
    return RewardSet([{"name": n, "function": f"trl_rewards:{n}"} for n in names], [reward_dir], **kwargs)


def test_token_count_reward_gets_completion_ids(reward_dir):
    rewards = reward_set(reward_dir, "reward_func")
    totals, _ = rewards.score_group("p", "4", ["a", "bcd"], completion_ids=[[5, 6], [7, 8, 9, 10]])
    assert totals == [2.0, 4.0]
    assert rewards.conventions == {"reward_func": "trl"}


def test_conversational_format_reward(reward_dir):
    prompt = PromptText("user: 2+2?", messages=[{"role": "user", "content": "2+2?"}], extra={"answer": "4"})
    totals, _ = reward_set(reward_dir, "format_reward_func").score_group(
        prompt, "4", ["<think>2+2 is 4</think><answer>4</answer>", "4"])
    assert totals == [1.0, 0.0]


def test_dataset_columns_are_keyword_arguments(reward_dir):
    prompt = PromptText("Solve 2x+3=7", extra={"ground_truth": "2", "solution": "x"})
    totals, _ = reward_set(reward_dir, "boxed_reward_func").score_group(
        prompt, None, [r"so \boxed{2}", r"\boxed{3}"])
    assert totals == [1.0, 0.0]


def test_none_is_not_applicable_even_when_invalid_values_fail(reward_dir):
    rewards = reward_set(reward_dir, "math_reward_func", invalid="fail")
    totals, components, skipped = rewards.score_group_checked(PromptText("q", extra={"task": "code"}), None,
                                                              ["4", "5"])
    assert totals == [0.0, 0.0] and components == [{"math_reward_func": None}] * 2 and skipped == {}
    math_prompt = PromptText("q", extra={"task": "math"})
    totals, components, _ = rewards.score_group_checked(math_prompt, None, ["4", "5"])
    assert totals == [1.0, -1.0]


def test_nan_from_a_trl_reward_still_fails(reward_dir, tmp_path):
    (tmp_path / "nan_reward.py").write_text("def r(completions, **kwargs):\n    return [float('nan')] * "
                                            "len(completions)\n")
    rewards = RewardSet([{"name": "r", "function": "nan_reward:r"}], [str(tmp_path)], invalid="fail")
    with pytest.raises(RewardFailure, match="returned NaN"):
        rewards.score_group("p", None, ["a"])


def test_missing_column_is_named(reward_dir):
    with pytest.raises(RewardFailure, match=r"needs the argument 'solution', which this run cannot give "
                                            r"\(it gives: answer, completions, prompts"):
        reward_set(reward_dir, "no_kwargs").score_group("p", "4", ["4"])
    with_solution = PromptText("p", extra={"solution": "4"})
    totals, _ = reward_set(reward_dir, "no_kwargs").score_group(with_solution, None, ["4", "5"])
    assert totals == [1.0, 0.0]


def test_built_in_task_reference_is_the_answer_column(reward_dir, tmp_path):
    (tmp_path / "answer_reward.py").write_text(
        "def r(completions, answer, **kwargs):\n"
        "    return [float(c == a) for c, a in zip(completions, answer)]\n")
    rewards = RewardSet([{"name": "r", "function": "answer_reward:r"}], [str(tmp_path)])
    assert rewards.score_group("3+4=", "7", ["7", "8"])[0] == [1.0, 0.0]


def test_convention_detection():
    def ours(prompts, completions, references, **kw):
        return []

    def old_positional(prompts, completions, answers):
        return []

    def trl(prompts, completions, **kwargs):
        return []

    assert convention_of(ours) == "grpo_lens" and convention_of(old_positional) == "grpo_lens"
    assert convention_of(trl) == "trl" and convention_of(lambda completions: []) == "trl"
    assert convention_of(ours, "trl") == "trl"
