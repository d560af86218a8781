"""The built-in tiny GPT (nanoGPT-style), pure PyTorch.

`model(input_ids)` -> logits [B, T, V] needs nothing else and has no data-dependent
Python control flow, so it exports to ONNX with dynamic batch and sequence axes.
`forward_with_cache` is the same network with a padding mask, explicit positions and a
key/value cache, used for batched sampling.
"""
import math

import torch
from torch import nn
from torch.nn import functional as F


class SelfAttention(nn.Module):
    def __init__(self, n_embd, n_head):
        super().__init__()
        self.n_head = n_head
        self.qkv = nn.Linear(n_embd, 3 * n_embd)
        self.proj = nn.Linear(n_embd, n_embd)

    def forward(self, x, bias, past=None):
        """x: [B, T, C]; bias: additive mask [B or 1, 1, T, T_past + T]; past: (k, v)."""
        b, t, c = x.shape
        q, k, v = self.qkv(x).split(c, dim=2)
        q, k, v = (z.view(b, t, self.n_head, c // self.n_head).transpose(1, 2) for z in (q, k, v))
        if past is not None:
            k = torch.cat([past[0], k], dim=2)
            v = torch.cat([past[1], v], dim=2)
        att = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(k.shape[-1])) + bias
        y = F.softmax(att, dim=-1) @ v
        return self.proj(y.transpose(1, 2).reshape(b, t, c)), (k, v)


class Block(nn.Module):
    def __init__(self, n_embd, n_head):
        super().__init__()
        self.ln1 = nn.LayerNorm(n_embd)
        self.attn = SelfAttention(n_embd, n_head)
        self.ln2 = nn.LayerNorm(n_embd)
        self.mlp = nn.Sequential(nn.Linear(n_embd, 4 * n_embd), nn.GELU(), nn.Linear(4 * n_embd, n_embd))

    def forward(self, x, bias, past=None):
        a, present = self.attn(self.ln1(x), bias, past)
        x = x + a
        return x + self.mlp(self.ln2(x)), present


class TinyGPT(nn.Module):
    def __init__(self, vocab_size, n_layer=2, n_head=2, n_embd=64, block_size=64):
        super().__init__()
        self.block_size = block_size
        self.wte = nn.Embedding(vocab_size, n_embd)
        self.wpe = nn.Embedding(block_size, n_embd)
        self.blocks = nn.ModuleList(Block(n_embd, n_head) for _ in range(n_layer))
        self.ln_f = nn.LayerNorm(n_embd)
        self.lm_head = nn.Linear(n_embd, vocab_size, bias=False)
        causal = torch.tril(torch.ones(block_size, block_size, dtype=torch.bool))
        self.register_buffer("causal", causal, persistent=False)
        self.apply(self._init_weights)

    @staticmethod
    def _init_weights(module):
        if isinstance(module, (nn.Linear, nn.Embedding)):
            nn.init.normal_(module.weight, mean=0.0, std=0.02)
        if isinstance(module, nn.Linear) and module.bias is not None:
            nn.init.zeros_(module.bias)

    def forward(self, input_ids, attention_mask=None, position_ids=None):
        """input_ids: [B, T] -> logits [B, T, V].  attention_mask: [B, T] (1 = real token)."""
        t = input_ids.shape[1]
        allowed = self.causal[:t, :t].unsqueeze(0).unsqueeze(0)
        if attention_mask is not None:
            allowed = allowed & attention_mask.bool()[:, None, None, :]
        if position_ids is None:
            position_ids = torch.arange(t, device=input_ids.device).unsqueeze(0)
        logits, _ = self._run(input_ids, position_ids, self._bias(allowed), None)
        return logits

    def forward_with_cache(self, input_ids, attention_mask, position_ids, past=None):
        """Sampling path.  attention_mask covers past + new tokens: [B, T_past + T]."""
        t = input_ids.shape[1]
        t_all = attention_mask.shape[1]
        allowed = self.causal[t_all - t:t_all, :t_all].unsqueeze(0).unsqueeze(0)
        allowed = allowed & attention_mask.bool()[:, None, None, :]
        return self._run(input_ids, position_ids, self._bias(allowed), past)

    def _bias(self, allowed):
        zero = torch.zeros((), dtype=self.wte.weight.dtype, device=allowed.device)
        # a finite minimum rather than -inf, so rows that are all padding stay NaN-free
        return torch.where(allowed, zero, torch.finfo(zero.dtype).min)

    def _run(self, input_ids, position_ids, bias, past):
        x = self.wte(input_ids) + self.wpe(position_ids)
        presents = []
        for i, block in enumerate(self.blocks):
            x, present = block(x, bias, None if past is None else past[i])
            presents.append(present)
        return self.lm_head(self.ln_f(x)), presents
