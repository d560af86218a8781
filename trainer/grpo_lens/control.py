"""The control mailbox: commands the extension appends to control.jsonl, read at step
boundaries and while paused, plus SIGTERM/SIGINT.  Each command id is acknowledged once
in events.jsonl ({"event": "ack", "id", "command"}).

Commands already in control.jsonl when a process starts, unacknowledged and with a `time`
before the process started (or none), were meant for an earlier process (one that died
before reading them): they are stale, never applied, and listed once in a `warning` event
({"ignored_ids": [...]}) so that a resumed run does not stop or pause at once."""
import json
import os
import signal
import time

COMMANDS = ("pause", "resume", "checkpoint", "stop")
POLL_SECONDS = 0.2
# While paused, status.json is rewritten this often: where the extension cannot ask the
# OS whether a pid is still this trainer (no /proc), a silent status means a dead one.
HEARTBEAT_SECONDS = 30
# Under torchrun a Ctrl-C in a terminal, or Slurm's signal to a job step (scancel, the time
# limit), reaches torchrun and every rank, and torchrun then sends the ranks the signal again
# (and SIGKILL 30 s later if they are still running).  So under torchrun a repeated signal is
# that same stop, never "give up without saving": torchrun's kill is the hard stop there.
UNDER_TORCHRUN_VARIABLE = "TORCHELASTIC_RUN_ID"


class Mailbox:
    """Reads complete new lines of control.jsonl incrementally."""

    def __init__(self, path, skip_ids=()):
        self.path = path
        self.offset = 0
        self.seen = set(skip_ids)

    def poll(self):
        try:
            with open(self.path, "rb") as f:
                f.seek(0, os.SEEK_END)
                if f.tell() < self.offset:
                    self.offset = 0  # the file was replaced: start over (ids stop repeats)
                f.seek(self.offset)
                data = f.read()
        except OSError:
            return []
        end = data.rfind(b"\n")
        if end < 0:
            return []
        self.offset += end + 1
        return [c for c in (self._parse(line) for line in data[:end].split(b"\n")) if c]

    def _parse(self, line):
        if not line.strip():
            return None
        try:
            cmd = json.loads(line)
        except ValueError:
            return {"invalid": line.decode("utf-8", "replace")[:200]}
        if not isinstance(cmd, dict):
            return {"invalid": line.decode("utf-8", "replace")[:200]}
        if cmd.get("id") in self.seen and cmd.get("id") is not None:
            return None
        self.seen.add(cmd.get("id"))
        return cmd


def _written_since(cmd, started_at):
    if "invalid" in cmd:
        return False
    t = cmd.get("time")
    return isinstance(t, (int, float)) and not isinstance(t, bool) and t >= started_at


class Controller:
    """Pause/resume/checkpoint/stop state of a live run."""

    def __init__(self, run_dir, started_at, gather=None, reads=True):
        """gather (distributed.py): every rank's value on every rank, under torchrun; reads:
        whether this process reads control.jsonl (rank 0 only)."""
        self.run, self.gather = run_dir, gather
        self.mailbox = None
        if reads:
            self.mailbox = Mailbox(run_dir.file("control.jsonl"), run_dir.acked_ids(include_ignored=True))
        self.paused = False
        self.stop_reason = None
        self._had_signal = False
        self.checkpoint_ids = []
        # what is in the file already: commands written since this process started are
        # kept for the first boundary; older ones are stale
        self.pending, self.stale_ids = [], []
        for cmd in self.mailbox.poll() if self.mailbox else ():
            if _written_since(cmd, started_at):
                self.pending.append(cmd)
            elif "invalid" not in cmd:  # an old bad line was reported by the process it was for
                self.stale_ids.append(cmd.get("id"))

    def report_stale(self):
        """One `warning` event naming the stale commands ignored at start, if any."""
        if self.stale_ids:
            ids = ", ".join(str(i) for i in self.stale_ids)
            self.run.event("warning", ignored_ids=self.stale_ids,
                           message=f"ignored control commands written before this process started and "
                                   f"never acknowledged: {ids}")

    def install_signal_handlers(self):
        self._saved_handlers = {sig: signal.signal(sig, self._on_signal)
                                for sig in (signal.SIGTERM, signal.SIGINT)}

    def restore_signal_handlers(self):
        for sig, handler in getattr(self, "_saved_handlers", {}).items():
            signal.signal(sig, handler)

    def _on_signal(self, signum, _frame):
        if self._had_signal:
            if UNDER_TORCHRUN_VARIABLE in os.environ:
                return  # torchrun forwarding the stop this rank had already
            raise SystemExit(1)  # one process, a second signal: give up at once
        self._had_signal = True
        self.stop_reason = f"signal {signal.Signals(signum).name}"

    def at_boundary(self, save_checkpoint):
        """Apply pending commands; wait while paused.  True when the run must stop."""
        beat = time.monotonic()
        while True:
            self._read_commands()
            stop, ids, paused = self._agree()
            if stop:
                return True
            if ids:
                save_checkpoint(ids)
                if paused:
                    self.run.set_status(state="paused")
            if not paused:
                return False
            if time.monotonic() - beat >= HEARTBEAT_SECONDS:
                beat = time.monotonic()
                self.run.set_status()
            time.sleep(POLL_SECONDS)

    def _read_commands(self):
        if self.mailbox is None:  # a rank other than 0: it acts on rank 0's reading
            return
        pending, self.pending = self.pending, []
        for cmd in pending + self.mailbox.poll():
            self._handle(cmd)

    def _agree(self):
        """(stop, checkpoint ids, paused) for this boundary.  Under torchrun every rank takes
        rank 0's reading, and a signal that reached any rank stops them all, at the same step."""
        ids, self.checkpoint_ids = self.checkpoint_ids, []
        if self.gather is None:
            return self.stop_reason is not None, ids, self.paused
        views = self.gather({"stop": self.stop_reason, "ids": ids, "paused": self.paused})
        reasons = [v["stop"] for v in views if v["stop"] is not None]
        if self.stop_reason is None and reasons:
            self.stop_reason = reasons[0]
        self.paused = views[0]["paused"]
        # decided by what every rank sent, never by stop_reason now: a signal that lands here,
        # after the gather, must wait for the next boundary, or this rank alone would stop
        return bool(reasons), views[0]["ids"], self.paused

    def _handle(self, cmd):
        if "invalid" in cmd:
            message = f"ignored a control line that is not a JSON object: {cmd['invalid']}"
            self.run.event("warning", message=message)
            return
        command, cid = cmd.get("command"), cmd.get("id")
        self.run.event("ack", id=cid, command=command)
        if command == "pause" and not self.paused:
            self.paused = True
            self.run.set_status(state="paused")
            self.run.event("paused", step=self.run.status["step"])
        elif command == "resume" and self.paused:
            self.paused = False
            self.run.set_status(state="running")
            self.run.event("resumed", step=self.run.status["step"])
        elif command == "checkpoint":
            self.checkpoint_ids.append(cid)
        elif command == "stop":
            self.stop_reason = "stop command"
        elif command not in COMMANDS:
            self.run.event("warning", message=f"unknown control command {command!r} (id {cid})")
