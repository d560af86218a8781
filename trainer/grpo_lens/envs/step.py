"""One GRPO step on an environment: play G games per board, score them at the end, and
apply grpo.py's loss per action (each shot is one 'token' of the game's completion)."""
import time

import torch

from .. import grpo
from ..step import step_metrics, sync_reference, update
from ..step_clock import StepClock
from .battleship import game_text
from .play import play


def env_forward(trainer, model, batch, want_entropy=False):
    """Log-prob of each shot under model (the policy when None): [N, T], and the entropy."""
    views, actions = batch
    n, t, cells = views.shape
    net = trainer.policy.model if model is None else model
    logits = net(views.reshape(n * t, cells).to(trainer.device)).float().view(n, t, cells)
    temperature = trainer.config["temperature"]
    logp = grpo.token_logprobs(logits, actions.to(trainer.device), temperature)
    # with its graph: entropy_coef's bonus needs the gradient (metrics take float())
    return logp, (grpo.token_entropy(logits, temperature) if want_entropy else None)


def env_step(trainer):
    """Run step trainer.step + 1 of an environment run; returns (metric line, sample lines)."""
    cfg, clock = trainer.config, StepClock(trainer.device)
    start = clock.start
    step = trainer.step + 1
    boards = [trainer.task.problem(trainer.data_position + i) for i in range(cfg["prompts_per_step"])]
    model = trainer.policy.model
    model.eval()
    episodes = play(model, boards, cfg["num_generations"], cfg["temperature"], trainer.sampling_generator)
    model.train()
    t_generate = clock.now()
    rewards, components = trainer.rewards.score(episodes.games)
    advantages = grpo.group_advantages(rewards, cfg["num_generations"], cfg["scale_rewards"])
    t_reward = clock.now()
    batch, mask = (episodes.views, episodes.actions), episodes.mask.to(trainer.device)
    ref_logp = None
    if trainer.reference is not None:
        with torch.no_grad():
            ref_logp, _ = env_forward(trainer, trainer.reference, batch)
    t_reference = clock.now()
    beta = grpo.beta_at(step, cfg["max_steps"], cfg["beta"], cfg["beta_schedule"], cfg["beta_final"])
    lr = trainer.scheduler.get_last_lr()[0]
    updated = update(trainer, batch, advantages.to(trainer.device), mask, ref_logp, beta, forward=env_forward)
    trainer.scheduler.step()
    sync_reference(trainer, step)
    t_update = clock.now()
    trainer.step, trainer.data_position = step, trainer.data_position + len(boards)
    metrics = step_metrics(trainer, episodes, rewards, components, updated)
    metrics.update(game_metrics(episodes))
    metrics.update({"step": step, "lr": lr, "beta": beta, "timing/generate_s": t_generate - start,
                    "timing/reward_s": t_reward - t_generate, "timing/reference_s": t_reference - t_reward,
                    "timing/update_s": t_update - t_reference, "timing/step_s": t_update - start,
                    "tokens_per_s": float(mask.sum()) / max(t_update - start, 1e-9), "time": time.time()})
    metrics.update(clock.memory())
    return metrics, sample_lines(trainer, step, boards, episodes, rewards, components, advantages, ref_logp)


def game_metrics(episodes):
    """How the step's games went: the fraction won, and the mean shots of those won."""
    won = [len(g.shots) for g in episodes.games if g.won]
    return {"battleship/win_rate": len(won) / len(episodes.games),
            "battleship/shots_to_win": sum(won) / len(won) if won else None}


def sample_lines(trainer, step, boards, episodes, rewards, components, advantages, ref_logp):
    """One samples.jsonl line per board: its G games, each with its trajectory."""
    cfg, g = trainer.config, trainer.config["num_generations"]
    refs = ref_logp.tolist() if ref_logp is not None else None
    lines = []
    for j, board in enumerate(boards):
        completions = []
        for i in range(j * g, (j + 1) * g):
            game, shots = episodes.games[i], episodes.shots[i]
            trajectory = [dict(s, ref_logprob=round(refs[i][k], 6) if refs is not None else None)
                          for k, s in enumerate(shots)]
            c = {"text": game_text(game), "reward": float(rewards[i]), "rewards": components[i],
                 "advantage": float(advantages[i]), "num_tokens": len(shots), "truncated": not game.won,
                 "trajectory": trajectory}
            if cfg["log_token_details"]:
                n = min(len(shots), cfg["samples_max_tokens"])
                c["tokens"] = [s["cell"] for s in trajectory[:n]]
                c["logprobs"] = [s["logprob"] for s in trajectory[:n]]
                c["ref_logprobs"] = [s["ref_logprob"] for s in trajectory[:n]] if refs is not None else None
            completions.append(c)
        lines.append({"step": step, "group": j, "prompt": board.describe(), "reference": board.layout(),
                      "environment": {"name": "battleship", "board_size": board.size, "ships": board.ships,
                                      "max_shots": board.max_shots},
                      "completions": completions})
    return lines
