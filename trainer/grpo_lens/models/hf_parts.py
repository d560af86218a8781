"""Pieces of the Hugging Face policy (hf.py) that need no transformers import: the package
check, dropout, the generation config swap, the scoring forward's arguments, LoRA's adapters
in float32."""
import contextlib
import importlib
import inspect

import torch

from ..errors import MissingPackage


def require(package, why):
    try:
        return importlib.import_module(package)
    except ImportError:
        raise MissingPackage(f"{why} needs the Python package '{package}', which is not installed "
                             f"(pip install {package})") from None


def disable_dropout(model):
    """Dropout off everywhere, as TRL's disable_dropout_in_model, and attention dropout
    (a float attribute, not a module, in transformers' attention layers)."""
    for module in model.modules():
        if isinstance(module, torch.nn.Dropout):
            module.p = 0.0
        if isinstance(getattr(module, "attention_dropout", None), float):
            module.attention_dropout = 0.0


@contextlib.contextmanager
def as_models_generation_config(model, config):
    """The run's GenerationConfig as the model's own while generating: transformers 5 fills
    options a passed config leaves at their defaults from model.generation_config (TRL does
    the same, transformers#42762)."""
    saved = getattr(model, "generation_config", None)
    model.generation_config = config
    try:
        yield
    finally:
        model.generation_config = saved


def accepts_argument(function, name):
    try:
        return name in inspect.signature(function).parameters
    except (TypeError, ValueError):
        return False


def logits_to_keep_argument(forward):
    """The forward argument that limits the LM head to the last positions: logits_to_keep
    (transformers >= 4.49), num_logits_to_keep (4.45 to 4.48), or None (the model has none)."""
    names = ("logits_to_keep", "num_logits_to_keep")
    return next((name for name in names if accepts_argument(forward, name)), None)


def scoring_inputs(input_ids, attention_mask, position_ids):
    """A scoring forward's arguments.  use_cache=False: the models default to config.use_cache
    (True) and would otherwise build a key/value cache of the whole sequence, every layer,
    that nothing reads (TRL passes it too)."""
    return {"input_ids": input_ids, "attention_mask": attention_mask, "position_ids": position_ids,
            "use_cache": False}


def template_errors():
    """The error a chat template raises itself (raise_exception: jinja2's TemplateError)."""
    try:
        from jinja2.exceptions import TemplateError
    except ImportError:
        return ()
    return (TemplateError,)


def compute_dtype_of(name, device):
    if name == "bfloat16" or (name == "auto" and str(device).startswith("cuda")):
        return torch.bfloat16
    return torch.float32


def with_lora(model, lora):
    peft = require("peft", "model.lora")
    cfg = peft.LoraConfig(r=lora["r"], lora_alpha=lora["alpha"], lora_dropout=lora["dropout"],
                          target_modules=lora.get("target_modules"), task_type="CAUSAL_LM")
    model = peft.get_peft_model(model, cfg)
    for p in model.parameters():
        if p.requires_grad:
            p.data = p.data.float()  # adapters in float32 whatever the base's dtype
    return model
