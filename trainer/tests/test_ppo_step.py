"""PPO steps (ppo.py) on Battleship against the float64 loop references, and PPO runs of the
language task and Battleship through the command line, resumed bit for bit."""
import copy
import os

import pytest
import torch

from grpo_lens.config import ConfigError, resolve_config
from grpo_lens.envs.battleship import Board, Game
from grpo_lens.run_dir import RunDir
from grpo_lens.step import grpo_step
from grpo_lens.train import Trainer
from helpers import read_jsonl, run_cli, tiny_config, write_config
from test_battleship_step import RAW, replay_logprob
from test_ppo_math import ref_explained_variance, ref_gae, ref_masked_mean

PPO = dict(RAW, algorithm="ppo", gamma=0.97, lam=0.9, vf_coef=0.5, loss_type="dapo", prompts_per_step=4)


def replay_values(critic, board, trajectory):
    game, out = Game(Board(board["board_size"], board["ships"], board["max_shots"])), []
    for shot in trajectory:
        with torch.no_grad():
            out.append(float(critic(torch.tensor([game.view])).double()[0]))
        game.fire(shot["action"])
    return out


def ref_whiten(adv, mask):
    m = ref_masked_mean(adv, mask)
    var = ref_masked_mean([[(a - m) ** 2 for a in row] for row in adv], mask)
    return [[(a - m) / (var + 1e-8) ** 0.5 * k for a, k in zip(row, mrow)] for row, mrow in zip(adv, mask)]


def test_ppo_step_on_battleship_matches_the_reference(tmp_path):
    trainer = Trainer(resolve_config(dict(PPO)), RunDir(str(tmp_path)))
    assert trainer.config["num_generations"] == 4  # the config's, not PPO's default of 1
    grpo_step(trainer)  # a first step moves the policy and the critic from their start
    critic, policy = copy.deepcopy(trainer.policy.critic).eval(), trainer.policy.reference()
    metrics, lines = grpo_step(trainer)
    games = [(line["environment"], c) for line in lines for c in line["completions"]]
    width = max(len(c["trajectory"]) for _, c in games)
    pad = lambda row: row + [0.0] * (width - len(row))  # noqa: E731
    values = [pad(replay_values(critic, env, c["trajectory"])) for env, c in games]
    logp = [pad(replay_logprob(policy, env, c["trajectory"])) for env, c in games]
    ref = [pad(replay_logprob(trainer.reference, env, c["trajectory"])) for env, c in games]
    mask = [pad([1.0] * len(c["trajectory"])) for _, c in games]
    rewards = [pad([0.0] * (len(c["trajectory"]) - 1) + [c["reward"]]) for _, c in games]
    adv, ret = ref_gae(rewards, values, mask, 0.97, 0.9)
    adv = ref_whiten(adv, mask)
    for (_, c), row, m in zip(games, adv, mask):  # a sample's advantage: mean over its shots
        assert c["advantage"] == pytest.approx(sum(a * k for a, k in zip(row, m)) / sum(m), abs=1e-4)
    # one update: ratio 1, so the policy loss is -mean(A) + beta * mean(kl) over the shots
    per = [[-a + 0.1 * ((2.718281828459045 ** (r - lp)) - (r - lp) - 1) for a, r, lp in zip(ar, rr, lr)]
           for ar, rr, lr in zip(adv, ref, logp)]
    assert metrics["loss"] == pytest.approx(ref_masked_mean(per, mask), abs=1e-4)
    squared = [[(v - r) ** 2 for v, r in zip(vr, rr)] for vr, rr in zip(values, ret)]
    value_loss = 0.5 * ref_masked_mean(squared, mask)
    assert metrics["value_loss"] == pytest.approx(value_loss, rel=1e-4, abs=1e-6)
    assert metrics["explained_variance"] == pytest.approx(ref_explained_variance(values, ret, mask), abs=1e-4)
    assert metrics["value_clip_ratio"] == 0.0  # the first update starts at the old values


def run_and_resume(tmp_path, config):
    path = write_config(tmp_path / "ppo.grpo.json", config)
    run = str(tmp_path / "run")
    result = run_cli(["--config", path, "--run-dir", run], timeout=120)
    assert result.returncode == 0, result.stderr
    metrics = [m for m in read_jsonl(os.path.join(run, "metrics.jsonl")) if "step" in m]
    checkpoint = os.path.join(run, "checkpoints", "step-000002")
    resumed = run_cli(["--resume", checkpoint, "--config", path], timeout=120)
    assert resumed.returncode == 0, resumed.stderr
    again = [m for m in read_jsonl(os.path.join(run, "metrics.jsonl")) if "step" in m]
    for key in ("reward", "value_loss", "explained_variance", "loss"):
        assert again[-1][key] == metrics[len(metrics) - 1][key], key  # the critic came back too
    return metrics, read_jsonl(os.path.join(run, "samples.jsonl"))


def test_ppo_language_run_one_sample_per_prompt(tmp_path):
    config = tiny_config(algorithm="ppo", max_steps=3, checkpoint_every=1, save_total_limit=5,
                         warm_start={"steps": 20, "batch_size": 16, "learning_rate": 0.003})
    config.pop("num_generations")
    metrics, samples = run_and_resume(tmp_path, config)
    assert [m["step"] for m in metrics] == [1, 2, 3]
    assert all("value_loss" in m and "explained_variance" in m and "reward_std" not in m for m in metrics)
    assert all(len(s["completions"]) == 1 for s in samples)


def test_ppo_battleship_run(tmp_path):
    config = dict(PPO, max_steps=3, checkpoint_every=1, save_total_limit=5)
    metrics, samples = run_and_resume(tmp_path, config)
    assert all(m["value_loss"] >= 0 and "battleship/win_rate" in m for m in metrics)
    assert "trajectory" in samples[0]["completions"][0]


@pytest.mark.parametrize("overrides,message", [
    ({"num_generations": 1}, "num_generations"),
    ({"algorithm": "ppo", "model": {"type": "hf", "path": "x"}}, "algorithm"),
])
def test_config_errors(tmp_path, overrides, message):
    with pytest.raises(ConfigError, match=message):
        Trainer(resolve_config(tiny_config(**overrides)), RunDir(str(tmp_path)))
