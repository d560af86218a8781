"""Checkpoints: checkpoints/step-NNNNNN/, complete or absent (built in a temp dir, renamed).

Holds everything needed to continue bit for bit on the same hardware: weights (policy and
reference), optimizer, scheduler, every RNG state, data positions, step and phase.  A
Hugging Face policy is saved with save_pretrained in policy/ (models/hf_checkpoint.py:
safetensors, adapters only for LoRA), and its reference only where it is not the base model
(reference.pt: after a warm start or with sync_ref_model); the tiny model keeps model.pt.

Under torchrun (distributed.py) every rank calls save: rank 0 gathers every rank's RNG
states into rng.pt ({"world_size": N, "ranks": [state of rank 0, ...]}) and alone writes
the files; trainer_state.json says "world_size".  Weights and optimizer are the same on
every rank (averaged gradients), so rank 0's are the run's.  A checkpoint resumes only at
the world size that saved it (check_world_size).
"""
import json
import os
import random
import shutil
import time

import torch

from . import export
from .config import ConfigError
from .distributed import Solo
from .checkpoint_weights import restore_weights, save_weights
from .run_dir import write_json_atomic

FORMAT = "grpo-lens-checkpoint/1"


def checkpoint_name(step):
    return f"step-{step:06d}"


def _rng_state(trainer):
    state = {"python": random.getstate(), "torch": torch.get_rng_state(),
             "sampling": trainer.sampling_generator.get_state()}
    if torch.cuda.is_available():
        state["cuda"] = torch.cuda.get_rng_state_all()
    return state


def _set_rng_state(trainer, state):
    random.setstate(state["python"])
    torch.set_rng_state(state["torch"])
    trainer.sampling_generator.set_state(state["sampling"])
    if "cuda" in state and torch.cuda.is_available():
        torch.cuda.set_rng_state_all(state["cuda"])


def _write_exports(model, tokenizer, tmp_dir):
    """Files for tools outside the trainer kept in every checkpoint: the char tokenizer's
    tokenizer.json.  (The ONNX graphs come from export.export_checkpoint, called by save.)"""
    if hasattr(tokenizer, "to_json_dict"):
        write_json_atomic(os.path.join(tmp_dir, "tokenizer.json"), tokenizer.to_json_dict())


def _dist(trainer):
    return getattr(trainer, "dist", None) or Solo()


def trainer_state(trainer):
    state = {"format": FORMAT, "run_id": trainer.run_id, "step": trainer.step, "phase": trainer.phase,
             "warmup_step": trainer.warmup_step, "data_position": trainer.data_position,
             "warmup_position": trainer.warmup_position, "save_id": getattr(trainer, "save_id", None)}
    if _dist(trainer).enabled:  # positions are per rank: they mean something at this world size only
        state["world_size"] = _dist(trainer).world_size
    return state


def check_world_size(state, world_size):
    """Refuses a checkpoint saved by another number of processes, saying how to resume it."""
    saved = state.get("world_size", 1)
    if saved != world_size:
        how = "without torchrun" if saved == 1 else f"with torchrun --nproc_per_node/--nnodes giving {saved}"
        raise ConfigError(f"cannot resume: the checkpoint was saved by {saved} process(es) and this run has "
                          f"{world_size}: resume it {how} (data positions and RNG states are per process)")


def _rng_file(trainer):
    """This process's RNG states, or under torchrun every rank's (gathered: a collective)."""
    dist = _dist(trainer)
    if not dist.enabled:
        return _rng_state(trainer)
    return {"world_size": dist.world_size, "ranks": dist.gather(_rng_state(trainer))}


def _rank_rng(saved, trainer):
    return saved["ranks"][_dist(trainer).rank] if "ranks" in saved else saved


