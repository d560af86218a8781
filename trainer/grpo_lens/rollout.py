"""Rollout: sample G completions per prompt, batched, keeping sampling-time log-probs."""
from dataclasses import dataclass
from typing import List

import torch

from .models import pad_left, position_ids_from_mask
from .models.sampling import filter_probs


@dataclass
class Rollout:
    """One step's completions.  N = prompts x G rows; prompt rows repeat G times."""
    prompt_ids: torch.Tensor       # [N, P] left-padded
    prompt_mask: torch.Tensor      # [N, P]
    completion_ids: torch.Tensor   # [N, C] right-padded after EOS
    completion_mask: torch.Tensor  # [N, C] 1 for sampled tokens, EOS included
    sample_logprobs: torch.Tensor  # [N, C] log-probs at sampling time (temperature applied)
    texts: List[str]
    truncated: List[bool]

    @property
    def num_tokens(self):
        return self.completion_mask.sum(dim=1).tolist()

    def token_id_lists(self):
        """Each completion's sampled token ids, EOS included (TRL's completion_ids)."""
        return [ids[:n] for ids, n in zip(self.completion_ids.tolist(), self.num_tokens)]


def top_p_filter(probs, top_p):
    """Zero the tail of each row outside the smallest set with mass >= top_p."""
    return probs if top_p >= 1.0 else filter_probs(probs, top_p=top_p)


def keep_prompt_tail(ids, keep, bos_id):
    """The last `keep` tokens of a prompt that is too long, BOS still first when it had one
    (a model trained with BOS first drifts without it)."""
    if len(ids) <= keep:
        return list(ids)
    if bos_id is not None and ids and ids[0] == bos_id and keep > 1:
        return [bos_id] + list(ids[len(ids) - keep + 1:])
    return list(ids[len(ids) - keep:])


def eos_mask(completion_ids, eos_ids):
    """[N, C] 1 up to and including the first EOS (any of eos_ids) of each row, 0 after it;
    and per row whether it has no EOS (truncated at max_completion_length)."""
    is_eos = torch.zeros_like(completion_ids, dtype=torch.bool)
    for e in eos_ids:
        is_eos |= completion_ids == e
    after_eos = (is_eos.long().cumsum(1) - is_eos.long()) > 0
    return (~after_eos).long(), (~is_eos.any(dim=1)).tolist()


def eos_ids_of(tokenizer):
    return list(getattr(tokenizer, "eos_ids", None) or [tokenizer.eos_id])


@torch.no_grad()
def sample_with_cache(model, prompt_ids, prompt_mask, settings, generator, eos_id, pad_id):
    """Batched sampling from the tiny GPT with a key/value cache; stops at EOS.  Tokens are
    drawn with top_k, top_p and min_p as a Hugging Face model's generate() draws them; the
    log-probs kept are those of softmax(logits / T), the distribution the loss scores."""
    cuts = {"top_k": settings.get("top_k", 0), "top_p": settings["top_p"],
            "min_p": settings.get("min_p", 0.0)}
    n = prompt_ids.shape[0]
    device = prompt_ids.device
    positions = position_ids_from_mask(prompt_mask)
    logits, past = model.forward_with_cache(prompt_ids, prompt_mask, positions, None)
    next_logits, last_pos, mask = logits[:, -1], positions[:, -1], prompt_mask
    finished = torch.zeros(n, dtype=torch.bool, device=device)
    tokens, logprobs, alive = [], [], []
    for _ in range(settings["max_completion_length"]):
        scaled = next_logits.float() / settings["temperature"]
        logp_all = torch.log_softmax(scaled, dim=-1)
        probs = filter_probs(logp_all.exp(), **cuts)
        tok = torch.multinomial(probs.cpu(), 1, generator=generator).squeeze(1).to(device)
        tok = torch.where(finished, torch.full_like(tok, pad_id), tok)
        alive.append(~finished)
        tokens.append(tok)
        logprobs.append(logp_all.gather(1, tok[:, None]).squeeze(1) * (~finished))
        finished = finished | (tok == eos_id)
        if bool(finished.all()):
            break
        mask = torch.cat([mask, torch.ones(n, 1, dtype=mask.dtype, device=device)], dim=1)
        last_pos = last_pos + 1
        logits, past = model.forward_with_cache(tok[:, None], mask, last_pos[:, None], past)
        next_logits = logits[:, -1]
    return torch.stack(tokens, 1), torch.stack(alive, 1).long(), torch.stack(logprobs, 1)


def rollout(policy, prompts, settings, generator):
    """Sample settings['num_generations'] completions for each prompt text."""
    g, tok = settings["num_generations"], policy.tokenizer
    keep = policy.max_length - settings["max_completion_length"]
    encoded = []
    for p in prompts:  # a prompt is text, or text carrying chat messages (tasks.PromptText)
        ids = keep_prompt_tail(policy.encode_prompt(p, settings), keep, tok.bos_id)
        encoded += [ids] * g
    prompt_ids, prompt_mask = pad_left(encoded, tok.pad_id, policy.device)
    was_training = policy.model.training
    policy.model.eval()  # explicit: sampling never runs in training mode
    try:
        completion_ids, completion_mask, logprobs = policy.generate(prompt_ids, prompt_mask, settings,
                                                                    generator)
    finally:
        policy.model.train(was_training)
    _, truncated = eos_mask(completion_ids, eos_ids_of(tok))
    texts = [tok.decode(r) for r in completion_ids.tolist()]
    return Rollout(prompt_ids, prompt_mask, completion_ids, completion_mask.long(), logprobs, texts,
                   truncated)
