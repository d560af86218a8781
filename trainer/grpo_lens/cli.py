"""Command line: train a run, resume one, or score completions.  Exit codes: 0 finished or
stopped, 2 invalid config or data file (or usage), 1 any other failure (a reward function
that raised, hung or returned an invalid value included)."""
import argparse
import os
import sys
import time
import traceback

# torch-free imports only: `--help` and usage errors work without PyTorch; the modules
# that need torch (checkpoint, train, score) are imported where they are used
from .config import ConfigError, load_config, resolve_config
from .errors import DataError, MissingPackage
from .logs import TrainLog
from .rewards import RewardError, RewardFailure
from . import RUN_FORMAT, TRAINER_NAME, __version__
from .run_dir import QuietRun, RunDir, write_json_atomic
from .run_lock import RunLocked, acquire as acquire_lock

NO_TORCH = "PyTorch is not installed for {} (pip install torch, or pick the Python that has it)"

EPILOG = """other commands:
  python3 -m grpo_lens score --config F   read {"prompt","reference","completions":[...]} on stdin,
                                           write {"rewards","components","advantages"} on stdout

exit codes: 0 finished or stopped, 2 invalid config, 1 any other failure"""


def train_parser():
    p = argparse.ArgumentParser(prog="python3 -m grpo_lens", epilog=EPILOG,
                                description="Train a model with GRPO and write a grpo-lens/1 run directory.",
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--config", help="the *.grpo.json config (JSON with comments)")
    p.add_argument("--run-dir", help="the run directory to write (created if missing)")
    p.add_argument("--resume", metavar="CHECKPOINT",
                   help="a checkpoints/step-NNNNNN directory to continue from")
    return p


def main(argv=None):
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv and argv[0] == "score":
        return _score(argv[1:])
    parser = train_parser()
    args = parser.parse_args(argv)
    if not args.resume and not (args.config and args.run_dir):
        parser.error("--config and --run-dir are required (or --resume CHECKPOINT)")
    run_path = args.run_dir or os.path.dirname(os.path.dirname(os.path.abspath(args.resume)))
    return train_main(args, run_path, [sys.executable, "-m", "grpo_lens"] + argv)


def _load(args, run):
    if args.config:
        config = load_config(args.config)
    else:
        from .checkpoint import read as read_checkpoint
        try:
            _, saved = read_checkpoint(args.resume)
        except (OSError, ValueError) as e:
            raise ConfigError(f"cannot resume: {e}") from None
        raw = {k: v for k, v in saved.items() if k != "config_dir"}
        config = resolve_config(raw, saved.get("config_dir", "."))
    if args.resume and not os.path.isfile(os.path.join(args.resume, "trainer_state.json")):
        raise ConfigError(f"cannot resume: {args.resume} is not a complete checkpoint")
    return config


def _distribution():
    """This rank of a torchrun run (distributed.py), or None for one process: a process
    started without torchrun never imports torch.distributed."""
    if int(os.environ.get("WORLD_SIZE", "1")) <= 1:
        return None
    from .distributed import DataParallel
    return DataParallel()


def write_starting_run_json(run, argv, config_path):
    """run.json with what is known before the config loads, so that a run whose config,
    reward import or model load fails is listed with its reason; train.py completes it."""
    name = os.path.basename(config_path or run.path)
    for suffix in (".grpo.json", ".json"):
        name = name[:-len(suffix)] if name.endswith(suffix) else name
    write_json_atomic(run.file("run.json"), {
        "format": RUN_FORMAT, "run_id": f"{name}-{time.strftime('%Y%m%d-%H%M%S')}-{os.urandom(3).hex()}",
        "name": name, "config": None, "trainer": {"name": TRAINER_NAME, "version": __version__},
        "argv": argv, "created": time.time()})


def train_main(args, run_path, argv, stop_after=None):
    started_at = time.time()  # control commands older than this are stale (control.py)
    dist = _distribution()
    if dist is not None and not dist.is_main:  # rank 0 alone writes the run directory
        return _train_rank(args, QuietRun(run_path), argv, dist, stop_after, started_at)
    if not args.resume and os.path.exists(os.path.join(run_path, "run.json")):
        # leave the other run's files alone: no status or event is written there
        sys.stderr.write(f"grpo-lens: error: {os.path.abspath(run_path)} already holds a run: "
                         "use a new --run-dir, or --resume a checkpoint\n")
        return 2
    try:  # before anything is written: a run another process writes is left alone
        lock = acquire_lock(run_path)
    except RunLocked as e:
        sys.stderr.write(f"grpo-lens: error: {e}\n")
        return 2
    run = RunDir(run_path)
    run.set_status(state="starting")
    if not args.resume:
        write_starting_run_json(run, argv, args.config)
    log = TrainLog(run.path)
    try:
        return _train_rank(args, run, argv, dist, stop_after, started_at, log)
    finally:
        run.close()
        log.close()
        lock.close()


def _train_rank(args, run, argv, dist, stop_after, started_at, log=None):
    """Load, build, train; a failure is the run's (rank 0) with its one-line reason."""
    log = log or _RankLog()
    try:
        config = _load(args, run)
        from .train import Trainer
        trainer = Trainer(config, run, argv, stop_after=stop_after, started_at=started_at, dist=dist)
        if args.resume:
            trainer.resume_from(args.resume)
        if trainer.dist.is_main:
            print(f"grpo-lens: {'resuming' if args.resume else 'starting'} run in {run.path}", flush=True)
        state = trainer.train()
        print(f"grpo-lens: {state} at step {trainer.step}" + _rank_text(dist), flush=True)
        return 0
    except (ConfigError, RewardError, DataError) as e:
        return _fail(run, log, str(e), 2, dist)
    except RewardFailure as e:  # a user's reward misbehaved: its traceback goes to train.log
        log.traceback()
        return _fail(run, log, str(e), 1, dist)
    except MissingPackage as e:
        return _fail(run, log, str(e), 1, dist)
    except ImportError as e:
        if e.name != "torch":
            log.traceback()
            return _fail(run, log, f"{type(e).__name__}: {e}".splitlines()[0], 1, dist)
        return _fail(run, log, NO_TORCH.format(sys.executable), 1, dist)
    except Exception as e:  # anything else: one line on stderr, the traceback in train.log
        log.traceback()
        message = f"{type(e).__name__}: {e}".splitlines()[0]
        if dist is not None and dist.is_main and isinstance(e, RuntimeError):  # a collective failed:
            elsewhere = dist.failure_elsewhere()  # most often because another rank failed first
            message = elsewhere or (f"{message} (one of {dist.world_size} torchrun processes; another "
                                    "may have ended first: see train.log)")
        return _fail(run, log, message, 1, dist)
    finally:
        if dist is not None:
            dist.close()


class _RankLog:
    """A rank other than 0 writes no train.log: its tracebacks go to its stderr (torchrun's)."""

    def traceback(self):
        sys.stderr.write(traceback.format_exc())


def _rank_text(dist):
    return f" (rank {dist.rank} of {dist.world_size})" if dist is not None else ""


def _fail(run, log, message, code, dist=None):
    if dist is not None and not dist.is_main:
        dist.report_failure(message)
    run.set_status(state="failed", error=message)
    run.event("failed", message=message)
    sys.stderr.write(f"grpo-lens: error{_rank_text(dist)}: {message}\n")
    sys.stderr.flush()
    return code


def _score(argv):
    p = argparse.ArgumentParser(prog="python3 -m grpo_lens score",
                                description="Score completions (JSON on stdin) with a config's rewards.")
    p.add_argument("--config", required=True, help="the *.grpo.json config whose rewards to use")
    args = p.parse_args(argv)
    from .score import score_main
    try:
        return score_main(args.config)
    except (ConfigError, RewardError, ValueError) as e:
        sys.stderr.write(f"grpo-lens score: error: {str(e).splitlines()[0]}\n")
        return 2
