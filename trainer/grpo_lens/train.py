"""The training run: set up, warm start, GRPO steps, checkpoints, control, run directory."""
import math
import os
import random
import threading
import time
import uuid

import torch

from . import RUN_FORMAT, TRAINER_NAME, __version__, checkpoint
from .control import Controller
from .distributed import RankShare, Solo, check as check_distributed, rank_config
from .envs import environment_parts, is_environment
from .grpo import ADVANTAGE_EPS, STD_CONVENTION
from .models import build_policy
from .ppo_critic import with_critic
from .rank_merge import merge_metrics, merge_samples, weights_of
from .rewards import RewardSet
from .run_dir import read_starting_run_json, write_json_atomic
from .step import grpo_step
from .tasks import build_task
from .warmup import warmup_step


def pick_device(name):
    if name == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    return torch.device(name)


def _lr_lambda(kind, total):
    if kind == "linear":
        return lambda i: max(0.0, 1.0 - i / max(total, 1))
    if kind == "cosine":
        return lambda i: 0.5 * (1.0 + math.cos(math.pi * min(i / max(total, 1), 1.0)))
    return lambda i: 1.0


def max_beta(config):
    """The largest KL weight of the run: a reference is needed when it is above 0."""
    if config["beta_schedule"] == "constant":
        return config["beta"]
    return max(config["beta"], config["beta_final"])


