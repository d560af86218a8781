"""GSM8K-format JSONL: one {"question", "answer"} per line, the answer ending "#### N"."""
import json
import os
import random

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
    examples = []
    with open(path, encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                examples.append((row["question"], row["answer"], final_answer(row["answer"])))
            except (ValueError, KeyError) as e:
                where = f"{os.path.basename(path)} line {lineno}"
                raise ValueError(f"{where}: not a GSM8K example ({e})") from None
    if not examples:
        raise ValueError(f"{path}: no examples")
    return examples


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
