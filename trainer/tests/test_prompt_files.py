"""Prompts from JSONL and Parquet files with a field mapping (tasks/dataset.py)."""
import json

import pytest

from grpo_lens.config import ConfigError, resolve_config
from grpo_lens.errors import DataError
from grpo_lens.tasks import build_task
from grpo_lens.tasks.dataset import read_rows
from helpers import tiny_config

CHAT = [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "2+2?"}]


def write_jsonl(tmp_path, rows, name="data.jsonl"):
    path = tmp_path / name
    lines = [(r if isinstance(r, str) else json.dumps(r)) + "\n" for r in rows]
    path.write_text("".join(lines), encoding="utf-8")
    return str(path)


def test_plain_prompts_answers_and_columns(tmp_path):
    path = write_jsonl(tmp_path, [{"problem": "1+1?", "solution": 2, "level": "easy"},
                                  {"problem": "2+5?", "solution": "7", "level": "hard"}])
    task = build_task({"name": "dataset", "path": path, "prompt_field": "problem",
                       "answer_field": "solution"}, seed=0)
    problems = {task.problem(i).prompt: task.problem(i) for i in range(2)}
    assert sorted(problems) == ["1+1?", "2+5?"]  # one epoch visits every row once
    p = problems["1+1?"]
    assert p.reference == "2" and p.prompt.messages is None  # a number answer becomes text
    assert p.prompt.extra == {"solution": 2, "level": "easy"}  # every column but the prompt


def test_chat_message_prompts(tmp_path):
    path = write_jsonl(tmp_path, [{"prompt": CHAT, "answer": "4"}])
    p = build_task({"name": "dataset", "path": path}, seed=0).problem(0)
    assert p.prompt.messages == CHAT
    assert str(p.prompt) == "system: Be brief.\nuser: 2+2?"  # the text samples.jsonl shows


def test_no_answer_field(tmp_path):
    path = write_jsonl(tmp_path, [{"prompt": "Write a haiku."}])
    p = build_task({"name": "dataset", "path": path, "answer_field": ""}, seed=0).problem(0)
    assert p.reference is None and p.prompt == "Write a haiku."


@pytest.mark.parametrize("rows,problem", [
    ([{"prompt": "a", "answer": "1"}, '{"prompt": "b", "ans'], 'line 2: not valid JSON'),  # torn line
    ([{"prompt": "a", "answer": "1"}, {"answer": "1"}], 'line 2: "prompt" is missing (the row has: answer)'),
    ([{"prompt": 3, "answer": "1"}], 'line 1: "prompt" is a number, not text or a list of {"role"'),
    ([{"prompt": [{"role": "user"}], "answer": "1"}], 'line 1: "prompt" is a list, not text'),
    ([{"prompt": "a", "answer": ["1"]}], 'line 1: "answer" is a list, not a string'),
    ([{"prompt": "a", "answer": None}], 'line 1: "answer" is missing'),
    (["[1, 2]"], "line 1: not a JSON object"),
])
def test_bad_rows_name_file_and_line(tmp_path, rows, problem):
    path = write_jsonl(tmp_path, rows)
    with pytest.raises(DataError) as e:
        build_task({"name": "dataset", "path": path}, seed=0)
    assert str(e.value).startswith(f"data error: {path} {problem}")


def test_empty_and_missing_files(tmp_path):
    (tmp_path / "empty.jsonl").write_text("\n\n")
    with pytest.raises(DataError, match="no examples"):
        read_rows(str(tmp_path / "empty.jsonl"))
    with pytest.raises(DataError, match="cannot read .*nowhere.jsonl: No such file"):
        read_rows(str(tmp_path / "nowhere.jsonl"))


def test_parquet_without_pyarrow_says_so(tmp_path, monkeypatch):
    import builtins
    real_import = builtins.__import__

    def no_pyarrow(name, *args, **kwargs):
        if name.startswith("pyarrow"):
            raise ImportError("No module named 'pyarrow'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_pyarrow)
    path = tmp_path / "train.parquet"
    path.write_bytes(b"PAR1")
    with pytest.raises(DataError, match=r"train.parquet is a Parquet file, and reading it needs .*'pyarrow'"):
        read_rows(str(path))


def test_parquet_rows():
    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq
    import tempfile
    folder = tempfile.mkdtemp()
    path = f"{folder}/train.parquet"
    pq.write_table(pa.Table.from_pylist([{"prompt": CHAT, "answer": "4", "level": 1},
                                         {"prompt": CHAT, "answer": "5", "level": 2}]), path)
    task = build_task({"name": "dataset", "path": path}, seed=0)
    assert sorted(task.problem(i).reference for i in range(2)) == ["4", "5"]
    assert task.problem(0).prompt.messages == CHAT
    with pytest.raises(DataError, match=r"row 1: \"question\" is missing"):
        build_task({"name": "dataset", "path": path, "prompt_field": "question"}, seed=0)


def test_config_resolves_the_path_and_checks_chat(tmp_path):
    config = resolve_config(tiny_config(task={"name": "dataset", "path": "d.jsonl"}), str(tmp_path))
    assert config["task"]["path"] == str(tmp_path / "d.jsonl")
    assert config["task"]["prompt_field"] == "prompt" and config["top_k"] == 0 and config["min_p"] == 0.0
    with pytest.raises(ConfigError, match="task.path: a dataset task needs"):
        resolve_config(tiny_config(task={"name": "dataset"}))
    with pytest.raises(ConfigError, match="prompt_format: chat needs a Hugging Face model"):
        resolve_config(tiny_config(prompt_format="chat"))
    with pytest.raises(ConfigError, match='system_prompt: needs "prompt_format": "chat"'):
        resolve_config(tiny_config(system_prompt="Be brief."))
    with pytest.raises(ConfigError, match="repetition_penalty: only Hugging Face"):
        resolve_config(tiny_config(repetition_penalty=1.1))
