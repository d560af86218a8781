"""One-shot scoring: rewards, components and advantages of completions read from stdin.

    python3 -m grpo_lens score --config F < {"prompt", "reference", "completions": [text, ...]}
    -> {"rewards": [...], "components": [{name: value}, ...], "advantages": [...]}
"""
import json
import sys

import torch

from .config import load_config
from .grpo import group_advantages
from .rewards import RewardSet


def read_request(text):
    try:
        request = json.loads(text)
    except ValueError as e:
        raise ValueError(f"stdin is not valid JSON ({e})") from None
    if not isinstance(request, dict) or not isinstance(request.get("completions"), list):
        raise ValueError('stdin must be {"prompt", "reference", "completions": [text, ...]}')
    if not all(isinstance(c, str) for c in request["completions"]) or not request["completions"]:
        raise ValueError("completions must be a non-empty list of strings")
    return request


def score_completions(config, request):
    rewards = RewardSet(config["rewards"], [config["config_dir"]], config["invalid_reward"],
                        config["reward_timeout_s"])
    completions = request["completions"]
    reference = request.get("reference")
    reference = None if reference is None else str(reference)
    totals, components = rewards.score_group(request.get("prompt", ""), reference, completions)
    if len(completions) > 1:
        r = torch.tensor(totals, dtype=torch.float64)
        advantages = group_advantages(r, len(completions), config["scale_rewards"]).tolist()
    else:
        advantages = [0.0]
    return {"rewards": totals, "components": components, "advantages": advantages}


def score_main(config_path, stdin=None, stdout=None):
    config = load_config(config_path)
    request = read_request((stdin or sys.stdin).read())
    (stdout or sys.stdout).write(json.dumps(score_completions(config, request)) + "\n")
    return 0
