"""A GSM8K-style data file that cannot be used stops the run before the first step, with a
reason naming the file and the line (exit code 2, like an invalid config)."""
import json
import os

import pytest

from helpers import events, read_status, run_cli, tiny_config, write_config

GOOD = json.dumps({"question": "What is 2+2?", "answer": "2+2=4\n#### 4"}) + "\n"


def run_on(tmp_path, data):
    path = tmp_path / "train.jsonl"
    path.write_bytes(data)
    config = tiny_config(task={"name": "gsm8k", "path": "train.jsonl"}, warm_start={"steps": 0}, max_steps=2,
                         model={"type": "tiny", "n_layer": 1, "n_head": 2, "n_embd": 32, "block_size": 256})
    run = str(tmp_path / "run")
    result = run_cli(["--config", write_config(tmp_path / "c.grpo.json", config), "--run-dir", run])
    return result, run, str(path)


@pytest.mark.parametrize("data,problem", [
    (GOOD + json.dumps({"question": "q"}) + "\n", 'line 2: "answer" is missing'),
    (GOOD + GOOD + '{"question": "q", "answer": \n', "line 3: not valid JSON"),
    (GOOD + b"\xff\xfe bad bytes\n".decode("latin-1"), "line 2: not UTF-8 text"),
    (GOOD + json.dumps(["q", "a"]) + "\n", "line 2: not a JSON object"),
    (GOOD + json.dumps({"question": "q", "answer": "4"}) + "\n", "line 2: \"answer\" has no '#### N' line"),
])
def test_bad_line_names_file_and_line(tmp_path, data, problem):
    raw = data.encode("latin-1") if "not UTF-8" in problem else data.encode("utf-8")
    result, run, path = run_on(tmp_path, raw)
    reason = read_status(run)["error"]
    assert result.returncode == 2, result.stderr
    assert reason.startswith(f"data error: {path} {problem}")
    assert read_status(run)["state"] == "failed" and events(run, "failed")[-1]["message"] == reason
    assert not os.path.exists(os.path.join(run, "metrics.jsonl"))  # before the first step
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("data", [b"", b"\n  \n"])
def test_empty_file(tmp_path, data):
    result, run, path = run_on(tmp_path, data)
    assert result.returncode == 2
    assert read_status(run)["error"] == f"data error: {path}: no examples (empty)"


def test_missing_file(tmp_path):
    config = tiny_config(task={"name": "gsm8k", "path": "nowhere.jsonl"})
    run = str(tmp_path / "run")
    result = run_cli(["--config", write_config(tmp_path / "c.grpo.json", config), "--run-dir", run])
    assert result.returncode == 2
    assert read_status(run)["error"] == (f"data error: cannot read {tmp_path / 'nowhere.jsonl'}: "
                                         "No such file or directory")
