"""train.log: a copy of stdout and stderr, unless the launcher already redirected them
(GRPO_LENS_LOG_REDIRECTED=1, as the extension does)."""
import os
import sys
import traceback


class Tee:
    def __init__(self, stream, log):
        self.stream, self.log = stream, log

    def write(self, text):
        self.stream.write(text)
        self.log.write(text)
        self.log.flush()
        return len(text)

    def flush(self):
        self.stream.flush()
        self.log.flush()

    def __getattr__(self, name):
        return getattr(self.stream, name)


class TrainLog:
    def __init__(self, run_dir_path):
        self.redirected = os.environ.get("GRPO_LENS_LOG_REDIRECTED") == "1"
        self.file = None
        self.saved = (sys.stdout, sys.stderr)
        if not self.redirected:
            self.file = open(os.path.join(run_dir_path, "train.log"), "a", encoding="utf-8")
            sys.stdout = Tee(sys.stdout, self.file)
            sys.stderr = Tee(sys.stderr, self.file)

    def traceback(self):
        """The full traceback goes to train.log only; stderr gets the one-line reason."""
        text = traceback.format_exc()
        if self.file is not None:
            self.file.write(text)
            self.file.flush()
        else:
            sys.stderr.write(text)

    def close(self):
        if self.file is not None:
            sys.stdout, sys.stderr = self.saved
            self.file.close()
            self.file = None
