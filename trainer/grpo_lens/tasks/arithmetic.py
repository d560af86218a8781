"""Synthetic arithmetic problems, generated from the seed and the data position."""
import random

from . import Problem

DIFFICULTIES = {
    "easy": {"max_operand": 9, "operations": ["+"]},
    "medium": {"max_operand": 99, "operations": ["+", "-"]},
    "hard": {"max_operand": 99, "operations": ["+", "-", "*"]},
}

INSTRUCT = ("What is {expr}? Think step by step inside <think></think>, "
            "then give the number inside <answer></answer>.")


class ArithmeticTask:
    name = "arithmetic"

    def __init__(self, task_config, seed):
        preset = DIFFICULTIES[task_config.get("difficulty", "easy")]
        self.max_operand = task_config.get("max_operand", preset["max_operand"])
        self.operations = task_config.get("operations", preset["operations"])
        self.style = task_config.get("prompt_style", "bare")
        self.seed = seed

    def problem(self, index):
        rng = random.Random(self.seed * 1_000_003 + index)
        a, b = rng.randint(0, self.max_operand), rng.randint(0, self.max_operand)
        op = rng.choice(self.operations)
        value = {"+": a + b, "-": a - b, "*": a * b}[op]
        expr = f"{a}{op}{b}"
        if self.style == "bare":
            return Problem(prompt=f"{expr}=", reference=str(value), target=str(value))
        target = f"<think>{expr} = {value}</think><answer>{value}</answer>"
        return Problem(prompt=INSTRUCT.format(expr=expr), reference=str(value), target=target)
