"""Tasks: where prompts and reference answers come from.  One module per task.

A task is built from its config and the run seed, and gives `problem(index)`: the
problem at a data position, so that a checkpoint only needs to store that position.
"""
from dataclasses import dataclass


class PromptText(str):
    """A prompt as text (what samples.jsonl shows and a plain-format model reads), carrying the
    chat messages it came from (None for a plain prompt) and the other columns of its data
    row, which rewards with TRL's signature receive as keyword arguments (rewards/trl.py)."""

    def __new__(cls, text, messages=None, extra=None):
        obj = super().__new__(cls, text)
        obj.messages, obj.extra = messages, dict(extra or {})
        return obj

    def __reduce__(self):  # pickles (torch.distributed gathers) keep the messages and columns
        return (PromptText, (str(self), self.messages, self.extra))


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


def _dataset(task_config, seed):
    from .dataset import DatasetTask
    return DatasetTask(task_config, seed)


def _scratchpad_addition(task_config, seed):
    from .scratchpad_addition import ScratchpadAdditionTask
    return ScratchpadAdditionTask(task_config, seed)


TASKS = {"arithmetic": _arithmetic, "gsm8k": _gsm8k, "scratchpad_addition": _scratchpad_addition}
TASKS["dataset"] = _dataset  # any JSONL or Parquet file with a field mapping (dataset.py)


def build_task(task_config, seed):
    return TASKS[task_config["name"]](task_config, seed)
