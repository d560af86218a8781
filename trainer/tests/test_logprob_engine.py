"""The memory-lean log-prob engine (logprobs.py) and the update loop around it (step.py):
chunked selective log-softmax against a float64 loop reference, completion-only logits,
micro-batches equal to one pass, steps_per_generation, gradient checkpointing, the
reference sync."""
import math

import numpy as np
import pytest
import torch

from grpo_lens import grpo, logprobs, step
from grpo_lens import update as update_module
from grpo_lens.models import position_ids_from_mask
from grpo_lens.rollout import rollout

from test_grpo_math import ref_logprob
from test_wiring import make_trainer


def ref_entropy(row, temperature):
    ps = [math.exp(ref_logprob(row, k, temperature)) for k in range(len(row))]
    return -sum(p * math.log(p) for p in ps)


@pytest.mark.parametrize("chunk_rows", [1, 3, 7, 1000])
def test_chunked_logprobs_and_entropy_match_the_reference(chunk_rows):
    rng = np.random.default_rng(0)
    logits = rng.normal(scale=2.0, size=(3, 5, 11))
    tokens = rng.integers(0, 11, size=(3, 5))
    logp, ent = logprobs.logprobs_and_entropy(torch.tensor(logits), torch.tensor(tokens), 0.7, chunk_rows)
    assert logp.dtype == torch.float32 and logp.shape == (3, 5)
    for i in range(3):
        for j in range(5):
            row = list(logits[i, j])
            assert logp[i, j].item() == pytest.approx(ref_logprob(row, tokens[i, j], 0.7), abs=1e-5)
            assert ent[i, j].item() == pytest.approx(ref_entropy(row, 0.7), abs=1e-5)


def test_chunked_engine_gradient_matches_autograd_of_the_full_softmax():
    """Both outputs' gradients, recomputed chunk by chunk, equal autograd through
    grpo.token_logprobs / token_entropy (float64)."""
    torch.manual_seed(0)
    logits = torch.randn(4, 3, 9, dtype=torch.float64)
    tokens = torch.randint(0, 9, (4, 3))
    w1, w2 = torch.randn(4, 3, dtype=torch.float64), torch.randn(4, 3, dtype=torch.float64)
    x = logits.clone().requires_grad_(True)
    logp, ent = logprobs.logprobs_and_entropy(x.float(), tokens, 0.8, chunk_rows=5)
    (logp.double() * w1 + ent.double() * w2).sum().backward()
    y = logits.clone().requires_grad_(True)
    full = (grpo.token_logprobs(y, tokens, 0.8) * w1 + grpo.token_entropy(y, 0.8) * w2).sum()
    full.backward()
    np.testing.assert_allclose(x.grad.numpy(), y.grad.numpy(), atol=1e-5)


@pytest.mark.parametrize("temperature", [1.0, 0.7])
def test_fp32_logits_are_left_as_they_were(temperature):
    logits = torch.randn(4, 7, requires_grad=True)
    before = logits.detach().clone()
    logp, ent = logprobs.logprobs_and_entropy(logits, torch.randint(0, 7, (4,)), temperature, chunk_rows=3)
    (logp.sum() + ent.sum()).backward()
    assert torch.equal(logits.detach(), before)


def test_gradcheck_of_the_custom_backward():
    logits = torch.randn(5, 6, dtype=torch.float64, requires_grad=True)
    tokens = torch.randint(0, 6, (5,))

    def f(z):
        lp, h = logprobs._SelectiveLogSoftmax.apply(z, tokens, 1.3, 2)
        return lp.double().sum() + 0.5 * h.double().sum()
    # the engine works in fp32, so a loose tolerance; the exact check is the test above
    assert torch.autograd.gradcheck(f, (logits,), eps=1e-3, atol=1e-3, rtol=1e-3)


def test_bf16_logits_are_read_in_fp32_and_the_gradient_keeps_their_dtype():
    torch.manual_seed(1)
    logits = (torch.randn(6, 50) * 3).bfloat16().requires_grad_(True)
    tokens = torch.randint(0, 50, (6,))
    logp = logprobs.selective_log_softmax(logits, tokens, 1.0, chunk_rows=4)
    expected = torch.log_softmax(logits.detach().float(), -1).gather(-1, tokens[:, None]).squeeze(-1)
    assert logp.dtype == torch.float32
    assert torch.allclose(logp, expected, atol=1e-5)
    logp.sum().backward()
    assert logits.grad.dtype == torch.bfloat16


