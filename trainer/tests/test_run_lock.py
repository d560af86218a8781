"""The run directory's lock: a second trainer (a second resume) of a run that another
process is writing is refused with a message naming that process, and writes nothing."""
import os
import subprocess
import sys

from grpo_lens import cli, run_lock

from helpers import tiny_config, write_config

HOLD = (
    "import sys, time\n"
    "from grpo_lens import run_lock\n"
    "held = run_lock.acquire(sys.argv[1])\n"
    "print('held', flush=True)\n"
    "time.sleep(60)\n"
)


def test_second_writer_is_refused_naming_the_holder(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("GRPO_LENS_LOG_REDIRECTED", "1")
    run = str(tmp_path / "run")
    env = dict(os.environ, PYTHONPATH=os.path.dirname(os.path.dirname(run_lock.__file__)))
    holder = subprocess.Popen([sys.executable, "-c", HOLD, run], stdout=subprocess.PIPE, env=env, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        cfg = write_config(tmp_path / "c.grpo.json", tiny_config(max_steps=2))
        args = cli.train_parser().parse_args(["--config", cfg, "--run-dir", run])
        assert cli.train_main(args, run, ["test"]) == 2
        err = capsys.readouterr().err
        assert f"process {holder.pid} on " in err and "is being written by" in err
        assert sorted(os.listdir(run)) == [".lock"]  # no status, no events: the run is left alone
    finally:
        holder.kill()
        holder.wait()


def test_lock_is_released_when_its_process_ends(tmp_path):
    run = str(tmp_path / "run")
    first = run_lock.acquire(run)
    first.close()
    second = run_lock.acquire(run)  # no RunLocked: the first holder is gone
    second.close()
