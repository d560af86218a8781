"""The memory-lean log-prob engine: completion-only logits, a chunked selective log-softmax,
micro-batches and gradient checkpointing.

log-probs of the chosen tokens need one logsumexp per position, not the [N, T, V] fp32
log-softmax that `grpo.token_logprobs` (the reference) builds: at Qwen's vocabulary
(151 936) and 64 x 712 completion tokens that tensor alone is 28 GB, and autograd keeps it.
Here the rows are taken a chunk at a time in fp32, only [rows] results are kept, and the
backward pass recomputes each chunk's softmax instead of saving it.

Models: any module with an `lm_head` (the tiny GPT) or `get_output_embeddings()` (every
transformers causal LM, through peft too) gets its head applied to the completion
positions only (`completion_logits`): a pre-hook on the head slices the hidden states,
which is what transformers' `logits_to_keep` does.  A policy may instead provide
    policy.completion_logits(input_ids, attention_mask, logits_to_keep, model=None)
        -> logits [N, logits_to_keep, V] of the positions that predict the last
           logits_to_keep tokens of input_ids
and then that is used as is.
"""
import contextlib
import functools

import torch
import torch.utils.checkpoint

# fp32 bytes of one chunk of logits rows: 64 MiB (110 rows at V = 151 936); a chunk needs
# about two such buffers at a time (forward and backward)
CHUNK_BYTES = 2**26


