"""A run that fails before training (its config, a reward's import, the model) is still a
run: run.json is written first with what is known, and status.json says why it failed."""
import json
import os

from helpers import events, read_status, run_cli, tiny_config, write_config


def read_run_json(run):
    with open(os.path.join(run, "run.json"), encoding="utf-8") as f:
        return json.load(f)


def test_a_reward_that_raises_on_import_leaves_a_failed_run_with_its_reason(tmp_path):
    (tmp_path / "broken_reward.py").write_text("raise RuntimeError('no such table: answers')\n")
    reward = {"name": "mine", "function": "broken_reward:score", "weight": 1.0}
    config = tiny_config(name="broken", rewards=[reward])
    cfg = write_config(tmp_path / "broken.grpo.json", config)
    run = str(tmp_path / "run")
    result = run_cli(["--config", cfg, "--run-dir", run])
    assert result.returncode == 2, result.stderr
    status = read_status(run)
    assert status["state"] == "failed"
    assert "broken_reward" in status["error"] and "no such table: answers" in status["error"]
    assert "\n" not in status["error"]
    started = read_run_json(run)
    assert started["format"] == "grpo-lens/1" and started["config"] is None
    assert started["name"] == "broken" and started["run_id"].startswith("broken-")
    assert events(run, "failed")[0]["message"] == status["error"]


def test_a_config_error_leaves_a_failed_run(tmp_path):
    cfg = write_config(tmp_path / "bad.grpo.json", tiny_config(epsilon=-1))
    run = str(tmp_path / "run")
    result = run_cli(["--config", cfg, "--run-dir", run])
    assert result.returncode == 2
    assert read_status(run)["state"] == "failed" and "epsilon" in read_status(run)["error"]
    assert read_run_json(run)["config"] is None


def test_a_run_that_starts_completes_run_json_keeping_its_id(tmp_path):
    config = tiny_config(max_steps=1, warm_start={"steps": 0}, checkpoint_every=0)
    cfg = write_config(tmp_path / "ok.grpo.json", config)
    run = str(tmp_path / "run")
    result = run_cli(["--config", cfg, "--run-dir", run], timeout=120)
    assert result.returncode == 0, result.stderr
    full = read_run_json(run)
    assert full["config"]["max_steps"] == 1 and full["name"] == "tiny-test"
    assert full["run_id"].startswith("ok-")  # the id written at the start, kept
    assert events(run, "started")[0]["run_id"] == full["run_id"]
    assert "distributed" not in full  # one process: run.json as before
