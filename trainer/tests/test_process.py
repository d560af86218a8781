"""A live trainer subprocess: control commands, SIGTERM, kill -9, missing packages."""
import os
import signal

from helpers import (events, read_jsonl, read_status, run_cli, send, start_cli, tiny_config, wait_for,
                     write_config)


def live_config(tmp_path, **overrides):
    settings = {"max_steps": 100000, "checkpoint_every": 0, "warm_start": {"steps": 0}}
    config = tiny_config(**dict(settings, **overrides))
    return write_config(tmp_path / "live.grpo.json", config)


def step_of(run_dir):
    return read_status(run_dir)["step"]


def test_control_pause_checkpoint_resume_stop(tmp_path):
    run = str(tmp_path / "run")
    proc = start_cli(["--config", live_config(tmp_path), "--run-dir", run])
    try:
        wait_for(lambda: step_of(run) >= 2, what="training to start")
        send(run, "p1", "pause")
        wait_for(lambda: events(run, "paused"), what="paused")
        assert {"id": "p1", "command": "pause"}.items() <= events(run, "ack")[0].items()
        assert wait_for(lambda: read_status(run)["state"] == "paused", what="status paused")
        paused_at = step_of(run)
        send(run, "c1", "checkpoint")
        ck = wait_for(lambda: [e for e in events(run, "checkpoint") if e.get("ids") == ["c1"]],
                      what="checkpoint")[0]
        assert ck["step"] == paused_at and os.path.isfile(os.path.join(run, ck["path"], "trainer_state.json"))
        assert step_of(run) == paused_at
        send(run, "r1", "resume")
        wait_for(lambda: step_of(run) > paused_at + 1, what="steps after resume")
        send(run, "s1", "stop")
        assert proc.wait(timeout=60) == 0
    finally:
        proc.kill()
    acked = [e["id"] for e in events(run, "ack")]
    assert acked == ["p1", "c1", "r1", "s1"]
    status = read_status(run)
    assert status["state"] == "stopped" and status["last_checkpoint"].endswith(f"step-{status['step']:06d}")
    assert events(run)[-1]["event"] == "stopped"


def test_sigterm_checkpoints_and_exits(tmp_path):
    run = str(tmp_path / "run")
    proc = start_cli(["--config", live_config(tmp_path), "--run-dir", run])
    try:
        wait_for(lambda: step_of(run) >= 2, what="training to start")
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=60) == 0
    finally:
        proc.kill()
    status = read_status(run)
    assert status["state"] == "stopped"
    assert os.path.isfile(os.path.join(run, status["last_checkpoint"], "model.pt"))
    assert events(run, "stopped")[0]["reason"] == "signal SIGTERM"


def test_kill_9_loses_nothing_and_resumes(tmp_path):
    run = str(tmp_path / "run")
    proc = start_cli(["--config", live_config(tmp_path, checkpoint_every=3), "--run-dir", run])
    try:
        wait_for(lambda: step_of(run) >= 7, what="some steps")
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        proc.kill()
    for name in ("metrics.jsonl", "samples.jsonl", "events.jsonl"):
        read_jsonl(os.path.join(run, name), allow_torn_last=True)
    metrics = read_jsonl(os.path.join(run, "metrics.jsonl"), allow_torn_last=True)
    assert metrics[-1]["step"] >= step_of(run)  # status is written after the metrics line
    ckpts = sorted(d for d in os.listdir(os.path.join(run, "checkpoints")) if d.startswith("step-"))
    for d in ckpts:  # a checkpoint is complete or absent
        assert os.path.isfile(os.path.join(run, "checkpoints", d, "trainer_state.json"))
    last = os.path.join(run, "checkpoints", ckpts[-1])
    resume_step = int(ckpts[-1][5:])
    short = tiny_config(max_steps=resume_step + 2, checkpoint_every=3, warm_start={"steps": 0})
    cfg = write_config(tmp_path / "short.grpo.json", short)
    result = run_cli(["--config", cfg, "--resume", last])
    assert result.returncode == 0, result.stderr
    rows = read_jsonl(os.path.join(run, "metrics.jsonl"))
    # supersession: the lines after the resume restart at resume_step + 1
    assert [r["step"] for r in rows][-2:] == [resume_step + 1, resume_step + 2]


def test_missing_transformers_is_one_line(tmp_path):
    cfg = write_config(tmp_path / "hf.grpo.json", tiny_config(model={"type": "hf", "path": "gpt2"}))
    result = run_cli(["--config", cfg, "--run-dir", str(tmp_path / "run")])
    assert result.returncode == 1
    last = result.stderr.strip().splitlines()[-1]
    assert "'transformers'" in last and "Traceback" not in result.stderr
    assert read_status(str(tmp_path / "run"))["state"] == "failed"


def test_missing_torch_is_one_line(tmp_path):
    import subprocess
    import sys

    from helpers import TRAINER_DIR
    cfg = write_config(tmp_path / "c.grpo.json", tiny_config())
    run = str(tmp_path / "run")
    code = ("import sys, runpy; sys.modules['torch'] = None; "
            f"sys.argv = ['grpo_lens', '--config', {cfg!r}, '--run-dir', {run!r}]; "
            "runpy.run_module('grpo_lens', run_name='__main__')")
    result = subprocess.run([sys.executable, "-c", code], cwd=TRAINER_DIR, capture_output=True, text=True,
                            env=dict(os.environ, GRPO_LENS_LOG_REDIRECTED="1"))
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [result.stderr.strip()] and "PyTorch" in result.stderr
    assert read_status(run)["state"] == "failed" and "PyTorch" in read_status(run)["error"]
