"""Tasks: where prompts and reference answers come from.  One module per task.

A task is built from its config and the run seed, and gives `problem(index)`: the
problem at a data position, so that a checkpoint only needs to store that position.
"""
from dataclasses import dataclass


@dataclass
class Problem:
    prompt: str
    reference: str   # the expected final answer, compared by the accuracy reward
    target: str      # a full correct completion, used by the supervised warm start


def _arithmetic(task_config, seed):
    from .arithmetic import ArithmeticTask
    return ArithmeticTask(task_config, seed)


def _gsm8k(task_config, seed):
    from .gsm8k import GSM8KTask
    return GSM8KTask(task_config, seed)


def _scratchpad_addition(task_config, seed):
    from .scratchpad_addition import ScratchpadAdditionTask
    return ScratchpadAdditionTask(task_config, seed)


TASKS = {"arithmetic": _arithmetic, "gsm8k": _gsm8k, "scratchpad_addition": _scratchpad_addition}


def build_task(task_config, seed):
    return TASKS[task_config["name"]](task_config, seed)
