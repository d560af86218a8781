"""GSM8K-format JSONL: one {"question", "answer"} per line, the answer ending "#### N"."""
import json
import os
import random

from ..errors import DataError
from . import Problem

SAMPLE_PATH = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                           "data", "gsm8k_sample.jsonl")
INSTRUCT = ("{question}\nThink step by step inside <think></think>, "
            "then give the final number inside <answer></answer>.")


def final_answer(answer):
    """The number after '####', without thousands separators."""
    if "####" not in answer:
        raise ValueError("answer has no '#### N' line")
    return answer.split("####")[-1].strip().replace(",", "")


def load_examples(path):
    """Every example of the file; a DataError names the file and the first bad line."""
    try:
        with open(path, "rb") as f:
            raw_lines = f.read().split(b"\n")
    except OSError as e:
        raise DataError(f"data error: cannot read {path}: {e.strerror}") from None
    examples = []
    for lineno, raw in enumerate(raw_lines, 1):
        if raw.strip():
            examples.append(_example(raw, f"data error: {path} line {lineno}"))
    if not examples:
        raise DataError(f"data error: {path}: no examples (empty)")
    return examples


def _example(raw, where):
    try:
        row = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise DataError(f"{where}: not UTF-8 text") from None
    except ValueError as e:
        raise DataError(f"{where}: not valid JSON ({e.msg} at column {e.colno})") from None
    if not isinstance(row, dict):
        raise DataError(f"{where}: not a JSON object")
    for field in ("question", "answer"):
        if not isinstance(row.get(field), str):
            problem = "missing" if field not in row else "not a string"
            raise DataError(f'{where}: "{field}" is {problem} (a GSM8K line is {{"question", "answer"}})')
    if "####" not in row["answer"]:
        raise DataError(f"{where}: \"answer\" has no '#### N' line")
    return row["question"], row["answer"], final_answer(row["answer"])


class GSM8KTask:
    name = "gsm8k"

    def __init__(self, task_config, seed):
        self.examples = load_examples(task_config.get("path") or SAMPLE_PATH)
        self.style = task_config.get("prompt_style", "bare")
        self.seed = seed

    def problem(self, index):
        """Example at a data position: each epoch is a fresh shuffle from the seed."""
        epoch, offset = divmod(index, len(self.examples))
        order = list(range(len(self.examples)))
        random.Random(self.seed * 7919 + epoch).shuffle(order)
        question, answer, reference = self.examples[order[offset]]
        reasoning = answer.split("####")[0].strip()
        target = f"<think>{reasoning}</think><answer>{reference}</answer>"
        prompt = INSTRUCT.format(question=question) if self.style == "instruct" else f"{question}\nAnswer: "
        return Problem(prompt=prompt, reference=reference, target=target)
