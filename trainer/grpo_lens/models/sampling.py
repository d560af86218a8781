"""What a completion is sampled from, the same for every model: softmax(logits / temperature)
cut by top_k, top_p and min_p, as transformers applies them (temperature, then top-k, then
top-p on what top-k kept, then min-p).  The loss scores tokens under softmax(logits / T)
without the cuts, as TRL does.  No transformers import here: these are unit-tested on CPU."""
import torch

from ..tokenizer import eos_id_list  # noqa: F401 - part of this module's interface

SAMPLING_KEYS = ("temperature", "top_p", "top_k", "min_p", "repetition_penalty")


def generation_kwargs(settings, pad_id, bos_id, eos_ids):
    """Keyword arguments of transformers.GenerationConfig for sampling a run's completions.

    Every sampling option is set, so nothing comes from the model's generation_config.json
    (top_k 50 by default, Qwen2.5-Instruct's top_k 20 and repetition_penalty 1.05): top_k 0
    and min_p None switch those processors off (transformers adds TopKLogitsWarper only when
    top_k is not None and != 0), repetition_penalty 1.0 likewise.  eos_token_id is the list
    of every EOS id, so generation stops on any of them."""
    min_p = settings.get("min_p") or None
    return {"do_sample": True, "max_new_tokens": int(settings["max_completion_length"]),
            "temperature": float(settings["temperature"]), "top_p": float(settings.get("top_p", 1.0)),
            "top_k": int(settings.get("top_k") or 0), "min_p": None if min_p is None else float(min_p),
            "repetition_penalty": float(settings.get("repetition_penalty", 1.0)),
            "num_beams": 1, "pad_token_id": pad_id, "bos_token_id": bos_id,
            "eos_token_id": list(eos_ids), "use_cache": True}


def filter_probs(probs, top_k=0, top_p=1.0, min_p=0.0):
    """probs [N, V] with the tokens outside top_k / top_p / min_p set to 0 (not renormalised;
    torch.multinomial does not need it).  Each cut keeps at least the most likely token."""
    if top_k and top_k < probs.shape[-1]:
        kth = probs.topk(top_k, dim=-1).values[:, -1:]
        probs = torch.where(probs >= kth, probs, torch.zeros_like(probs))
    if top_p < 1.0:
        probs = _top_p(probs / probs.sum(dim=-1, keepdim=True), top_p)
    if min_p:
        floor = min_p * probs.max(dim=-1, keepdim=True).values
        probs = torch.where(probs >= floor, probs, torch.zeros_like(probs))
    return probs


def _top_p(probs, top_p):
    """Keep the smallest set of most likely tokens whose mass reaches top_p."""
    sorted_probs, order = probs.sort(dim=-1, descending=True)
    before = sorted_probs.cumsum(dim=-1) - sorted_probs
    sorted_probs = torch.where(before < top_p, sorted_probs, torch.zeros_like(sorted_probs))
    return torch.zeros_like(probs).scatter(-1, order, sorted_probs)
