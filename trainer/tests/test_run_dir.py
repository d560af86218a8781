import json
import math
import os

from grpo_lens.control import Mailbox
from grpo_lens.run_dir import JsonlFile, RunDir


def test_jsonl_ends_a_torn_line_before_appending(tmp_path):
    path = tmp_path / "metrics.jsonl"
    path.write_text('{"step": 1}\n{"step": 2, "los')  # a crash mid-line
    f = JsonlFile(str(path))
    f.write({"step": 2, "loss": math.nan})
    f.close()
    lines = path.read_text().split("\n")
    assert lines[-1] == "" and json.loads(lines[-2]) == {"step": 2, "loss": None}
    assert lines[1] == '{"step": 2, "los'


def test_status_is_replaced_atomically(tmp_path):
    run = RunDir(str(tmp_path))
    run.set_status(state="running", step=3)
    status = json.loads((tmp_path / "status.json").read_text())
    assert status["state"] == "running" and status["pid"] == os.getpid() and status["updated"] > 0
    assert [p for p in os.listdir(tmp_path) if ".tmp" in p] == []


def test_mailbox_reads_complete_lines_once(tmp_path):
    path = tmp_path / "control.jsonl"
    box = Mailbox(str(path), skip_ids={"old"})
    assert box.poll() == []
    with open(path, "a") as f:
        f.write('{"id": "old", "command": "stop"}\n{"id": "a", "command": "pause"}\n{"id": "b", "comm')
    assert [c["id"] for c in box.poll()] == ["a"]
    with open(path, "a") as f:
        f.write('and": "resume"}\nnot json\n{"id": "a", "command": "pause"}\n')
    cmds = box.poll()
    assert cmds[0] == {"id": "b", "command": "resume"} and "invalid" in cmds[1] and len(cmds) == 2
    assert box.poll() == []
