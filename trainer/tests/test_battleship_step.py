"""A GRPO step on Battleship against the independent float64 reference of the math
(test_grpo_math.py), and a whole run through the command line."""
import json
import math
import os

import pytest
import torch

from grpo_lens.config import resolve_config
from grpo_lens.envs.battleship import Board, Game
from grpo_lens.run_dir import RunDir
from grpo_lens.step import grpo_step
from grpo_lens.train import Trainer
from helpers import read_jsonl, run_cli, write_config
from test_grpo_math import ref_advantages, ref_loss

RAW = {"name": "bs-test", "seed": 3, "device": "cpu", "model": {"type": "board", "net": "conv", "hidden": 8},
       "task": {"name": "battleship", "board_size": 4, "ships": [2, 2], "max_shots": 12},
       "rewards": [{"name": "win", "weight": 0.5}, {"name": "speed"}],
       "num_generations": 4, "prompts_per_step": 3, "beta": 0.1, "loss_type": "grpo",
       "num_iterations": 1, "learning_rate": 0.05, "max_steps": 5, "export_onnx": "auto"}


def replay_logprob(model, board, trajectory):
    """Each shot's log-prob by hand: the view rebuilt from the shots, the softmax over the
    cells not fired at yet, in float64 loops."""
    game, out = Game(Board(board["board_size"], board["ships"], board["max_shots"])), []
    for shot in trajectory:
        with torch.no_grad():
            logits = model(torch.tensor([game.view])).double()[0].tolist()
        legal = [c for c, ok in enumerate(game.legal()) if ok]
        top = max(logits[c] for c in legal)
        lse = top + math.log(sum(math.exp(logits[c] - top) for c in legal))
        out.append(logits[shot["action"]] - lse)
        outcome, _ = game.fire(shot["action"])
        assert outcome == shot["outcome"]
    return out


@pytest.mark.parametrize("step_to_check", [1, 2])
def test_grpo_step_on_battleship_matches_the_reference(tmp_path, step_to_check):
    trainer = Trainer(resolve_config(dict(RAW)), RunDir(str(tmp_path)))
    for _ in range(step_to_check - 1):
        grpo_step(trainer)
    before = {k: v.clone() for k, v in trainer.policy.state_dict().items()}
    sampling_model = trainer.policy.reference()  # a frozen copy of the policy that plays
    metrics, lines = grpo_step(trainer)
    g = RAW["num_generations"]
    games = [c for line in lines for c in line["completions"]]
    rewards = [c["reward"] for c in games]
    for c in games:
        expected = 0.5 * c["rewards"]["win"] + c["rewards"]["speed"]
        assert c["reward"] == pytest.approx(expected, abs=1e-6)
    advantages = ref_advantages(rewards, g, "group")
    assert [c["advantage"] for c in games] == pytest.approx(advantages, rel=1e-5, abs=1e-5)
    for line in lines:
        for c in line["completions"]:
            by_hand = replay_logprob(sampling_model, line["environment"], c["trajectory"])
            assert [s["logprob"] for s in c["trajectory"]] == pytest.approx(by_hand, abs=2e-5)
            by_hand_ref = replay_logprob(trainer.reference, line["environment"], c["trajectory"])
            assert [s["ref_logprob"] for s in c["trajectory"]] == pytest.approx(by_hand_ref, abs=2e-5)
            assert c["num_tokens"] == len(c["trajectory"])
            assert c["tokens"] == [s["cell"] for s in c["trajectory"]]
    width = max(len(c["trajectory"]) for c in games)

    def padded(key):
        return [[s[key] for s in c["trajectory"]] + [0.0] * (width - len(c["trajectory"])) for c in games]
    logp, ref = padded("logprob"), padded("ref_logprob")
    mask = [[1.0] * len(c["trajectory"]) + [0.0] * (width - len(c["trajectory"])) for c in games]
    # one update per batch: the ratio is 1 and old = the log-probs at sampling time
    expected = ref_loss(logp, logp, ref, advantages, mask, 0.2, 0.2, 0.1, "grpo", RAW["task"]["max_shots"])
    assert metrics["loss"] == pytest.approx(expected, abs=5e-5)
    kl = [math.exp(r - lp) - (r - lp) - 1 for lr, rr, m in zip(logp, ref, mask)
          for lp, r, k in zip(lr, rr, m) if k]
    assert metrics["kl"] == pytest.approx(sum(kl) / len(kl), abs=1e-5)
    if step_to_check == 2:
        assert metrics["kl"] > 0  # the policy has moved from the reference
    after = trainer.policy.state_dict()
    assert any(not torch.equal(before[k], after[k]) for k in before)  # AdamW stepped
    wins = sum(c["rewards"]["win"] for c in games)
    assert metrics["battleship/win_rate"] == pytest.approx(wins / len(games))


def test_battleship_run_through_the_command_line(tmp_path):
    config = write_config(tmp_path / "bs.grpo.json", dict(RAW, checkpoint_every=2))
    run = str(tmp_path / "run")
    result = run_cli(["--config", config, "--run-dir", run])
    assert result.returncode == 0, result.stderr
    metrics = read_jsonl(os.path.join(run, "metrics.jsonl"))
    assert [m["step"] for m in metrics] == [1, 2, 3, 4, 5]
    assert all("battleship/win_rate" in m and "rewards/speed/mean" in m for m in metrics)
    samples = read_jsonl(os.path.join(run, "samples.jsonl"))
    assert len(samples) == 5 * 3
    first = samples[0]["completions"][0]
    assert set(first["trajectory"][0]) >= {"action", "cell", "outcome", "logprob", "ref_logprob", "top"}
    assert first["text"].splitlines()[0].startswith("1 " + first["trajectory"][0]["cell"])
    with open(os.path.join(run, "run.json"), encoding="utf-8") as f:
        assert json.load(f)["config"]["export_onnx"] is False
    assert os.path.isfile(os.path.join(run, "checkpoints", "step-000005", "model.pt"))
    assert not [e for e in read_jsonl(os.path.join(run, "events.jsonl")) if e["event"] == "warning"]
    resumed = run_cli(["--resume", os.path.join(run, "checkpoints", "step-000004"),
                       "--config", config])
    assert resumed.returncode == 0, resumed.stderr
    again = read_jsonl(os.path.join(run, "metrics.jsonl"))
    assert again[-1]["step"] == 5 and again[-1]["reward"] == metrics[-1]["reward"]  # bit for bit