def save(trainer):
    """Write the checkpoint of the trainer's current state.

    Returns (path relative to the run, whether it was written now rather than already there).
    """
    root = trainer.run.file("checkpoints")
    name = checkpoint_name(trainer.step)
    final = os.path.join(root, name)
    state = trainer_state(trainer)
    rng = _rng_file(trainer)  # every rank takes part; rank 0 alone writes
    if not _dist(trainer).is_main:
        return os.path.join("checkpoints", name), True
    os.makedirs(root, exist_ok=True)
    if _same_state(final, state):
        return os.path.join("checkpoints", name), False
    tmp = os.path.join(root, f".tmp-{name}-{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    os.makedirs(tmp)
    ref = trainer.reference
    save_weights(trainer, tmp)
    torch.save({"optimizer": trainer.optimizer.state_dict(), "scheduler": trainer.scheduler.state_dict()},
               os.path.join(tmp, "optimizer.pt"))
    torch.save(rng, os.path.join(tmp, "rng.pt"))
    write_json_atomic(os.path.join(tmp, "config.json"), getattr(trainer, "run_config", trainer.config))
    _write_exports(trainer.policy.model, trainer.policy.tokenizer, tmp)
    ref_module = ref if isinstance(ref, torch.nn.Module) else None
    export.export_checkpoint(trainer.config, tmp, trainer.run.path, trainer.policy.model,
                             trainer.policy.tokenizer,
                             ref_module, warn=lambda message: trainer.run.event("warning", message=message))
    write_json_atomic(os.path.join(tmp, "trainer_state.json"), state)  # written last
    if os.path.exists(final):
        old = os.path.join(root, f".old-{name}-{os.getpid()}")
        os.rename(final, old)
        os.rename(tmp, final)
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.rename(tmp, final)
    _prune(root, trainer.config["save_total_limit"])
    return os.path.join("checkpoints", name), True


def _same_state(path, state):
    """True when path is a checkpoint this same trainer process already saved of this state
    (save_id is new in every process, so a leftover from another process never counts)."""
    if state.get("save_id") is None:
        return False
    try:
        with open(os.path.join(path, "trainer_state.json"), encoding="utf-8") as f:
            return json.load(f) == state
    except (OSError, ValueError):
        return False


def step_of_name(name):
    """The step of a checkpoint directory name step-NNNNNN, or None for any other name."""
    if not name.startswith("step-") or not name[5:].isdigit():
        return None
    return int(name[5:])


def _prune(root, keep):
    """Keep the newest `keep` checkpoints by step number (not by name: step-1000000 > step-999999)."""
    steps = sorted((s, n) for n, s in ((n, step_of_name(n)) for n in os.listdir(root)) if s is not None)
    for _, name in steps[:-keep]:
        shutil.rmtree(os.path.join(root, name), ignore_errors=True)


def supersede_after(run_path, step):
    """Move aside every checkpoints/step-N with N > step (the branch a resume abandons):
    renamed to checkpoints/.superseded-step-N-<unix time>, which readers ignore (the name
    starts with '.').  Returns the new names, relative to the run directory."""
    root = os.path.join(run_path, "checkpoints")
    try:
        names = os.listdir(root)
    except OSError:
        return []
    moved, stamp = [], int(time.time())
    for name in sorted(names, key=lambda n: step_of_name(n) or 0):
        s = step_of_name(name)
        if s is None or s <= step:
            continue
        target = f".superseded-{name}-{stamp}"
        suffix = 1
        while os.path.exists(os.path.join(root, target)):
            target, suffix = f".superseded-{name}-{stamp}-{suffix}", suffix + 1
        os.rename(os.path.join(root, name), os.path.join(root, target))
        moved.append(os.path.join("checkpoints", target))
    return moved


def read(path):
    """The parts of a checkpoint directory (without restoring anything)."""
    state_path = os.path.join(path, "trainer_state.json")
    if not os.path.isfile(state_path):
        raise FileNotFoundError(f"{path} is not a complete checkpoint (no trainer_state.json)")
    with open(state_path, encoding="utf-8") as f:
        state = json.load(f)
    with open(os.path.join(path, "config.json"), encoding="utf-8") as f:
        config = json.load(f)
    return state, config


def restore(trainer, path):
    """Load weights, optimizer, scheduler, RNG states and positions into a built trainer."""
    state, _ = read(path)
    restore_weights(trainer, path)
    opt = torch.load(os.path.join(path, "optimizer.pt"), map_location=trainer.device)
    trainer.optimizer.load_state_dict(opt["optimizer"])
    trainer.scheduler.load_state_dict(opt["scheduler"])
    trainer.step, trainer.warmup_step = state["step"], state["warmup_step"]
    trainer.data_position, trainer.warmup_position = state["data_position"], state["warmup_position"]
    _set_rng_state(trainer, _rank_rng(torch.load(os.path.join(path, "rng.pt")), trainer))
    return state
