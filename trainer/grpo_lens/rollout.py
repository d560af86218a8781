"""Rollout: sample G completions per prompt, batched, keeping sampling-time log-probs."""
from dataclasses import dataclass
from typing import List

import torch

from .models import pad_left, position_ids_from_mask


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


def top_p_filter(probs, top_p):
    """Zero the tail of each row outside the smallest set with mass >= top_p."""
    if top_p >= 1.0:
        return probs
    sorted_probs, order = probs.sort(dim=-1, descending=True)
    before = sorted_probs.cumsum(dim=-1) - sorted_probs
    sorted_probs = torch.where(before < top_p, sorted_probs, torch.zeros_like(sorted_probs))
    return torch.zeros_like(probs).scatter(-1, order, sorted_probs)


@torch.no_grad()
def sample_with_cache(model, prompt_ids, prompt_mask, settings, generator, eos_id, pad_id):
    """Batched sampling from the tiny GPT with a key/value cache; stops at EOS."""
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
        probs = top_p_filter(logp_all.exp(), settings["top_p"])
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
    g = settings["num_generations"]
    keep = policy.max_length - settings["max_completion_length"]
    encoded = [policy.encode_prompt(p)[-keep:] for p in prompts for _ in range(g)]
    prompt_ids, prompt_mask = pad_left(encoded, policy.tokenizer.pad_id, policy.device)
    was_training = policy.model.training
    policy.model.eval()
    completion_ids, completion_mask, logprobs = policy.generate(prompt_ids, prompt_mask, settings, generator)
    policy.model.train(was_training)
    eos = policy.tokenizer.eos_id
    rows = completion_ids.tolist()
    texts = [policy.tokenizer.decode(r) for r in rows]
    truncated = [eos not in r for r in rows]
    return Rollout(prompt_ids, prompt_mask, completion_ids, completion_mask.long(), logprobs, texts,
                   truncated)
