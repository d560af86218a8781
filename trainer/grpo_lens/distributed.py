"""Data parallel under torchrun: one process per GPU (or per CPU share, gloo), each with the
whole policy, its own share of the prompts and its own sampling; gradients averaged.

A process started without torchrun (or with a world of one) gets `Solo`, which does
nothing: the single-process path stays exactly what it was.  Under torchrun:
- each step's prompts_per_step prompts are split into equal shares, rank r taking the r-th
  share of the global batch (a group of G completions never spans ranks, so group
  advantages are computed where the group is; scale_rewards batch divides them by the std of
  every rank's rewards, one all_reduce);
- after every backward the gradients of all ranks are averaged in one all_reduce (what
  DDP does), so clipping and the optimizer step see the global-batch gradient and the
  weights stay equal on every rank;
- rank 0 alone writes the run directory: metrics are reduced over ranks and samples of
  every rank gathered to it; control commands are read by rank 0 and agreed by all.
"""
import datetime
import os

import torch

from . import grpo
from .config import ConfigError
from .envs import is_environment

# how long a rank waits for the others in one collective (a long checkpoint save of a
# large model on rank 0, a slow reward on one rank); the pause loop agrees every poll
TIMEOUT = datetime.timedelta(minutes=60)
FAILURE_KEY = "grpo_lens/failure"


class Solo:
    """One process: every collective is the identity."""
    world_size, rank, local_rank, is_main, enabled = 1, 0, 0, True, False

    def gather(self, obj):
        return [obj]

    def mean_over_ranks(self, value):
        """The mean of a tensor over the ranks (here: itself)."""
        return value

    def std_over_ranks(self, values):
        """The unbiased std of the values of every rank together (here: torch.std of these)."""
        return values.std()

    def device(self, device):
        return device

    def prepare(self, trainer):
        pass

    def close(self):
        pass


def from_environment():
    """Solo, or DataParallel when torchrun started more than one process."""
    if int(os.environ.get("WORLD_SIZE", "1")) <= 1:
        return Solo()
    return DataParallel()


