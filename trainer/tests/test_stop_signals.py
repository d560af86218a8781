"""A stop signal that reaches a process twice: a Ctrl-C in a terminal (or Slurm's signal to
a job step: scancel, the time limit) reaches torchrun and every rank, and torchrun sends the
ranks the signal again.  Under torchrun that is one stop, with a checkpoint (torchrun's own
SIGKILL, 30 s on, is the hard stop); one process still gives up at a second signal."""
import os
import signal

import pytest

from grpo_lens import control
from grpo_lens.control import Controller
from grpo_lens.run_dir import RunDir
from helpers import read_status
from test_distributed import TIMEOUT, finish, live_config, step_of, torchrun, wait_for


def test_ctrl_c_under_torchrun_stops_every_rank_with_a_checkpoint(tmp_path):
    run = str(tmp_path / "run")
    proc = torchrun(["--config", live_config(tmp_path), "--run-dir", run])
    try:
        wait_for(lambda: step_of(run) >= 2, timeout=TIMEOUT, what="training to start")
        os.killpg(proc.pid, signal.SIGINT)  # what Ctrl-C does: the whole foreground group
        code, output = finish(proc)
    finally:
        finish(proc, timeout=1) if proc.poll() is None else None
    status = read_status(run)
    assert status["state"] == "stopped", output
    assert status["last_checkpoint"].endswith(f"step-{status['step']:06d}"), output
    assert os.path.isfile(os.path.join(run, status["last_checkpoint"], "model.pt"))
    for rank in (0, 1):
        assert f"grpo-lens: stopped at step {status['step']} (rank {rank} of 2)" in output, output


def _controller(tmp_path):
    return Controller(RunDir(str(tmp_path)), started_at=0.0)


def test_under_torchrun_a_repeated_signal_is_the_same_stop(tmp_path, monkeypatch):
    monkeypatch.setenv(control.UNDER_TORCHRUN_VARIABLE, "run-1")
    c = _controller(tmp_path)
    c._on_signal(signal.SIGINT, None)
    c._on_signal(signal.SIGINT, None)  # torchrun's forwarded copy, however late: no exit
    c._on_signal(signal.SIGTERM, None)
    assert c.stop_reason == "signal SIGINT"


def test_one_process_gives_up_at_a_second_signal(tmp_path, monkeypatch):
    monkeypatch.delenv(control.UNDER_TORCHRUN_VARIABLE, raising=False)
    c = _controller(tmp_path)
    c._on_signal(signal.SIGINT, None)
    assert c.stop_reason == "signal SIGINT"
    with pytest.raises(SystemExit):
        c._on_signal(signal.SIGINT, None)


def test_a_stop_agreed_from_another_rank_then_its_own_signal_is_a_first_signal(tmp_path, monkeypatch):
    monkeypatch.delenv(control.UNDER_TORCHRUN_VARIABLE, raising=False)
    c = _controller(tmp_path)
    c.stop_reason = "signal SIGTERM"  # adopted from rank 0 at the last boundary
    c._on_signal(signal.SIGTERM, None)  # this rank's own copy arrives: still one stop
    assert c.stop_reason == "signal SIGTERM"


def test_a_signal_just_after_the_ranks_agreed_waits_for_the_next_boundary(tmp_path, monkeypatch):
    """The race that left one rank checkpointing while the other trained on (torchrun killed
    both 30 s later, nothing saved): the decision is what the ranks sent, not the live flag."""
    monkeypatch.setenv(control.UNDER_TORCHRUN_VARIABLE, "run-1")
    c = Controller(RunDir(str(tmp_path)), started_at=0.0, reads=False)

    def gather_then_signal(view):
        views = [view, {"stop": None, "ids": [], "paused": False}]  # no rank asked to stop
        c._on_signal(signal.SIGINT, None)  # lands after the gather, before the decision
        return views

    c.gather = gather_then_signal
    stop, _, _ = c._agree()
    assert stop is False, "the other rank, which sent the same views, goes on"
    c.gather = lambda view: [view, {"stop": None, "ids": [], "paused": False}]
    stop, _, _ = c._agree()
    assert stop is True and c.stop_reason == "signal SIGINT", "both stop at the next boundary"
