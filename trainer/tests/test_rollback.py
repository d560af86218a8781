"""Resuming from an earlier checkpoint abandons the later branch: its checkpoints are moved
aside, the new ones are written, pruning keeps the newest by step; stale control commands
of a dead trainer are not replayed."""
import argparse
import json
import os
import threading
import time

import torch

from grpo_lens import checkpoint, cli, control
from grpo_lens.control import Controller
from grpo_lens.run_dir import RunDir

from helpers import events, read_jsonl, read_status, tiny_config, write_config


def train(config_path, run_dir, resume=None, stop_after=None):
    args = argparse.Namespace(config=config_path, run_dir=run_dir, resume=resume)
    return cli.train_main(args, run_dir, ["test"], stop_after=stop_after)


def policy_weights(ckpt):
    return torch.load(os.path.join(ckpt, "model.pt"))["policy"]


def test_resume_from_an_earlier_checkpoint_rewrites_the_later_ones(tmp_path, monkeypatch):
    monkeypatch.setenv("GRPO_LENS_LOG_REDIRECTED", "1")
    base = dict(checkpoint_every=10, warm_start={"steps": 0}, export_onnx=False)
    first = write_config(tmp_path / "a.grpo.json", tiny_config(max_steps=40, save_total_limit=3, **base))
    run = str(tmp_path / "run")
    assert train(first, run) == 0
    ckpts = os.path.join(run, "checkpoints")
    assert sorted(os.listdir(ckpts)) == ["step-000020", "step-000030", "step-000040"]
    old30 = policy_weights(os.path.join(ckpts, "step-000030"))

    # a different learning rate from step 20 on, and only one checkpoint kept
    second = write_config(tmp_path / "b.grpo.json",
                          tiny_config(max_steps=30, save_total_limit=1, learning_rate=0.01, **base))
    assert train(second, run, resume=os.path.join(ckpts, "step-000020")) == 0

    names = os.listdir(ckpts)
    assert sorted(n for n in names if not n.startswith(".")) == ["step-000030"]  # newest by step
    superseded = sorted(n for n in names if n.startswith(".superseded-"))
    assert [n.rsplit("-", 1)[0] for n in superseded] == [".superseded-step-000030", ".superseded-step-000040"]
    new30 = policy_weights(os.path.join(ckpts, "step-000030"))
    assert any(not torch.equal(old30[k], new30[k]) for k in old30)

    log = events(run)
    resumed_at = max(i for i, e in enumerate(log) if e["event"] == "resumed" and "checkpoint" in e)
    after = log[resumed_at + 1:]
    assert [e for e in after if e["event"] == "checkpoint" and e["step"] == 30
            and e["path"] == "checkpoints/step-000030"]
    warning = [e for e in after if e["event"] == "warning" and "superseded" in e][0]
    assert sorted(warning["superseded"]) == [os.path.join("checkpoints", n) for n in superseded]
    assert all(n in warning["message"] for n in superseded)
    assert read_status(run)["last_checkpoint"] == "checkpoints/step-000030"
    with open(os.path.join(ckpts, "step-000030", "trainer_state.json")) as f:
        assert json.load(f)["step"] == 30


def test_prune_sorts_by_step_not_by_name(tmp_path):
    for name in ("step-999999", "step-1000000", ".superseded-step-2000000-1", ".tmp-x"):
        os.makedirs(tmp_path / name)
    checkpoint._prune(str(tmp_path), 1)
    assert sorted(os.listdir(tmp_path)) == [".superseded-step-2000000-1", ".tmp-x", "step-1000000"]


def test_a_checkpoint_counts_as_saved_only_within_one_process():
    class Stub:
        run_id, step, phase, warmup_step, data_position, warmup_position = "r", 30, "grpo", 0, 60, 0
    a, b = Stub(), Stub()
    a.save_id, b.save_id = "one", "two"
    assert checkpoint.trainer_state(a) != checkpoint.trainer_state(b)


def test_unacknowledged_stop_is_not_replayed_on_resume(tmp_path, monkeypatch):
    monkeypatch.setenv("GRPO_LENS_LOG_REDIRECTED", "1")
    cfg = write_config(tmp_path / "c.grpo.json",
                       tiny_config(max_steps=4, checkpoint_every=2, warm_start={"steps": 0},
                                   export_onnx=False))
    run = str(tmp_path / "run")
    assert train(cfg, run, stop_after=2) == 0
    # a dead trainer never read these
    with open(os.path.join(run, "control.jsonl"), "a") as f:
        f.write(json.dumps({"id": "old-stop", "command": "stop", "time": time.time() - 1}) + "\n")
        f.write(json.dumps({"id": "old-pause", "command": "pause"}) + "\n")
    assert train(cfg, run, resume=os.path.join(run, "checkpoints", "step-000002")) == 0
    status = read_status(run)
    assert status["state"] == "finished" and status["step"] == 4
    assert [e["id"] for e in events(run, "ack")] == []
    warnings = [e for e in events(run, "warning") if "ignored_ids" in e]
    assert len(warnings) == 1 and warnings[0]["ignored_ids"] == ["old-stop", "old-pause"]
    assert "old-stop" in warnings[0]["message"]
    assert [r["step"] for r in read_jsonl(os.path.join(run, "metrics.jsonl"))] == [1, 2, 3, 4]

    # a later process does not list them again
    assert train(cfg, run, resume=os.path.join(run, "checkpoints", "step-000002")) == 0
    assert len([e for e in events(run, "warning") if "ignored_ids" in e]) == 1


def test_commands_written_after_the_process_started_are_kept(tmp_path):
    run = RunDir(str(tmp_path))
    run.set_status(state="running")
    started = time.time()
    with open(run.file("control.jsonl"), "w") as f:
        f.write(json.dumps({"id": "old", "command": "stop", "time": started - 5}) + "\n")
        f.write(json.dumps({"id": "new", "command": "checkpoint", "time": started + 0.5}) + "\n")
    controller = Controller(run, started)
    assert controller.stale_ids == ["old"]
    saved = []
    assert controller.at_boundary(saved.append) is False
    assert saved == [["new"]] and controller.stop_reason is None
    run.close()


def test_a_paused_trainer_keeps_its_status_fresh(tmp_path, monkeypatch):
    # where /proc is absent the extension takes a long-silent status for a dead trainer
    monkeypatch.setattr(control, "HEARTBEAT_SECONDS", 0.3)
    run = RunDir(str(tmp_path))
    run.set_status(state="running")
    started = time.time()
    with open(run.file("control.jsonl"), "w") as f:
        f.write(json.dumps({"id": "p", "command": "pause", "time": started + 0.5}) + "\n")
    controller = Controller(run, started)
    beats = []
    set_status = run.set_status
    monkeypatch.setattr(run, "set_status", lambda **fields: (beats.append(fields), set_status(**fields)))

    def resume_later():
        time.sleep(1.2)
        with open(run.file("control.jsonl"), "a") as f:
            f.write(json.dumps({"id": "r", "command": "resume", "time": time.time()}) + "\n")

    threading.Thread(target=resume_later).start()
    paused_from = time.time()
    assert controller.at_boundary(lambda ids: None) is False
    assert beats[0] == {"state": "paused"} and beats[-1] == {"state": "running"}
    assert len([b for b in beats if b == {}]) >= 2, beats
    assert read_status(str(tmp_path))["updated"] >= paused_from + 0.6
    run.close()