def test_completion_logits_apply_the_head_to_completion_positions_only(tmp_path):
    trainer = make_trainer(tmp_path)
    policy = trainer.policy
    ids = torch.randint(3, 10, (3, 9))
    mask = torch.ones(3, 9, dtype=torch.long)
    mask[0, :2] = 0
    positions = position_ids_from_mask(mask)
    seen = []
    handle = policy.model.lm_head.register_forward_hook(lambda m, a, out: seen.append(a[0].shape[1]))
    got = logprobs.completion_logits(policy, None, ids, mask, positions, n_prompt=5)
    handle.remove()
    assert seen == [4]  # 4 completion tokens: the head saw 4 positions, not 9
    full = policy.logits(ids, mask, positions)[:, 4:-1]
    assert got.shape == full.shape and torch.allclose(got, full, atol=1e-6)
    trainer.run.close()


def _batch(trainer):
    cfg = trainer.config
    problems = [trainer.task.problem(i) for i in range(cfg["prompts_per_step"])]
    out = rollout(trainer.policy, [p.prompt for p in problems], cfg, trainer.sampling_generator)
    batch = (torch.cat([out.prompt_ids, out.completion_ids], 1),
             torch.cat([out.prompt_mask, out.completion_mask], 1), out.prompt_ids.shape[1],
             out.completion_ids)
    n = out.completion_ids.shape[0]
    advantages = torch.linspace(-1.0, 1.2, n)
    return batch, advantages, out.completion_mask.float(), out.sample_logprobs


def _updated_weights(tmp_path, name, batch_parts, **overrides):
    trainer = make_trainer(tmp_path / name, **dict({"learning_rate": 0.01}, **overrides))
    batch, advantages, mask, old = batch_parts
    with torch.no_grad():
        ref = None
        if trainer.reference is not None:
            ref = step._forward_logprobs(trainer, trainer.reference, batch)[0]
    metrics = step.update(trainer, batch, advantages, mask, ref, trainer.config["beta"], old_logp=old)
    weights = [p.detach().clone() for p in trainer.policy.model.parameters()]
    # the last optimizer step's gradient (AdamW's first steps hardly depend on its scale)
    metrics["grads"] = [p.grad.clone() for p in trainer.policy.model.parameters()]
    trainer.run.close()
    return weights, metrics


def _fixed_batch(tmp_path):
    trainer = make_trainer(tmp_path / "sampler")
    parts = _batch(trainer)
    trainer.run.close()
    return parts


@pytest.mark.parametrize("options", [
    dict(loss_type="grpo"), dict(loss_type="dr_grpo"), dict(loss_type="bnpo", entropy_coef=0.01),
    dict(loss_type="cispo", epsilon_high=5.0, importance_sampling_level="sequence"),
    dict(loss_type="dapo", num_iterations=2, delta=1.5),
    dict(loss_type="grpo", steps_per_generation=2, num_iterations=2)])
def test_micro_batches_give_the_update_of_one_pass(tmp_path, options):
    parts = _fixed_batch(tmp_path)
    whole, m1 = _updated_weights(tmp_path, "whole", parts, **options)
    micro, m2 = _updated_weights(tmp_path, "micro", parts, per_device_batch_size=3, **options)
    moved = max(float((w - p).abs().max()) for w, p in zip(whole, _updated_weights(
        tmp_path, "none", parts, **dict(options, learning_rate=1e-12))[0]))
    assert moved > 1e-4  # the update did something
    # AdamW's first step is about lr * sign(gradient): the weights are no test of the
    # gradient's scale, and a gradient near 0 makes them differ by float noise; so the
    # gradients are compared (and the weights loosely)
    for a, b in zip(whole, micro):
        assert torch.allclose(a, b, atol=1e-3)
    for a, b in zip(m1.pop("grads"), m2.pop("grads")):
        scale = float(a.abs().max())
        assert float((a - b).abs().max()) <= 1e-5 * scale + 1e-9, (float((a - b).abs().max()), scale)
    assert m1["loss"] == pytest.approx(m2["loss"], rel=1e-4, abs=1e-6)
    assert m1["grad_norm"] == pytest.approx(m2["grad_norm"], rel=1e-4)
    assert ("cispo_clip_ratio" in m1) == (options["loss_type"] == "cispo")


