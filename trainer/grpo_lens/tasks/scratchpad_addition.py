"""Two-digit addition with a short scratchpad: the demo task that shows reasoning.

    prompt      47+35=
    target      <think>7+5=12 carry 1, 4+3+1=8</think><answer>82</answer>

The scratchpad is the school method, units first: the units digits and their sum, the
carry, then the tens digits plus the carry.  Its shape never changes (the carry is always
written, 0 or 1), so a tiny character-level model can learn where each digit comes from;
the answer is the tens sum followed by the units digit of the first sum.

`scratchpad_steps(prompt)` gives the two steps a correct scratchpad holds; the
`scratchpad` reward (rewards/builtin.py) checks a completion's steps against them.
With `slip_rate` the warm start's worked examples hold slips (see the class).
"""
import random
import re

from . import Problem

_PROMPT = re.compile(r"^\s*(\d{1,2})\+(\d{1,2})=\s*$")


def scratchpad(a, b):
    """The scratchpad (the text inside <think>) for a + b, with 0 <= a, b <= 99."""
    units = a % 10 + b % 10
    carry = units // 10
    tens = a // 10 + b // 10 + carry
    return f"{a % 10}+{b % 10}={units} carry {carry}, {a // 10}+{b // 10}+{carry}={tens}"


def miscopied(answer, slip):
    """answer with its last digit off by slip (-1 or +1, modulo 10): a copying slip."""
    return answer[:-1] + str((int(answer[-1]) + slip) % 10)


def target(a, b, slip=0):
    """The worked example: the scratchpad, then the answer copied from it (with a slip of
    -1 or +1 in its last digit when slip is not 0)."""
    answer = str(a + b)
    return f"<think>{scratchpad(a, b)}</think><answer>{miscopied(answer, slip) if slip else answer}</answer>"


def operands(prompt):
    """(a, b) of a prompt 'a+b=', or None when the prompt is not one of this task's."""
    m = _PROMPT.match(prompt or "")
    return (int(m.group(1)), int(m.group(2))) if m else None


def scratchpad_steps(prompt):
    """The two steps of a correct scratchpad for prompt: ['7+5=12', '4+3+1=8'], or None."""
    ab = operands(prompt)
    if ab is None:
        return None
    units_step, rest = scratchpad(*ab).split(" carry ")
    return [units_step, rest.split(", ")[1]]


class ScratchpadAdditionTask:
    """Operands 10..99 by default (two digits each), drawn from the seed and the position.

    slip_rate: the warm start imitates a careless teacher: with this probability a worked
    example (Problem.target) ends with its answer miscopied from its own, right,
    scratchpad (the last digit off by one).  The reference, which the rewards check, is
    always the true sum.  0 (the default): every worked example is right."""

    name = "scratchpad_addition"

    def __init__(self, task_config, seed):
        self.low = task_config.get("min_operand", 10)
        self.high = task_config.get("max_operand", 99)
        self.slip_rate = task_config.get("slip_rate", 0.0)
        if not 0 <= self.low <= self.high <= 99:
            raise ValueError("task: scratchpad_addition needs 0 <= min_operand <= max_operand <= 99")
        self.seed = seed

    def problem(self, index):
        rng = random.Random(self.seed * 1_000_003 + index)
        a, b = rng.randint(self.low, self.high), rng.randint(self.low, self.high)
        slip = rng.choice((-1, 1)) if rng.random() < self.slip_rate else 0
        return Problem(prompt=f"{a}+{b}=", reference=str(a + b), target=target(a, b, slip))
