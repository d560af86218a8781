"""The supervised warm start: cross-entropy on the task's target completions.

A tiny model starts at zero accuracy, and GRPO learns nothing from groups whose rewards
are all equal; a few hundred supervised steps give it some right answers to reinforce.
Logged as its own phase: metric lines carry "phase": "warmup" and "warmup_step", no "step".
"""
import time

import torch
from torch.nn import functional as F


def warmup_batch(policy, problems):
    """Right-padded [prompt + target + EOS] ids, and labels that score only the target."""
    tok = policy.tokenizer
    rows, labels = [], []
    for p in problems:
        prompt = policy.encode_prompt(p.prompt)
        answer = tok.encode(p.target) + [tok.eos_id]
        seq = (prompt + answer)[-policy.max_length:]
        n_prompt = max(0, len(seq) - len(answer))
        rows.append(seq)
        labels.append([-100] * n_prompt + seq[n_prompt:])
    width = max(len(r) for r in rows)
    ids = torch.full((len(rows), width), tok.pad_id, dtype=torch.long)
    lab = torch.full((len(rows), width), -100, dtype=torch.long)
    mask = torch.zeros((len(rows), width), dtype=torch.long)
    for i, (r, lb) in enumerate(zip(rows, labels)):
        ids[i, :len(r)] = torch.tensor(r)
        lab[i, :len(lb)] = torch.tensor(lb)
        mask[i, :len(r)] = 1
    return ids.to(policy.device), mask.to(policy.device), lab.to(policy.device)


def warmup_step(trainer):
    """One supervised step; returns its metric line."""
    start = time.time()
    cfg = trainer.config["warm_start"]
    problems = [trainer.task.problem(trainer.warmup_position + i) for i in range(cfg["batch_size"])]
    trainer.warmup_position += cfg["batch_size"]
    ids, mask, labels = warmup_batch(trainer.policy, problems)
    logits = trainer.policy.logits(ids, mask, None)
    loss = F.cross_entropy(logits[:, :-1].reshape(-1, logits.shape[-1]), labels[:, 1:].reshape(-1))
    trainer.optimizer.zero_grad(set_to_none=True)
    loss.backward()
    params = trainer.policy.trainable_parameters()
    grad_norm = torch.nn.utils.clip_grad_norm_(params, trainer.config["max_grad_norm"])
    trainer.optimizer.step()
    lr = trainer.scheduler.get_last_lr()[0]
    trainer.scheduler.step()
    trainer.warmup_step += 1
    return {"phase": "warmup", "warmup_step": trainer.warmup_step, "time": time.time(), "loss": loss.item(),
            "grad_norm": float(grad_norm), "lr": lr, "timing/step_s": time.time() - start}
