"""Environments: tasks whose completion is a multi-step episode scored at its end.

An environment is a task with `episodic = True`; the trainer plays G games per board
(a group), scores each game with the environment's own reward components, and applies
the GRPO math of grpo.py per action (envs/step.py).
"""
import torch

from ..config import ConfigError

ENVIRONMENTS = ("battleship",)


def is_environment(task_config):
    return task_config["name"] in ENVIRONMENTS


def check_environment_config(config):
    """What an environment run cannot use, as config errors; fills what it implies:
    max_completion_length is the shot limit, and "auto" exports no ONNX graph (the board
    policy has no tokens)."""
    if config["model"]["type"] != "board":
        raise ConfigError(f"config error: model.type: the {config['task']['name']} environment needs "
                          f"the \"board\" policy, not \"{config['model']['type']}\"")
    if config.get("warm_start", {}).get("steps", 0) > 0:
        raise ConfigError("config error: warm_start.steps: an environment has no target answers "
                          "for a supervised warm start (set it to 0)")
    if config.get("export_onnx") is True:
        raise ConfigError("config error: export_onnx: the board policy has no token graph to export")
    config["export_onnx"] = False
    task = config["task"]
    size = task.get("board_size", 5)
    config["max_completion_length"] = task.get("max_shots", size * size)


class EnvironmentRewards:
    """The config's reward components, taken from each game's terminal reward components."""

    def __init__(self, reward_configs, known):
        self.components = []
        for i, cfg in enumerate(reward_configs):
            if cfg["name"] not in known or "function" in cfg:
                raise ConfigError(f"config error: rewards[{i}].name: the environment rewards are "
                                  f"{', '.join(known)} (no reward functions)")
            self.components.append((cfg["name"], float(cfg.get("weight", 1.0))))

    @property
    def names(self):
        return [name for name, _ in self.components]

    def score(self, games):
        """(total reward per game [N] float32, [{name: value}] per game)."""
        components = [{name: game.rewards()[name] for name in self.names} for game in games]
        totals = [sum(w * c[name] for name, w in self.components) for c in components]
        return torch.tensor(totals, dtype=torch.float32), components


def environment_parts(config, device):
    """(rewards, task, policy) of an environment run, after checking its config."""
    from .battleship import REWARD_NAMES, BattleshipTask, BoardError
    from .policy import BoardPolicy
    check_environment_config(config)
    try:
        task = BattleshipTask(config["task"], config["seed"])
    except BoardError as e:
        raise ConfigError(f"config error: task.ships: {e}") from None
    rewards = EnvironmentRewards(config["rewards"], REWARD_NAMES)
    return rewards, task, BoardPolicy(config["model"], task.num_cells, device)