def test_steps_per_generation_takes_one_optimizer_step_per_slice(tmp_path, monkeypatch):
    parts = _fixed_batch(tmp_path)
    trainer = make_trainer(tmp_path / "t", steps_per_generation=3, num_iterations=2, per_device_batch_size=2)
    seen = []
    real = update_module.optimizer_step

    def recording(trainer, forward, batch, rows, *args):
        seen.append(list(rows))
        return real(trainer, forward, batch, rows, *args)
    monkeypatch.setattr(update_module, "optimizer_step", recording)
    batch, advantages, mask, old = parts
    step.update(trainer, batch, advantages, mask, None, 0.0, old_logp=old)
    n = mask.shape[0]  # 8 completions: slices of 3, 2, 3 rows, twice
    parts = update_module.slices(n, 3)
    assert [len(p) for p in parts] == [3, 2, 3]
    assert seen == parts * 2 and sorted(sum(parts, [])) == list(range(n))
    trainer.run.close()


def test_gradient_checkpointing_recomputes_blocks_and_changes_no_number(tmp_path):
    parts = _fixed_batch(tmp_path)
    plain, _ = _updated_weights(tmp_path, "plain", parts)
    trainer = make_trainer(tmp_path / "ckpt", learning_rate=0.01, gradient_checkpointing=True)
    calls = []
    attn = trainer.policy.model.blocks[0].attn
    attn.register_forward_hook(lambda *a: calls.append(torch.is_grad_enabled()))
    batch, advantages, mask, old = parts
    step.update(trainer, batch, advantages, mask, None, 0.0, old_logp=old)
    assert calls == [True, True]  # the forward, and its recomputation in the backward pass
    for a, b in zip(plain, trainer.policy.model.parameters()):
        assert torch.allclose(a, b, atol=1e-7)
    trainer.run.close()


def test_sync_reference_mixes_every_n_steps(tmp_path):
    trainer = make_trainer(tmp_path, sync_ref_model=True, ref_model_sync_steps=2, ref_model_mixup_alpha=0.6,
                           learning_rate=0.01)
    before = [p.detach().double().clone() for p in trainer.reference.parameters()]
    step.grpo_step(trainer)
    assert all(torch.equal(a.float(), b) for a, b in zip(before, trainer.reference.parameters()))
    step.grpo_step(trainer)
    policy = [p.detach().double() for p in trainer.policy.model.parameters()]
    for r, p, now in zip(before, policy, trainer.reference.parameters()):
        assert torch.allclose(now.double(), 0.6 * p + 0.4 * r, atol=1e-7)
    assert any(not torch.equal(a.float(), b) for a, b in zip(before, trainer.reference.parameters()))
    trainer.run.close()


def test_a_step_with_every_option_logs_trl_metrics(tmp_path):
    trainer = make_trainer(tmp_path, loss_type="cispo", epsilon_high=4.0,
                           importance_sampling_level="sequence",
                           mask_truncated_completions=True, top_entropy_quantile=0.5, entropy_coef=0.01,
                           per_device_batch_size=3, steps_per_generation=2, gradient_checkpointing=True)
    metrics, _ = step.grpo_step(trainer)
    for key in ("cispo_clip_ratio", "entropy", "entropy_coef", "kl", "loss", "frac_reward_zero_std"):
        assert math.isfinite(metrics[key]), key
    assert "clip_ratio/region_mean" not in metrics
    trainer.run.close()


def test_mask_truncated_completions_leaves_them_out_of_the_loss(tmp_path, monkeypatch):
    trainer = make_trainer(tmp_path, mask_truncated_completions=True, max_completion_length=3)
    masks = []
    real = grpo.grpo_loss

    def recording(logp, logp_old, advantages, mask, **kwargs):
        masks.append(mask.clone())
        return real(logp, logp_old, advantages, mask, **kwargs)
    monkeypatch.setattr(grpo, "grpo_loss", recording)
    out_seen = []
    real_rollout = step.rollout
    monkeypatch.setattr(step, "rollout", lambda *a: out_seen.append(real_rollout(*a)) or out_seen[-1])
    step.grpo_step(trainer)
    truncated = torch.tensor(out_seen[0].truncated)
    assert truncated.any()  # 3 tokens: the untrained model rarely says EOS
    assert torch.all(masks[0][truncated] == 0)
    assert torch.equal(masks[0][~truncated], out_seen[0].completion_mask.float()[~truncated])
    trainer.run.close()
