"""Policies the trainer can train: the built-in tiny GPT or a Hugging Face causal LM.

A policy gives the loop one interface: `model` (an nn.Module), `tokenizer`,
`logits(input_ids, attention_mask, position_ids)`, `generate(...)`,
`reference()`, `autocast()`.
"""
import contextlib
import copy

import torch

from ..tokenizer import CharTokenizer
from .tiny_gpt import TinyGPT


def frozen_copy(model):
    """The reference: a copy of the model as it is now, no gradients, in eval mode (no dropout)."""
    ref = copy.deepcopy(model)
    ref.requires_grad_(False)
    return ref.eval()


def build_policy(model_config, device):
    if model_config["type"] == "hf":
        from .hf import HFPolicy  # imports transformers lazily
        return HFPolicy(model_config, device)
    return TinyPolicy(model_config, device)


class TinyPolicy:
    """The tiny GPT with its character tokenizer; sampling uses a KV cache."""

    kind = "tiny"

    def __init__(self, model_config, device):
        self.tokenizer = CharTokenizer()
        self.device = device
        self.max_length = model_config["block_size"]
        self.model = TinyGPT(self.tokenizer.vocab_size, model_config["n_layer"], model_config["n_head"],
                             model_config["n_embd"], model_config["block_size"]).to(device)

    def encode_prompt(self, text, settings=None):
        return [self.tokenizer.bos_id] + self.tokenizer.encode(str(text))

    def logits(self, input_ids, attention_mask, position_ids, model=None):
        return (self.model if model is None else model)(input_ids, attention_mask, position_ids)

    def autocast(self):
        return contextlib.nullcontext()  # the tiny model trains in float32

    def generate(self, prompt_ids, prompt_mask, settings, generator):
        from ..rollout import sample_with_cache
        return sample_with_cache(self.model, prompt_ids, prompt_mask, settings, generator,
                                 eos_id=self.tokenizer.eos_id, pad_id=self.tokenizer.pad_id)

    def reference(self):
        """A frozen copy of the policy as it is now (after the warm start)."""
        return frozen_copy(self.model)

    def trainable_parameters(self):
        return [p for p in self.model.parameters() if p.requires_grad]

    def state_dict(self):
        return self.model.state_dict()

    def load_state_dict(self, state):
        self.model.load_state_dict(state)


def position_ids_from_mask(attention_mask):
    """Positions that skip left padding: 0 at each row's first real token."""
    return (attention_mask.long().cumsum(dim=1) - 1).clamp(min=0)


def pad_left(sequences, pad_id, device):
    """Left-pad token lists to one [N, P] tensor with its attention mask."""
    width = max(len(s) for s in sequences)
    ids = torch.full((len(sequences), width), pad_id, dtype=torch.long)
    mask = torch.zeros((len(sequences), width), dtype=torch.long)
    for i, s in enumerate(sequences):
        ids[i, width - len(s):] = torch.tensor(s, dtype=torch.long)
        mask[i, width - len(s):] = 1
    return ids.to(device), mask.to(device)