class DataParallel(Solo):
    enabled = True

    def __init__(self):
        import torch.distributed as dist
        self.dist = dist
        self.world_size = int(os.environ["WORLD_SIZE"])
        self.rank = int(os.environ["RANK"])
        self.local_rank = int(os.environ.get("LOCAL_RANK", "0"))
        self.is_main = self.rank == 0
        self.backend = None  # chosen with the device (prepare_backend)

    def device(self, device):
        """The rank's device (cuda:LOCAL_RANK); the process group is started here, with NCCL
        on CUDA and gloo on the CPU, from torchrun's MASTER_ADDR/PORT, RANK, WORLD_SIZE."""
        if device.type == "cuda":
            torch.cuda.set_device(self.local_rank)
            device = torch.device("cuda", self.local_rank)
        self.backend = "nccl" if device.type == "cuda" else "gloo"
        if not self.dist.is_initialized():
            self.dist.init_process_group(self.backend, timeout=TIMEOUT)
        return device

    def describe(self):
        """For run.json: how many processes, and how torchrun laid them out (a resume needs the same)."""
        per_node = int(os.environ.get("LOCAL_WORLD_SIZE", self.world_size))
        return {"world_size": self.world_size, "backend": self.backend, "nproc_per_node": per_node,
                "nnodes": self.world_size // max(per_node, 1)}

    def mean_over_ranks(self, value):
        total = value.detach().clone().float()
        self.dist.all_reduce(total)  # a sum; every rank issues it at the same point of the step
        return total / self.world_size

    def std_over_ranks(self, values):
        """scale_rewards batch on N ranks: the unbiased std of every rank's values together, from
        one all_reduce of (count, sum, sum of squares) in float64; the same on every rank."""
        v = values.detach().reshape(-1).double()
        moments = torch.stack([torch.ones_like(v).sum(), v.sum(), (v * v).sum()])
        self.dist.all_reduce(moments)  # every rank issues it at the same point of the step
        return grpo.std_from_moments(*moments)

    def gather(self, obj):
        """Every rank's obj, on every rank, in rank order (pickled: small things only)."""
        out = [None] * self.world_size
        self.dist.all_gather_object(out, obj)
        return out

    def gather_to_main(self, obj):
        """Every rank's obj on rank 0, in rank order; None on the other ranks."""
        out = [None] * self.world_size if self.is_main else None
        self.dist.gather_object(obj, out, dst=0)
        return out

    def prepare(self, trainer):
        """Rank 0's initial weights on every rank, and gradients averaged after each backward."""
        params = list(trainer.policy.trainable_parameters())
        with torch.no_grad():
            for p in params:
                self.dist.broadcast(p.data, 0)
        average_gradients_after_backward(params, self.dist, self.world_size)

    def report_failure(self, message):
        """A rank other than 0 that fails leaves its one-line reason in the process group's
        store, where rank 0 finds it when its next collective fails (failure_elsewhere)."""
        try:
            self.dist.distributed_c10d._get_default_store().set(FAILURE_KEY, f"rank {self.rank}: {message}")
        except Exception:  # no process group yet, or the store is gone: stderr has it anyway
            pass

    def failure_elsewhere(self, wait_s=3.0):
        """The reason another rank left (report_failure), or None after wait_s."""
        try:
            store = self.dist.distributed_c10d._get_default_store()
            store.set_timeout(datetime.timedelta(seconds=wait_s))  # torch 1.13's PrefixStore has no check()
            return store.get(FAILURE_KEY).decode("utf-8", "replace")
        except Exception:  # nothing there in time, or no store
            return None

    def close(self):
        if self.dist.is_initialized():
            self.dist.destroy_process_group()


def average_gradients_after_backward(params, dist, world_size):
    """Hooks that, once per backward pass, average the parameters' .grad over all ranks in
    one flat all_reduce (in parameter order: every rank issues the same collective), after
    autograd has accumulated them, so clip_grad_norm_ and optimizer.step see the mean."""
    state = {"queued": False}

    def sync():
        state["queued"] = False
        grads = [p.grad if p.grad is not None else torch.zeros_like(p) for p in params]
        flat = torch.cat([g.reshape(-1) for g in grads])
        dist.all_reduce(flat)
        flat /= world_size
        offset = 0
        for p, g in zip(params, grads):
            n = g.numel()
            p.grad = flat[offset:offset + n].view_as(p).clone()
            offset += n

    def on_grad(grad):
        if not state["queued"]:
            state["queued"] = True
            torch.autograd.Variable._execution_engine.queue_callback(sync)
        return grad

    for p in params:
        p.register_hook(on_grad)


def check(config, world_size):
    """What data parallel cannot do yet, refused before any work, in one line each."""
    if world_size <= 1:
        return
    where = f"under torchrun with {world_size} processes"
    if config["prompts_per_step"] % world_size:
        raise ConfigError(f"config error: prompts_per_step ({config['prompts_per_step']}) must be a multiple "
                          f"of the number of processes ({world_size}): each rank takes an equal share")
    warm = config.get("warm_start", {})
    if warm.get("steps", 0) > 0 and warm.get("batch_size", 0) % world_size:
        raise ConfigError(f"config error: warm_start.batch_size ({warm['batch_size']}) must be a multiple "
                          f"of the number of processes ({world_size})")
    if config.get("algorithm") == "ppo" or is_environment(config["task"]):
        raise ConfigError(f"config error: PPO and environment tasks train in one process only, not {where}")


def rank_config(config, world_size):
    """The config one rank trains with: its share of the prompts (and warm-start batch)."""
    if world_size <= 1:
        return config
    local = dict(config, prompts_per_step=config["prompts_per_step"] // world_size)
    if "warm_start" in config:
        warm = dict(config["warm_start"])
        warm["batch_size"] = max(1, warm.get("batch_size", 1) // world_size)
        local["warm_start"] = warm
    return local


class RankShare:
    """A task seen by one rank: local position k (advancing by `share` per step) is item
    k % share of the rank's share of global batch k // share."""

    def __init__(self, task, rank, world_size, share):
        self.task, self.rank, self.world_size, self.share = task, rank, world_size, share

    def problem(self, k):
        batch, i = divmod(k, self.share)
        return self.task.problem(batch * self.share * self.world_size + self.rank * self.share + i)

    def __getattr__(self, name):  # everything else is the task's own
        return getattr(self.task, name)
