"""A user's reward function that misbehaves stops the run with a one-line reason naming it,
the step, the group and the prompt; what was written before stays (the real trainer)."""
import math
import os

import pytest

from grpo_lens.tasks import build_task
from helpers import events, read_jsonl, read_status, run_cli, tiny_config, write_config

# the misbehaviour starts at the 5th call: step 3, group 0 (2 groups per step)
MODULE = """import time
calls = [0]


def helper(x):
    return 1 / x


def score(prompts, completions, references, **kw):
    calls[0] += 1
    n = len(completions)
    if calls[0] < {start}:
        return [0.5] * n
{body}
"""


def run_with(tmp_path, body, start=5, **overrides):
    (tmp_path / "bad_rewards.py").write_text(MODULE.format(start=start, body=body))
    settings = dict(max_steps=4, checkpoint_every=1, warm_start={"steps": 0},
                    rewards=[{"name": "accuracy"}, {"name": "bad", "function": "bad_rewards:score"}])
    config = tiny_config(**dict(settings, **overrides))
    run = str(tmp_path / "run")
    result = run_cli(["--config", write_config(tmp_path / "c.grpo.json", config), "--run-dir", run])
    return result, run, config


def step3_prompt(config):
    """The prompt of group 0 at step 3: data position 4 (prompts_per_step 2)."""
    prompt = build_task(config["task"], config["seed"]).problem(4).prompt
    return repr(prompt)


def assert_failed_after_step_2(result, run, reason):
    assert result.returncode == 1, result.stderr
    status = read_status(run)
    assert status["state"] == "failed" and status["error"] == reason
    assert events(run, "failed")[-1]["message"] == reason
    assert result.stderr.strip().splitlines()[-1] == f"grpo-lens: error: {reason}"
    # nothing written before the failure is lost, and no step with the bad value was written
    assert [m["step"] for m in read_jsonl(os.path.join(run, "metrics.jsonl"))] == [1, 2]
    assert {s["step"] for s in read_jsonl(os.path.join(run, "samples.jsonl"))} == {1, 2}
    assert os.path.isfile(os.path.join(run, "checkpoints", "step-000002", "trainer_state.json"))
    assert status["step"] == 2


@pytest.mark.parametrize("value,described", [("float('inf')", "inf"), ("-float('inf')", "-inf"),
                                             ("float('nan')", "NaN"), ("'0.5x'", "a str ('0.5x')"),
                                             ("None", "None")])
def test_invalid_value_fails_the_run(tmp_path, value, described):
    result, run, config = run_with(tmp_path, f"    return [0.0, {value}] + [0.0] * (n - 2)")
    reason = (f"reward 'bad' (bad_rewards:score) returned {described} for completion 2 of 4 "
              f"at step 3, group 0, prompt {step3_prompt(config)}")
    if value == "None":
        reason += '; to treat None as "not applicable" as TRL does, set "invalid_reward": "skip"'
    assert_failed_after_step_2(result, run, reason)


def test_wrong_length_fails_the_run(tmp_path):
    result, run, config = run_with(tmp_path, "    return [1.0] * (n - 1)")
    reason = (f"reward 'bad' (bad_rewards:score) returned 3 values for 4 completions "
              f"at step 3, group 0, prompt {step3_prompt(config)}")
    assert_failed_after_step_2(result, run, reason)


def test_exception_names_the_user_line_and_logs_the_traceback(tmp_path):
    result, run, config = run_with(tmp_path, "    return [helper(0)] * n")
    reason = (f"reward 'bad' (bad_rewards:score) raised ZeroDivisionError: division by zero "
              f"(bad_rewards.py:6 in helper) at step 3, group 0, prompt {step3_prompt(config)}")
    assert_failed_after_step_2(result, run, reason)
    with open(os.path.join(run, "train.log"), encoding="utf-8") as f:
        log = f.read()
    assert "Traceback" in log and 'bad_rewards.py", line 6, in helper' in log
    assert "Traceback" not in result.stderr  # stderr: the one line


def test_hanging_function_times_out(tmp_path):
    result, run, config = run_with(tmp_path, "    time.sleep(600)\n    return [0.0] * n",
                                   reward_timeout_s=1)
    reason = (f"reward 'bad' (bad_rewards:score) did not return within 1 s (reward_timeout_s) "
              f"(bad_rewards.py:14 in score) at step 3, group 0, prompt {step3_prompt(config)}")
    assert_failed_after_step_2(result, run, reason)


def test_skip_treats_invalid_values_as_not_applicable(tmp_path):
    result, run, config = run_with(tmp_path, "    return [float('inf')] + [1.0] * (n - 1)",
                                   invalid_reward="skip", max_steps=4)
    assert result.returncode == 0, result.stderr
    assert read_status(run)["state"] == "finished"
    metrics = read_jsonl(os.path.join(run, "metrics.jsonl"))
    assert [m["rewards/bad/invalid"] for m in metrics] == [0, 0, 2, 2]
    assert [m["rewards/accuracy/invalid"] for m in metrics] == [0, 0, 0, 0]
    assert metrics[2]["rewards/bad/mean"] == 1.0  # over the valid values only
    assert all(math.isfinite(m["loss"]) and math.isfinite(m["grad_norm"]) for m in metrics)
    warnings = [e for e in events(run, "warning") if e.get("reward") == "bad"]
    assert [(w["step"], w["count"]) for w in warnings] == [(3, 1)]  # once; the metric counts on
    assert warnings[0]["message"] == (
        "reward 'bad' returned inf (1 of 4 values skipped as invalid, invalid_reward: skip; later ones "
        f"are counted in rewards/bad/invalid) at step 3, group 0, prompt {step3_prompt(config)}")
    sample = [s for s in read_jsonl(os.path.join(run, "samples.jsonl")) if s["step"] == 3][0]
    first = sample["completions"][0]
    assert first["rewards"]["bad"] is None
    assert first["reward"] == pytest.approx(first["rewards"]["accuracy"])  # 0 in the weighted sum


def test_score_command_rejects_inf(tmp_path):
    (tmp_path / "bad_rewards.py").write_text(MODULE.format(start=1, body="    return [float('-inf')] * n"))
    config = tiny_config(rewards=[{"name": "bad", "function": "bad_rewards:score"}])
    cfg = write_config(tmp_path / "c.grpo.json", config)
    result = run_cli(["score", "--config", cfg], stdin='{"prompt": "1+1=", "completions": ["2", "3"]}')
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr == ("grpo-lens score: error: reward 'bad' (bad_rewards:score) returned -inf "
                             "for completion 1 of 2\n")
