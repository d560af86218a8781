"""A Hugging Face policy in a checkpoint, loadable by transformers and vLLM: the model's own
save_pretrained (safetensors; for LoRA only the adapters, beside adapter_config.json) and
its tokenizer, in <checkpoint>/policy/.  Nothing is saved for the reference: it is the base
model (or, for LoRA, the base with adapters disabled).  Loaded on the CPU first
(map_location "cpu"), then copied into the live model on its device."""
import json
import os

POLICY_DIR = "policy"


def save_policy(policy, directory):
    """Write policy.model and its tokenizer to directory/policy; returns that path."""
    target = os.path.join(directory, POLICY_DIR)
    policy.model.save_pretrained(target)  # safetensors (the only format of transformers 5)
    policy.hf_tokenizer.save_pretrained(target)
    return target


def load_policy(policy, directory):
    """Load the weights save_policy wrote into the built policy (same architecture)."""
    source = os.path.join(directory, POLICY_DIR)
    if os.path.isfile(os.path.join(source, "adapter_model.safetensors")):
        from peft import set_peft_model_state_dict
        adapters = _read_safetensors(source, "adapter_model.safetensors")
        result = set_peft_model_state_dict(policy.model, adapters)
        # strict=False inside peft: adapters of another shape or target_modules would load nothing, silently
        wrong = [k for k in result.missing_keys if "lora_" in k] + list(result.unexpected_keys)
        if wrong:
            raise ValueError(f"checkpoint {source}: its LoRA adapters do not match the model's: "
                             f"{', '.join(wrong[:5])}")
        return source
    state = _read_safetensors(source, "model.safetensors")
    missing, unexpected = policy.model.load_state_dict(state, strict=False)
    tied = _tied_names(policy.model)
    wrong = [k for k in missing if k not in tied] + list(unexpected)
    if wrong:
        # transformers 5 saves some architectures (mixture-of-experts) in their original layout,
        # not the in-memory one: its own loader converts them back
        _load_through_transformers(policy, source, wrong)
    return source


def _load_through_transformers(policy, source, wrong):
    """from_pretrained converts the saved layout back; its loading info tells whether every
    weight came from the checkpoint (it initialises missing ones at random, silently)."""
    import transformers
    try:
        loaded, info = transformers.AutoModelForCausalLM.from_pretrained(source, output_loading_info=True)
    except (OSError, ValueError) as e:
        raise ValueError(f"checkpoint {source} does not match the model "
                         f"({', '.join(wrong[:5])}): {e}") from None
    not_loaded = sorted(set(info.get("missing_keys") or ()) - _tied_names(loaded)) + \
        [k[0] if isinstance(k, tuple) else k for k in info.get("mismatched_keys") or ()]
    missing, unexpected = policy.model.load_state_dict(loaded.state_dict(), strict=False)
    not_loaded += [k for k in missing if k not in _tied_names(policy.model)] + list(unexpected)
    if not_loaded:
        raise ValueError(f"checkpoint {source} does not match the model: "
                         f"{', '.join(map(str, not_loaded[:5]))}")


def _read_safetensors(folder, name):
    """One file, or the shards a model.safetensors.index.json lists, as CPU tensors."""
    from safetensors.torch import load_file
    index = os.path.join(folder, name + ".index.json")
    if os.path.isfile(index):
        with open(index, encoding="utf-8") as f:
            shards = sorted(set(json.load(f)["weight_map"].values()))
    else:
        shards = [name]
    state = {}
    for shard in shards:
        state.update(load_file(os.path.join(folder, shard), device="cpu"))
    return state


def _tied_names(model):
    """Parameter names that share their tensor with another (a tied LM head is saved once)."""
    seen, tied = {}, set()
    for name, p in model.named_parameters(remove_duplicate=False):
        if p.data_ptr() in seen:
            tied.update({name, seen[p.data_ptr()]})
        seen.setdefault(p.data_ptr(), name)
    return tied
