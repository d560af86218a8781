"""Prompts from a JSONL or Parquet file, as TRL users have them: one row per prompt, with a
field mapping (`prompt_field`, `answer_field`).  The prompt is plain text or a list of chat
messages ({"role", "content"}); every other column travels with the prompt to the rewards
(TRL passes dataset columns to reward functions as keyword arguments)."""
import json
import os
import random

from ..errors import DataError
from . import Problem, PromptText

PARQUET_SUFFIXES = (".parquet", ".pq")


def read_rows(path):
    """[(where, row)] of the file; where names the file and the line (or row) for messages."""
    if path.lower().endswith(PARQUET_SUFFIXES):
        return _parquet_rows(path)
    try:
        with open(path, "rb") as f:
            raw_lines = f.read().split(b"\n")
    except OSError as e:
        raise DataError(f"data error: cannot read {path}: {e.strerror}") from None
    rows = []
    for lineno, raw in enumerate(raw_lines, 1):
        if raw.strip():
            where = f"data error: {path} line {lineno}"
            rows.append((where, _json_row(raw, where)))
    if not rows:
        raise DataError(f"data error: {path}: no examples (empty)")
    return rows


def _json_row(raw, where):
    try:
        row = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise DataError(f"{where}: not UTF-8 text") from None
    except ValueError as e:  # a torn or broken line
        raise DataError(f"{where}: not valid JSON ({e.msg} at column {e.colno})") from None
    if not isinstance(row, dict):
        raise DataError(f"{where}: not a JSON object")
    return row


def _parquet_rows(path):
    try:
        import pyarrow.parquet as pq
    except ImportError:
        raise DataError(f"data error: {path} is a Parquet file, and reading it needs the Python package "
                        f"'pyarrow', which is not installed (pip install pyarrow; or convert it to "
                        f"JSONL)") from None
    if not os.path.isfile(path):
        raise DataError(f"data error: cannot read {path}: No such file or directory")
    try:
        records = pq.read_table(path).to_pylist()
    except Exception as e:  # noqa: BLE001 - pyarrow raises several types for a damaged file
        reason = f"{type(e).__name__}: {e}"
        raise DataError(f"data error: {path}: not a readable Parquet file ({reason})") from None
    if not records:
        raise DataError(f"data error: {path}: no examples (empty)")
    return [(f"data error: {path} row {i}", row) for i, row in enumerate(records, 1)]


def prompt_of(row, field, where, hint=""):
    """The prompt of a row: text, or a list of {"role", "content"} messages (conversational)."""
    value = _required(row, field, where, hint)
    if isinstance(value, str):
        return value
    if isinstance(value, list) and value and all(_is_message(m) for m in value):
        return [{"role": m["role"], "content": m["content"]} for m in value]
    raise DataError(f'{where}: "{field}" is {_kind(value)}, not text or a list of '
                    f'{{"role", "content"}} messages{hint}')


def answer_of(row, field, where, hint=""):
    """The reference answer as text (a number is written as text)."""
    value = _required(row, field, where, hint)
    if isinstance(value, str):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    raise DataError(f'{where}: "{field}" is {_kind(value)}, not a string{hint}')


def _required(row, field, where, hint):
    if field not in row or row[field] is None:
        present = ", ".join(sorted(map(str, row))) or "none"
        raise DataError(f'{where}: "{field}" is missing{hint or f" (the row has: {present})"}')
    return row[field]


def _is_message(m):
    return isinstance(m, dict) and isinstance(m.get("role"), str) and isinstance(m.get("content"), str)


def _kind(value):
    kinds = {list: "a list", dict: "an object", bool: "a boolean", int: "a number", float: "a number"}
    return kinds.get(type(value), f"a {type(value).__name__}")


def messages_text(messages):
    """A conversation as one text, for the run's samples and for a model without a chat template."""
    return "\n".join(f"{m['role']}: {m['content']}" for m in messages)


def epoch_order(n, seed, index):
    """(epoch, position) of a data index: each epoch is a fresh shuffle from the seed."""
    epoch, offset = divmod(index, n)
    order = list(range(n))
    random.Random(seed * 7919 + epoch).shuffle(order)
    return order[offset]


class DatasetTask:
    name = "dataset"

    def __init__(self, task_config, seed):
        path = task_config["path"]
        prompt_field = task_config.get("prompt_field", "prompt")
        answer_field = task_config.get("answer_field", "answer")
        self.examples = []
        for where, row in read_rows(path):
            prompt = prompt_of(row, prompt_field, where)
            answer = answer_of(row, answer_field, where) if answer_field else None
            extra = {k: v for k, v in row.items() if k != prompt_field}
            self.examples.append((prompt, answer, extra))
        self.seed = seed

    def problem(self, index):
        prompt, answer, extra = self.examples[epoch_order(len(self.examples), self.seed, index)]
        if isinstance(prompt, list):
            text = PromptText(messages_text(prompt), messages=prompt, extra=extra)
        else:
            text = PromptText(prompt, extra=extra)
        return Problem(prompt=text, reference=answer, target=answer or "")
