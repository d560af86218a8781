"""GSM8K-format JSONL: one {"question", "answer"} per line, the answer ending "#### N".
One use of the general prompts file (dataset.py) with a fixed field mapping."""
import os

from ..errors import DataError
from . import Problem
from .dataset import answer_of, epoch_order, prompt_of, read_rows

SAMPLE_PATH = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                           "data", "gsm8k_sample.jsonl")
INSTRUCT = ("{question}\nThink step by step inside <think></think>, "
            "then give the final number inside <answer></answer>.")
HINT = ' (a GSM8K line is {"question", "answer"})'


def final_answer(answer):
    """The number after '####', without thousands separators."""
    if "####" not in answer:
        raise ValueError("answer has no '#### N' line")
    return answer.split("####")[-1].strip().replace(",", "")


def load_examples(path):
    """Every example of the file; a DataError names the file and the first bad line."""
    return [_example(row, where) for where, row in read_rows(path)]


def _example(row, where):
    question = prompt_of(row, "question", where, HINT)
    if not isinstance(question, str):
        raise DataError(f'{where}: "question" is not a string{HINT}')
    answer = answer_of(row, "answer", where, HINT)
    if "####" not in answer:
        raise DataError(f"{where}: \"answer\" has no '#### N' line")
    return question, answer, final_answer(answer)


class GSM8KTask:
    name = "gsm8k"

    def __init__(self, task_config, seed):
        self.examples = load_examples(task_config.get("path") or SAMPLE_PATH)
        self.style = task_config.get("prompt_style", "bare")
        self.seed = seed

    def problem(self, index):
        """Example at a data position: each epoch is a fresh shuffle from the seed."""
        question, answer, reference = self.examples[epoch_order(len(self.examples), self.seed, index)]
        reasoning = answer.split("####")[0].strip()
        target = f"<think>{reasoning}</think><answer>{reference}</answer>"
        prompt = INSTRUCT.format(question=question) if self.style == "instruct" else f"{question}\nAnswer: "
        return Problem(prompt=prompt, reference=reference, target=target)
