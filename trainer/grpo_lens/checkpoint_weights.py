"""The weights in a checkpoint: the tiny model's model.pt (policy and reference), or a
Hugging Face policy's save_pretrained folder (policy/, loadable by transformers and vLLM)
plus its reference only where it is not the base model."""
import os

import torch

from .models.hf_checkpoint import POLICY_DIR, load_policy, save_policy

REFERENCE_FILE = "reference.pt"


def save_weights(trainer, directory):
    ref = trainer.reference
    if _is_hf(trainer):
        save_policy(trainer.policy, directory)
        if _reference_moved(trainer):
            torch.save(ref.state_dict(), os.path.join(directory, REFERENCE_FILE))
        return
    torch.save({"policy": trainer.policy.state_dict(),
                "reference": ref.state_dict() if isinstance(ref, torch.nn.Module) else None},
               os.path.join(directory, "model.pt"))


def _is_hf(trainer):
    return getattr(trainer.policy, "kind", None) == "hf"


def _reference_moved(trainer):
    """A Hugging Face reference is the base model, rebuilt from it on resume, unless a warm
    start or sync_ref_model made it something else: only then is it saved."""
    cfg = trainer.config
    return isinstance(trainer.reference, torch.nn.Module) and (
        cfg["warm_start"]["steps"] > 0 or cfg.get("sync_ref_model", False))


def restore_weights(trainer, path):
    """Weights read on the CPU (a checkpoint from a GPU loads anywhere), then copied in."""
    reference = trainer.reference if isinstance(trainer.reference, torch.nn.Module) else None
    if os.path.isdir(os.path.join(path, POLICY_DIR)):
        load_policy(trainer.policy, path)
        saved_ref = os.path.join(path, REFERENCE_FILE)
        if reference is not None and os.path.isfile(saved_ref):
            reference.load_state_dict(torch.load(saved_ref, map_location="cpu"))
        return
    model = torch.load(os.path.join(path, "model.pt"), map_location="cpu")
    trainer.policy.load_state_dict(model["policy"])
    if model["reference"] is not None and reference is not None:
        reference.load_state_dict(model["reference"])
