"""The run directory writer (format grpo-lens/1): atomic JSON files and append-only JSONL.

Every JSONL line is one os.write of a complete line ending in '\n' on an O_APPEND file,
so a reader never sees half a line from a live trainer and a crash loses nothing that
was written before it.  JSON files are replaced atomically (temp file, fsync, rename).
"""
import json
import math
import os
import time


def _finite(value):
    """JSON has no NaN or Infinity: write non-finite numbers as null."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_finite(v) for v in value]
    return value


def dumps(obj):
    return json.dumps(_finite(obj), ensure_ascii=False, separators=(",", ":"))


def write_json_atomic(path, obj):
    tmp = f"{path}.tmp-{os.getpid()}"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(json.dumps(_finite(obj), ensure_ascii=False, indent=2) + "\n")
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def read_starting_run_json(path):
    """The run.json written before the config loaded (its config is null), or None when
    there is none or it is complete."""
    try:
        with open(path, encoding="utf-8") as f:
            line = json.load(f)
    except (OSError, ValueError):
        return None
    return line if isinstance(line, dict) and line.get("config") is None else None


class JsonlFile:
    """Append-only JSON Lines; one write per line."""

    def __init__(self, path):
        self.path = path
        self.fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        self._end_torn_line()

    def _end_torn_line(self):
        # a crash mid-write may have left a last line without '\n': end it so that the
        # next line starts clean (readers skip the torn line)
        size = os.fstat(self.fd).st_size
        if size:
            with open(self.path, "rb") as f:
                f.seek(size - 1)
                if f.read(1) != b"\n":
                    os.write(self.fd, b"\n")

    def write(self, obj):
        data = (dumps(obj) + "\n").encode("utf-8")
        while data:
            n = os.write(self.fd, data)
            data = data[n:]

    def close(self):
        os.close(self.fd)


class RunDir:
    """Owns the files of one run directory."""

    def __init__(self, path):
        self.path = os.path.abspath(path)
        os.makedirs(self.path, exist_ok=True)
        self.status = {"state": "starting", "pid": os.getpid(), "step": 0, "total_steps": None,
                       "updated": time.time(), "last_checkpoint": None, "error": None}
        self._files = {}

    def file(self, name):
        return os.path.join(self.path, name)

    def jsonl(self, name):
        if name not in self._files:
            self._files[name] = JsonlFile(self.file(name))
        return self._files[name]

    def event(self, event, **fields):
        self.jsonl("events.jsonl").write({"time": time.time(), "event": event, **fields})

    def metrics(self, line):
        self.jsonl("metrics.jsonl").write(line)

    def sample(self, line):
        self.jsonl("samples.jsonl").write(line)

    def set_status(self, **fields):
        self.status.update(fields, updated=time.time(), pid=os.getpid())
        write_json_atomic(self.file("status.json"), self.status)

    def read_status(self):
        try:
            with open(self.file("status.json"), encoding="utf-8") as f:
                return json.load(f)
        except (OSError, ValueError):
            return None

    def acked_ids(self, include_ignored=False):
        """Ids of control commands already acknowledged (by this or an earlier process);
        with include_ignored, also those a process ignored as stale (control.py)."""
        ids = set()
        try:
            with open(self.file("events.jsonl"), encoding="utf-8") as f:
                for line in f:
                    try:
                        e = json.loads(line)
                    except ValueError:
                        continue
                    if not isinstance(e, dict):
                        continue
                    if e.get("event") == "ack":
                        ids.add(e.get("id"))
                    elif (include_ignored and e.get("event") == "warning"
                          and isinstance(e.get("ignored_ids"), list)):
                        ids.update(i for i in e["ignored_ids"] if isinstance(i, (str, int, float)))
        except OSError:
            pass
        return ids

    def close(self):
        for f in self._files.values():
            f.close()
        self._files = {}


class QuietRun(RunDir):
    """The run as a rank other than 0 sees it under torchrun: same path and in-memory
    status, nothing written (rank 0 alone writes the run directory)."""

    def __init__(self, path):
        self.path = os.path.abspath(path)
        self.status = {"state": "starting", "pid": os.getpid(), "step": 0, "total_steps": None,
                       "updated": time.time(), "last_checkpoint": None, "error": None}
        self._files = {}

    def event(self, event, **fields):
        pass

    def metrics(self, line):
        pass

    def sample(self, line):
        pass

    def set_status(self, **fields):
        self.status.update(fields, updated=time.time(), pid=os.getpid())

    def acked_ids(self, include_ignored=False):
        return set()