class Trainer:
    def __init__(self, config, run, argv=(), stop_after=None, started_at=None, dist=None):
        # dist: one process (Solo) or this rank of a torchrun run (distributed.py); config is
        # the run's, self.config this rank's share of it (the same thing in one process)
        self.dist = dist or Solo()
        check_distributed(config, self.dist.world_size)
        self.run_config = config
        config = rank_config(config, self.dist.world_size)
        self.config, self.run, self.argv, self.stop_after = config, run, list(argv), stop_after
        # when this process started: older unacknowledged control commands are stale (control.py)
        self.started_at = time.time() if started_at is None else started_at
        self.save_id = uuid.uuid4().hex  # marks the checkpoints this process saves (checkpoint.py)
        # rewards and task first: they are part of the config, checked before any heavy work
        self.device = self.dist.device(pick_device(config["device"]))
        if is_environment(config["task"]):  # games scored at their end (envs/)
            random.seed(config["seed"])
            torch.manual_seed(config["seed"])
            self.rewards, self.task, self.policy = environment_parts(config, self.device)
        else:
            self.rewards = RewardSet(config["rewards"], [config["config_dir"], os.getcwd()],
                                     config["invalid_reward"], config["reward_timeout_s"])
            self.task = build_task(config["task"], config["seed"])
            random.seed(config["seed"])
            torch.manual_seed(config["seed"])
            self.policy = build_policy(config["model"], self.device)
        if config.get("algorithm") == "ppo":  # PPO's critic, beside the policy (ppo_critic.py)
            self.policy = with_critic(self.policy, config)
        self.sampling_generator = torch.Generator().manual_seed(config["seed"] + self.dist.rank)
        self.base_task = self.task
        if self.dist.enabled:  # the same initial weights everywhere, then each rank its own draws
            random.seed(config["seed"] + self.dist.rank)
            torch.manual_seed(config["seed"] + self.dist.rank)
            self.dist.prepare(self)
        self.reference = None
        self.step = self.warmup_step = self.data_position = self.warmup_position = 0
        self.run_id = None
        self.resumed_from = None
        self.superseded = []
        self.warned_invalid = set()  # rewards whose invalid values were reported (step.py)
        self.enter_phase("warmup" if config["warm_start"]["steps"] > 0 else "grpo")

    def enter_phase(self, phase):
        """Build what a phase trains with: its optimizer and schedule; GRPO also its reference."""
        self.phase = phase
        if phase == "grpo" and max_beta(self.config) > 0 and self.reference is None:
            self.reference = self.policy.reference()
        if phase == "warmup":
            lr, schedule, total = self.config["warm_start"]["learning_rate"], "constant", 1
        else:
            cfg = self.config
            lr, schedule, total = cfg["learning_rate"], cfg["lr_scheduler_type"], cfg["max_steps"]
        self.optimizer = torch.optim.AdamW(self.policy.trainable_parameters(), lr=lr,
                                           weight_decay=self.config["weight_decay"])
        self.scheduler = torch.optim.lr_scheduler.LambdaLR(self.optimizer, _lr_lambda(schedule, total))
        if self.dist.enabled:  # this rank's share of each batch of the phase
            cfg = self.config
            share = cfg["warm_start"]["batch_size"] if phase == "warmup" else cfg["prompts_per_step"]
            self.task = RankShare(self.base_task, self.dist.rank, self.dist.world_size, share)

    def resume_from(self, path):
        state, _ = checkpoint.read(path)
        checkpoint.check_world_size(state, self.dist.world_size)
        self.enter_phase(state["phase"])
        checkpoint.restore(self, path)
        self._apply_optimizer_config()
        self.run_id, self.resumed_from = state.get("run_id"), path
        # the checkpoints of later steps belong to the branch this resume abandons
        self.superseded = checkpoint.supersede_after(self.run.path, self.step)

    def _apply_optimizer_config(self):
        """The restored optimizer state carries the saved learning rate and weight decay: use
        this config's instead (a --resume with a --config may change them), at the restored
        point of the schedule.  Unchanged settings give exactly the saved values."""
        cfg = self.config
        lr = cfg["warm_start"]["learning_rate"] if self.phase == "warmup" else cfg["learning_rate"]
        sched = self.scheduler
        sched.base_lrs = [lr for _ in self.optimizer.param_groups]
        for group, lmbda in zip(self.optimizer.param_groups, sched.lr_lambdas):
            group["initial_lr"] = lr
            group["lr"] = lr * lmbda(sched.last_epoch)
            group["weight_decay"] = self.config["weight_decay"]
        sched._last_lr = [group["lr"] for group in self.optimizer.param_groups]

    def write_run_json(self):
        """Completes the run.json the command line wrote at the start (cli.py), once; a
        resumed run keeps it.  Rank 0 only."""
        stamp = time.strftime("%Y%m%d-%H%M%S")
        self.run_id = self.run_id or f"{self.config['name']}-{stamp}-{uuid.uuid4().hex[:6]}"
        started = read_starting_run_json(self.run.file("run.json"))
        if not self.dist.is_main or (started is None and os.path.exists(self.run.file("run.json"))):
            return
        if started:
            self.run_id = started.get("run_id") or self.run_id
        line = {"format": RUN_FORMAT, "run_id": self.run_id, "name": self.config["name"],
                "config": self.run_config,
                "trainer": {"name": TRAINER_NAME, "version": __version__, "torch": torch.__version__},
                "argv": self.argv, "created": (started or {}).get("created", time.time()),
                "device": str(self.device), "std_convention": STD_CONVENTION, "advantage_eps": ADVANTAGE_EPS}
        if self.dist.enabled:
            line["distributed"] = self.dist.describe()
        write_json_atomic(self.run.file("run.json"), line)

    # ---- lifecycle ----

    def train(self):
        """Run to the end or to a stop; returns the final state ('finished' or 'stopped')."""
        self.write_run_json()
        self.controller = Controller(self.run, self.started_at, reads=self.dist.is_main,
                                     gather=self.dist.gather if self.dist.enabled else None)
        if threading.current_thread() is threading.main_thread():
            self.controller.install_signal_handlers()
        self.run.set_status(state="running", step=self.step, total_steps=self.config["max_steps"], error=None)
        self.run.event("started", step=self.step, run_id=self.run_id, argv=self.argv)
        if self.resumed_from:
            rel = os.path.relpath(os.path.abspath(self.resumed_from), self.run.path)
            self.run.event("resumed", step=self.step, checkpoint=rel)
            if self.superseded:
                self.run.event("warning", superseded=self.superseded,
                               message=f"moved aside the checkpoints after step {self.step}, from before "
                                       f"this resume: {', '.join(self.superseded)}")
        else:
            self.run.event("phase", name=self.phase)
        self.controller.report_stale()
        try:
            stopped = self._warmup() or self._grpo()
            if stopped:
                return self._stop()
            self.save_checkpoint()
            self.run.set_status(state="finished")
            self.run.event("finished", step=self.step)
            return "finished"
        finally:
            self.controller.restore_signal_handlers()

    def _warmup(self):
        if self.phase != "warmup":
            return False
        while self.warmup_step < self.config["warm_start"]["steps"]:
            if self.controller.at_boundary(self.save_checkpoint):
                return True
            self.run.metrics(self._merged(warmup_step(self)))
            self.run.set_status(warmup_step=self.warmup_step)
        if self.dist.is_main:
            print(f"warm start done: {self.warmup_step} supervised steps", flush=True)
        self.enter_phase("grpo")
        self.run.event("phase", name="grpo")
        return False

    def _grpo(self):
        every = self.config["checkpoint_every"]
        while self.step < self.config["max_steps"]:
            if self.controller.at_boundary(self.save_checkpoint):
                return True
            if self.stop_after is not None and self.step >= self.stop_after:
                self.controller.stop_reason = "stop_after"
                return True
            metrics, samples = grpo_step(self)
            metrics = self._merged(metrics)
            if self.dist.enabled:  # rank 0 writes every rank's groups; the others write nothing
                ranks = self.dist.gather_to_main(samples)
                samples = merge_samples(ranks) if ranks else []
            self.run.metrics(metrics)
            for line in samples:
                self.run.sample(line)
            self.run.set_status(step=self.step)
            if self.dist.is_main and (self.step % 10 == 0 or self.step == self.config["max_steps"]):
                print(f"step {self.step}/{self.config['max_steps']} reward {metrics['reward']:.3f} "
                      f"kl {metrics.get('kl', 0.0):.4f} loss {metrics['loss']:.4f} "
                      f"{metrics['timing/step_s']:.2f} s/step", flush=True)
            if every and self.step % every == 0:
                self.save_checkpoint()
        # commands that came during the last step are still acknowledged and applied
        return self.controller.at_boundary(self.save_checkpoint)

    def _merged(self, metrics):
        """One metric line for the run: this one, or every rank's reduced (rank_merge.py)."""
        if not self.dist.enabled:
            return metrics
        ranks = self.dist.gather_to_main((dict(metrics), weights_of(metrics)))  # the weights beside
        if not ranks:
            return metrics  # a rank other than 0 keeps its own
        return merge_metrics([line for line, _ in ranks], [weights for _, weights in ranks])

    def _stop(self):
        self.run.set_status(state="stopping")
        self.save_checkpoint()
        self.run.set_status(state="stopped")
        self.run.event("stopped", step=self.step, reason=self.controller.stop_reason)
        return "stopped"

    def save_checkpoint(self, ids=None):
        previous = self.run.status["state"]
        self.run.set_status(state="checkpointing")
        path, written = checkpoint.save(self)
        self.run.set_status(state=previous, last_checkpoint=path)
        if written or ids:
            fields = {"ids": list(ids)} if ids else {}
            self.run.event("checkpoint", step=self.step, path=path, **fields)
        return path
