"""The step clock waits for the device's queued work before each reading and reports this
step's peak memory; on the CPU it touches no CUDA call.  No GPU here: torch.cuda's calls
are replaced by recorders, which is what the clock's contract is about."""
import pytest
import torch

from grpo_lens.config import resolve_config
from grpo_lens.run_dir import RunDir
from grpo_lens.step_clock import StepClock
from grpo_lens.train import Trainer
from helpers import tiny_config
from test_battleship_step import RAW
from test_ppo_step import PPO


def _record_cuda(monkeypatch):
    calls = []
    monkeypatch.setattr(torch.cuda, "synchronize", lambda device=None: calls.append(("sync", device)))
    monkeypatch.setattr(torch.cuda, "reset_peak_memory_stats",
                        lambda device=None: calls.append(("reset", device)))
    monkeypatch.setattr(torch.cuda, "max_memory_allocated", lambda device=None: 3 * 2**30)
    return calls


def test_on_cuda_each_reading_waits_for_the_device_and_the_peak_is_this_steps(monkeypatch):
    calls = _record_cuda(monkeypatch)
    clock = StepClock("cuda:1")
    assert calls == [("reset", "cuda:1"), ("sync", "cuda:1")], "the peak is reset before the step starts"
    later = clock.now()
    assert calls[-1] == ("sync", "cuda:1") and len(calls) == 3
    assert later >= clock.start
    assert clock.memory() == {"memory/peak_gb": 3.0}


def test_on_the_cpu_no_cuda_call_and_no_memory_metric(monkeypatch):
    calls = _record_cuda(monkeypatch)
    clock = StepClock(torch.device("cpu"))
    clock.now()
    assert calls == [] and clock.memory() == {}


class CountingClock(StepClock):
    """The real clock, counting its readings."""
    made = []

    def __init__(self, device):
        CountingClock.made.append(self)
        self.readings, self.memory_asked = 0, 0
        super().__init__(device)

    def now(self):
        self.readings += 1
        return super().now()

    def memory(self):
        self.memory_asked += 1
        return super().memory()


@pytest.mark.parametrize("kind", ["grpo", "ppo", "environment"])
def test_every_kind_of_step_times_its_phases_with_the_clock(tmp_path, monkeypatch, kind):
    from grpo_lens import ppo, step
    from grpo_lens.envs import step as env_step
    for module in (step, ppo, env_step):
        monkeypatch.setattr(module, "StepClock", CountingClock)
    CountingClock.made.clear()
    raw = {"grpo": tiny_config(), "ppo": PPO, "environment": RAW}[kind]
    trainer = Trainer(resolve_config(dict(raw)), RunDir(str(tmp_path)))
    metrics, _ = step.grpo_step(trainer)
    [clock] = CountingClock.made
    assert clock.readings >= 4, "start and each phase's end wait for the device"
    assert clock.memory_asked == 1
    assert metrics["timing/step_s"] >= metrics["timing/update_s"] >= 0
