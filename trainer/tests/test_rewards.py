import json

import pytest

from grpo_lens.rewards import RewardError, RewardSet
from grpo_lens.rewards.answers import extract_answer, normalise
from grpo_lens.rewards.builtin import accuracy, format_reward, reasoning_length, self_consistency

from helpers import run_cli, tiny_config, write_config


def test_extract_answer():
    assert extract_answer("<think>2+2</think><answer> 4 </answer>") == "4"
    assert extract_answer("so #### 1,000") == "1,000"
    assert extract_answer("7 then 12") == "12"
    assert extract_answer("none") is None
    assert normalise("1,000") == normalise("1000.0") == "1000"


def test_accuracy():
    assert accuracy([""] * 3, ["12", "<answer>12</answer>", "13"], ["12"] * 3) == [1.0, 1.0, 0.0]


def test_format_partial_credit():
    scores = format_reward([""] * 4, ["<think>a</think><answer>1</answer>", "<think>a</think> 1",
                                      "<answer>1</answer><think>x</think>", "plain"], [None] * 4)
    assert scores == [1.0, 0.5, 0.75, 0.0]


def test_reasoning_length_is_capped():
    completions = ["<think>" + "x" * 50 + "</think>", "y" * 500]
    assert reasoning_length([""] * 2, completions, [None] * 2, cap=100) == [0.5, 1.0]


def test_self_consistency_majority():
    assert self_consistency([""] * 4, ["3", "3", "4", "x"], [None] * 4) == [1.0, 1.0, 0.0, 0.0]
    assert self_consistency([""] * 3, ["1", "2", "3"], [None] * 3) == [0.0, 0.0, 0.0]


def test_weighted_sum_and_user_function(tmp_path, monkeypatch):
    (tmp_path / "my_rewards.py").write_text(
        "def shortness(prompts, completions, references, **kw):\n"
        "    return [1.0 / (1 + len(c)) for c in completions]\n")
    rs = RewardSet([{"name": "accuracy", "weight": 2.0},
                    {"name": "short", "weight": 0.5, "function": "my_rewards:shortness"}], [str(tmp_path)])
    totals, comps = rs.score_group("1+1=", "2", ["2", "33"])
    assert comps[0] == {"accuracy": 1.0, "short": 0.5}
    assert totals == [pytest.approx(2.25), pytest.approx(0.5 / 3)]


def test_unknown_reward_and_function():
    with pytest.raises(RewardError, match=r"rewards\[0\].name: unknown reward 'speed'"):
        RewardSet([{"name": "speed"}])
    with pytest.raises(RewardError, match="cannot import reward module 'no_such_module'"):
        RewardSet([{"name": "x", "function": "no_such_module:f"}])
    with pytest.raises(RewardError, match="has no function 'nope'"):
        RewardSet([{"name": "x", "function": "json:nope"}])


def test_unknown_reward_function_cli_one_line(tmp_path):
    config = tiny_config(rewards=[{"name": "x", "function": "nowhere:fn"}])
    cfg = write_config(tmp_path / "c.grpo.json", config)
    result = run_cli(["--config", cfg, "--run-dir", str(tmp_path / "run")])
    assert result.returncode == 2
    last = result.stderr.strip().splitlines()[-1]
    assert "nowhere" in last and "Traceback" not in result.stderr


def test_score_command(tmp_path):
    cfg = write_config(tmp_path / "c.grpo.json", tiny_config())
    request = {"prompt": "2+3=", "reference": "5", "completions": ["5", "5", "4", "<think>"]}
    result = run_cli(["score", "--config", cfg], stdin=json.dumps(request))
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert [c["accuracy"] for c in out["components"]] == [1.0, 1.0, 0.0, 0.0]
    assert len(out["rewards"]) == 4 and out["advantages"][0] > 0 > out["advantages"][2]
    assert sum(out["advantages"]) == pytest.approx(0, abs=1e-9)
    bad = run_cli(["score", "--config", cfg], stdin="{nope")
    assert bad.returncode == 2 and len(bad.stderr.strip().splitlines()) == 1
