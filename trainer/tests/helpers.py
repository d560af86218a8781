"""Shared helpers of the trainer tests: small configs, CLI subprocesses, waiting on files."""
import json
import os
import subprocess
import sys
import time

TRAINER_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TEST_CONFIG = os.path.join(TRAINER_DIR, "configs", "tiny-test.grpo.json")


def tiny_config(**overrides):
    """The tiny-test config (comments stripped) with overrides."""
    from grpo_lens.config import parse_config_text
    with open(TEST_CONFIG, encoding="utf-8") as f:
        config = parse_config_text(f.read())
    config.pop("$schema", None)
    config.update(overrides)
    return config


def write_config(path, config):
    with open(path, "w", encoding="utf-8") as f:
        json.dump(config, f)
    return str(path)


def start_cli(args, **kwargs):
    env = dict(os.environ, PYTHONPATH=TRAINER_DIR, GRPO_LENS_LOG_REDIRECTED="0")
    return subprocess.Popen([sys.executable, "-m", "grpo_lens", *args], cwd=TRAINER_DIR, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kwargs)


def run_cli(args, stdin=None, timeout=60):
    env = dict(os.environ, PYTHONPATH=TRAINER_DIR)
    return subprocess.run([sys.executable, "-m", "grpo_lens", *args], cwd=TRAINER_DIR, env=env, input=stdin,
                          capture_output=True, text=True, timeout=timeout)


def read_jsonl(path, allow_torn_last=False):
    """Parse every line; only the very last line may be torn (when allowed)."""
    if not os.path.exists(path):
        return []
    with open(path, encoding="utf-8") as f:
        text = f.read()
    lines = text.split("\n")
    tail = lines.pop()  # text after the last '\n'
    rows = [json.loads(line) for line in lines if line]
    if tail:
        assert allow_torn_last, f"{path} ends without a newline"
    return rows


def read_status(run_dir):
    with open(os.path.join(run_dir, "status.json"), encoding="utf-8") as f:
        return json.load(f)


def wait_for(predicate, timeout=60, what="condition"):
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            value = predicate()
        except (OSError, ValueError):
            value = None
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def events(run_dir, name=None):
    rows = read_jsonl(os.path.join(run_dir, "events.jsonl"), allow_torn_last=True)
    return [e for e in rows if name is None or e["event"] == name]


def send(run_dir, cid, command):
    line = json.dumps({"id": cid, "command": command, "time": time.time()}) + "\n"
    with open(os.path.join(run_dir, "control.jsonl"), "a", encoding="utf-8") as f:
        f.write(line)
