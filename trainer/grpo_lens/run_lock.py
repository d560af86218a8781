"""The run directory's lock: one process writes a run at a time.

`<run>/.lock` is held with an exclusive flock(2) for as long as the trainer runs; the
kernel drops it when the process ends, however it ends, so a crash never leaves a run
locked.  The file says who holds it (pid, host, start time) so that a second trainer
(a second resume of the same run) is refused with a message naming that process.
"""
import json
import os
import socket
import time

try:
    import fcntl
except ImportError:  # Windows: no flock; the lock is advisory there and not taken
    fcntl = None

LOCK_FILE = ".lock"


class RunLocked(Exception):
    """Another process holds the run directory."""


def holder_text(path):
    try:
        with open(path, encoding="utf-8") as f:
            h = json.load(f)
        return f"process {h.get('pid')} on {h.get('host')} (started {time.ctime(h.get('started', 0))})"
    except (OSError, ValueError, AttributeError):
        return "another process"


def acquire(run_path):
    """Takes the lock of run_path (created if missing); returns the open file that holds it."""
    os.makedirs(run_path, exist_ok=True)
    path = os.path.join(run_path, LOCK_FILE)
    f = open(path, "a+", encoding="utf-8")
    if fcntl is None:
        return f
    try:
        fcntl.flock(f.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        f.close()
        raise RunLocked(f"{os.path.abspath(run_path)} is being written by {holder_text(path)}: "
                        "stop that run first, or resume into a new run directory") from None
    f.seek(0)
    f.truncate()
    f.write(json.dumps({"pid": os.getpid(), "host": socket.gethostname(), "started": time.time()}))
    f.flush()
    return f