def chunk_rows_for(vocab_size, chunk_bytes=CHUNK_BYTES):
    """Rows of [rows, V] fp32 that fit in chunk_bytes (at least 1)."""
    return max(1, chunk_bytes // (4 * vocab_size))


def _chunk_logp(chunk, temperature):
    """log-softmax of one chunk [rows, V] in fp32 (z / T - logsumexp), in place where it can."""
    z = chunk.float()
    if temperature != 1.0 or z.data_ptr() == chunk.data_ptr():
        z = z / temperature  # a new tensor: the in-place steps must not write into the logits
    return z.sub_(torch.logsumexp(z, dim=-1, keepdim=True))


class _SelectiveLogSoftmax(torch.autograd.Function):
    """(logits [R, V], tokens [R]) -> (log p(token) [R], entropy [R]), both fp32, chunked."""

    @staticmethod
    def forward(ctx, logits, tokens, temperature, chunk_rows):
        rows = logits.shape[0]
        logp = torch.empty(rows, dtype=torch.float32, device=logits.device)
        entropy = torch.empty_like(logp)
        with torch.no_grad():
            for s in range(0, rows, chunk_rows):
                logp_all = _chunk_logp(logits[s:s + chunk_rows], temperature)
                chosen = tokens[s:s + chunk_rows].unsqueeze(-1)
                logp[s:s + chunk_rows] = logp_all.gather(-1, chosen).squeeze(-1)
                entropy[s:s + chunk_rows] = -(logp_all.exp().mul_(logp_all)).sum(-1)
        ctx.save_for_backward(logits, tokens, entropy)
        ctx.temperature, ctx.chunk_rows = temperature, chunk_rows
        return logp, entropy

    @staticmethod
    def backward(ctx, grad_logp, grad_entropy):
        # d logp_k / dz = onehot_k - p;  d H / dz = -p * (log p + H);  z = logits / T
        logits, tokens, entropy = ctx.saved_tensors
        grad = torch.empty_like(logits)
        step = ctx.chunk_rows
        for s in range(0, logits.shape[0], step):
            logp_all = _chunk_logp(logits[s:s + step], ctx.temperature)
            p = logp_all.exp()
            if grad_entropy is not None:  # logp_all becomes gh * p * (log p + H)
                gh = grad_entropy[s:s + step].float().unsqueeze(-1)
                logp_all.add_(entropy[s:s + step].unsqueeze(-1)).mul_(p).mul_(gh)
            if grad_logp is not None:
                gl = grad_logp[s:s + step].float().unsqueeze(-1)
                g = p.mul_(-gl).scatter_add_(-1, tokens[s:s + step].unsqueeze(-1), gl)
            else:
                g = p.zero_()
            if grad_entropy is not None:
                g.sub_(logp_all)
            grad[s:s + step] = g.div_(ctx.temperature)
        return grad, None, None, None


def logprobs_and_entropy(logits, tokens, temperature=1.0, chunk_rows=None):
    """log pi(token) and the entropy at each position, fp32, never an [N, T, V] fp32 tensor.
    logits: [..., V] in any float dtype; tokens: [...] -> two [...] tensors."""
    v = logits.shape[-1]
    rows = chunk_rows or chunk_rows_for(v)
    flat = logits.reshape(-1, v)
    logp, entropy = _SelectiveLogSoftmax.apply(flat, tokens.reshape(-1), float(temperature), rows)
    return logp.view(tokens.shape), entropy.view(tokens.shape)


def selective_log_softmax(logits, tokens, temperature=1.0, chunk_rows=None):
    """log pi(token) only: logits [..., V], tokens [...] -> [...] fp32."""
    return logprobs_and_entropy(logits, tokens, temperature, chunk_rows)[0]


def output_head(module):
    """The module's LM head (the Linear that makes logits), or None."""
    get = getattr(module, "get_output_embeddings", None)
    head = get() if callable(get) else None
    head = head if head is not None else getattr(module, "lm_head", None)
    return head if isinstance(head, torch.nn.Module) else None


@contextlib.contextmanager
def head_on_positions(module, start, stop):
    """While inside: the head of module sees only hidden states [:, start:stop] (its input
    sliced by a pre-hook), so no logits are made for the prompt."""
    head = output_head(module)
    if head is None:
        yield False
        return

    def keep(_mod, args):
        return (args[0][:, start:stop],) + tuple(args[1:])
    handle = head.register_forward_pre_hook(keep)
    try:
        yield True
    finally:
        handle.remove()


def completion_logits(policy, model, input_ids, attention_mask, position_ids, n_prompt):
    """Logits [N, C, V] of the positions that predict the C completion tokens (those after
    the n_prompt prompt tokens); model None is the policy, else the reference."""
    keep = input_ids.shape[1] - n_prompt
    own = getattr(policy, "completion_logits", None)
    if callable(own):
        return own(input_ids, attention_mask, keep, model=model)  # positions from the mask, as here
    module = policy.model if model is None or isinstance(model, str) else model
    with head_on_positions(module, n_prompt - 1, input_ids.shape[1] - 1) as sliced:
        logits = policy.logits(input_ids, attention_mask, position_ids, model=model)
    return logits if sliced else logits[:, n_prompt - 1:-1]


def enable_gradient_checkpointing(module):
    """Recompute each transformer block's activations in the backward pass instead of
    keeping them.  transformers models use their own switch; the tiny GPT's blocks are
    wrapped here (only while training with gradients: sampling and no-grad passes run the
    block as is).  Idempotent; returns True when checkpointing is on."""
    if hasattr(module, "gradient_checkpointing_enable"):
        if not getattr(module, "is_gradient_checkpointing", False):
            module.gradient_checkpointing_enable(gradient_checkpointing_kwargs={"use_reentrant": False})
        return True
    blocks = getattr(module, "blocks", None)
    if blocks is None:
        return False
    for block in blocks:
        if not getattr(block, "_grpo_lens_checkpointed", False):
            block.forward = functools.partial(_checkpointed, block, block.forward)
            block._grpo_lens_checkpointed = True
    return True


def _checkpointed(block, forward, *args, **kwargs):
    if block.training and torch.is_grad_enabled():
        return torch.utils.checkpoint.checkpoint(forward, *args, use_reentrant=False, **kwargs)
    return forward(*args, **kwargs)


def micro_batches(rows, size):
    """Split a list of row indices into runs of at most size (size None: one run)."""
    size = size or len(rows)
    return [rows[i:i + size] for i in range(0, len(rows), size)]


def take_rows(batch, rows):
    """The rows of a batch tuple: tensors indexed by rows, anything else (the prompt
    length) kept."""
    index = torch.as_tensor(rows, dtype=torch.long)
    return tuple(x[index.to(x.device)] if torch.is_tensor(x) else x for x in batch)
