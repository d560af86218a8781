"""Builds the models bench/inspection_latency.ts measures, as run directories with ONNX
exports (policy.onnx in a checkpoint, reference.onnx, tokenizer.json):

  tiny    the built-in tiny GPT (demo-sized, block_size 320 so a 256-token completion fits)
  qwen05  a Qwen2-0.5B-shaped decoder (24 layers, 896 wide, 14 heads / 2 KV heads, SwiGLU
          4864, RMSNorm, RoPE, vocab 151936, tied embeddings), random weights, plain torch

Usage: /usr/bin/python3 bench/inspection_models.py OUT_DIR [tiny] [qwen05]
"""
import math
import os
import sys
import time

import torch
from torch import nn
from torch.nn import functional as F

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "trainer"))
from grpo_lens import export  # noqa: E402
from grpo_lens.models.tiny_gpt import TinyGPT  # noqa: E402
from grpo_lens.tokenizer import CharTokenizer  # noqa: E402


class RMSNorm(nn.Module):
    def __init__(self, d, eps=1e-6):
        super().__init__()
        self.weight, self.eps = nn.Parameter(torch.ones(d)), eps

    def forward(self, x):
        return self.weight * x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps)


def rotate_half(x):
    a, b = x.chunk(2, dim=-1)
    return torch.cat([-b, a], dim=-1)


class Attention(nn.Module):
    def __init__(self, d, heads, kv_heads):
        super().__init__()
        self.h, self.kv, self.hd = heads, kv_heads, d // heads
        self.q = nn.Linear(d, d)
        self.k = nn.Linear(d, kv_heads * self.hd)
        self.v = nn.Linear(d, kv_heads * self.hd)
        self.o = nn.Linear(d, d, bias=False)

    def forward(self, x, cos, sin, mask):
        b, t, _ = x.shape
        q = self.q(x).view(b, t, self.h, self.hd).transpose(1, 2)
        k = self.k(x).view(b, t, self.kv, self.hd).transpose(1, 2)
        v = self.v(x).view(b, t, self.kv, self.hd).transpose(1, 2)
        q, k = q * cos + rotate_half(q) * sin, k * cos + rotate_half(k) * sin
        # grouped-query attention: each KV head serves h / kv query heads (expand, not
        # repeat_interleave, which torch 1.13 exports with the trace's fixed shapes)
        rep = self.h // self.kv
        k, v = (z[:, :, None].expand(b, self.kv, rep, t, self.hd).reshape(b, self.h, t, self.hd)
                for z in (k, v))
        att = (q @ k.transpose(-2, -1)) / math.sqrt(self.hd) + mask
        y = F.softmax(att, dim=-1) @ v
        return self.o(y.transpose(1, 2).reshape(b, t, -1))


class Layer(nn.Module):
    def __init__(self, d, heads, kv_heads, ffn):
        super().__init__()
        self.n1, self.attn, self.n2 = RMSNorm(d), Attention(d, heads, kv_heads), RMSNorm(d)
        self.gate = nn.Linear(d, ffn, bias=False)
        self.up = nn.Linear(d, ffn, bias=False)
        self.down = nn.Linear(ffn, d, bias=False)

    def forward(self, x, cos, sin, mask):
        x = x + self.attn(self.n1(x), cos, sin, mask)
        h = self.n2(x)
        return x + self.down(F.silu(self.gate(h)) * self.up(h))


class Qwen2Shaped(nn.Module):
    def __init__(self, vocab=151936, d=896, layers=24, heads=14, kv_heads=2, ffn=4864, theta=1e6):
        super().__init__()
        self.embed = nn.Embedding(vocab, d)
        self.layers = nn.ModuleList(Layer(d, heads, kv_heads, ffn) for _ in range(layers))
        self.norm = RMSNorm(d)
        hd = d // heads
        inv_freq = 1.0 / theta ** (torch.arange(0, hd, 2).float() / hd)
        self.register_buffer("inv_freq", inv_freq, persistent=False)
        for p in self.parameters():
            if p.dim() == 2:
                nn.init.normal_(p, std=0.02)

    def forward(self, input_ids):
        t = input_ids.shape[1]
        pos = torch.arange(t, device=input_ids.device).float()
        freqs = torch.outer(pos, self.inv_freq)
        emb = torch.cat([freqs, freqs], dim=-1)
        cos, sin = emb.cos()[None, None], emb.sin()[None, None]
        causal = torch.ones(t, t, dtype=torch.bool, device=input_ids.device).tril()
        mask = torch.zeros(t, t).masked_fill(~causal, -1e9)
        x = self.embed(input_ids)
        for layer in self.layers:
            x = layer(x, cos, sin, mask)
        return self.norm(x) @ self.embed.weight.t()  # tied embeddings, as Qwen2-0.5B


def char_tokenizer_dict(vocab_size):
    """A char tokenizer padded to the model's vocabulary (ids past the chars are '<id>')."""
    tok = CharTokenizer().to_json_dict()
    tok["vocab"] = tok["vocab"] + [f"<{i}>" for i in range(len(tok["vocab"]), vocab_size)]
    return tok


def write_run(out, name, model, tokenizer_dict, block_size):
    run = os.path.join(out, name)
    ckpt = os.path.join(run, "checkpoints", "step-000001")
    os.makedirs(ckpt, exist_ok=True)
    start = time.time()
    export.export_model(model, os.path.join(ckpt, export.POLICY_FILE), block_size)
    reference = os.path.join(run, export.REFERENCE_FILE)
    if os.path.exists(reference):
        os.remove(reference)
    os.link(os.path.join(ckpt, export.POLICY_FILE), reference)  # same weights: the reference at step 0
    data = os.path.join(ckpt, export.POLICY_FILE + ".data")
    if os.path.exists(data):  # over 2 GB: the graph names its weights file, found beside it
        os.link(data, os.path.join(run, export.POLICY_FILE + ".data"))
    tokenizer_dict["model_max_length"] = block_size
    export._write_json_atomic(os.path.join(run, export.TOKENIZER_FILE), tokenizer_dict)
    params = sum(p.numel() for p in model.parameters())
    print(f"{name}: {params / 1e6:.1f}M parameters, exported in {time.time() - start:.1f} s -> {run}")


def main(out, which):
    torch.manual_seed(0)
    if "tiny" in which:
        tok = CharTokenizer()
        model = TinyGPT(tok.vocab_size, n_layer=4, n_head=4, n_embd=128, block_size=320).eval()
        write_run(out, "tiny", model, tok.to_json_dict(), 320)
    if "qwen05" in which:
        model = Qwen2Shaped().eval()
        write_run(out, "qwen05", model, char_tokenizer_dict(151936), 4096)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2:] or ["tiny", "qwen05"])
