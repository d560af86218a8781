"""TRL's algorithm options (GSPO's sequence ratio, delta, cispo, the entropy mask and bonus,
the reference mix, truncation masks, micro-batch counts) against an independent float64
reference written with plain loops, as test_grpo_math.py does for the core loss."""
import math

import numpy as np
import pytest
import torch

from grpo_lens import grpo
from test_grpo_math import LOSS_TYPES, make_case


def ref_quantile(xs, q):
    """torch.quantile's default (linear interpolation between the closest ranks)."""
    xs = sorted(xs)
    pos = q * (len(xs) - 1)
    lo, hi = math.floor(pos), math.ceil(pos)
    return xs[lo] + (xs[hi] - xs[lo]) * (pos - lo)


def ref_loss_options(logp, old, ref, adv, mask, *, eps_lo=0.2, eps_hi=0.28, beta=0.04, loss_type="grpo",
                     max_len=7, level="token", delta=None, entropy=None, quantile=1.0, coef=0.0):
    n, t = len(logp), len(logp[0])
    if level == "sequence":
        seq_r = []
        for i in range(n):
            s = sum((logp[i][j] - old[i][j]) * mask[i][j] for j in range(t))
            seq_r.append(math.exp(s / max(sum(mask[i]), 1)))
    keep = [[mask[i][j] for j in range(t)] for i in range(n)]
    if quantile < 1.0:
        thr = ref_quantile([entropy[i][j] for i in range(n) for j in range(t) if mask[i][j]], 1 - quantile)
        keep = [[1.0 if mask[i][j] and entropy[i][j] >= thr else 0.0 for j in range(t)] for i in range(n)]
    per = [[0.0] * t for _ in range(n)]
    for i in range(n):
        for j in range(t):
            r = seq_r[i] if level == "sequence" else math.exp(logp[i][j] - old[i][j])
            if loss_type == "cispo":
                objective = min(r, eps_hi) * adv[i] * logp[i][j]
            else:
                c = min(max(r, 1 - eps_lo), 1 + eps_hi)
                capped = min(r, delta) if delta is not None else r
                objective = min(capped * adv[i], c * adv[i])
            d = ref[i][j] - logp[i][j]
            per[i][j] = -objective * keep[i][j] + beta * (math.exp(d) - d - 1)
    tokens = max(sum(sum(row) for row in mask), 1)
    if loss_type == "grpo":
        loss = sum(sum(per[i][j] * mask[i][j] for j in range(t)) / max(sum(mask[i]), 1) for i in range(n)) / n
    elif loss_type in ("bnpo", "dapo", "cispo"):
        loss = sum(per[i][j] * mask[i][j] for i in range(n) for j in range(t)) / tokens
    else:
        loss = sum(per[i][j] * mask[i][j] for i in range(n) for j in range(t)) / (n * max_len)
    if coef:
        loss -= coef * sum(entropy[i][j] * keep[i][j] for i in range(n) for j in range(t)) / tokens
    return loss


def option_case(seed=21):
    logits, tokens, mask = make_case(seed, n=4, t=5, v=6)
    rng = np.random.default_rng(seed)
    tok = torch.tensor(tokens)
    logp = grpo.token_logprobs(torch.tensor(logits), tok)
    old = grpo.token_logprobs(torch.tensor(logits) + rng.normal(scale=0.4, size=logits.shape), tok)
    ref = grpo.token_logprobs(torch.tensor(logits) * 0.8, tok)
    entropy = grpo.token_entropy(torch.tensor(logits))
    adv = torch.tensor([1.3, -0.7, -1.1, 0.5], dtype=torch.float64)
    return logp, old, ref, entropy, adv, torch.tensor(mask)


OPTION_CASES = [
    dict(level="sequence"),
    dict(level="sequence", loss_type="dr_grpo"),
    dict(delta=1.3),
    dict(delta=1.3, loss_type="dapo", eps_hi=0.2),
    dict(loss_type="cispo", eps_hi=1.1),
    dict(loss_type="cispo", eps_hi=5.0, level="sequence"),
    dict(quantile=0.4),
    dict(quantile=0.0, loss_type="bnpo"),
    dict(coef=0.05),
    dict(coef=0.05, quantile=0.5, loss_type="cispo", eps_hi=1.2),
]


@pytest.mark.parametrize("case", OPTION_CASES, ids=lambda c: ",".join(f"{k}={v}" for k, v in c.items()))
def test_options_loss_matches_reference(case):
    logp, old, ref, entropy, adv, mask = option_case()
    loss, metrics = grpo.grpo_loss(
        logp, old, adv, mask, epsilon=0.2, epsilon_high=case.get("eps_hi", 0.28),
        loss_type=case.get("loss_type", "grpo"), max_completion_length=7, beta=0.04, ref_logp=ref,
        importance_sampling_level=case.get("level", "token"), delta=case.get("delta"), entropy=entropy,
        top_entropy_quantile=case.get("quantile", 1.0), entropy_coef=case.get("coef", 0.0))
    expected = ref_loss_options(logp.tolist(), old.tolist(), ref.tolist(), adv.tolist(), mask.tolist(),
                                entropy=entropy.tolist(), **case)
    assert loss.item() == pytest.approx(expected, rel=1e-10, abs=1e-12)
    assert ("cispo_clip_ratio" in metrics) == (case.get("loss_type") == "cispo")
    assert "entropy" in metrics


def test_options_change_the_loss():
    """Each option changes the reference loss on this batch (else the test above could pass
    with the option ignored)."""
    logp, old, ref, entropy, adv, mask = option_case()
    args = (logp.tolist(), old.tolist(), ref.tolist(), adv.tolist(), mask.tolist())
    for case in OPTION_CASES:
        for key in ("level", "delta", "quantile", "coef"):
            if key in case:
                without = {k: v for k, v in case.items() if k != key}
                assert ref_loss_options(*args, entropy=entropy.tolist(), **case) != pytest.approx(
                    ref_loss_options(*args, entropy=entropy.tolist(), **without), rel=1e-6), (case, key)
    assert ref_loss_options(*args, loss_type="cispo", eps_hi=1.1) != pytest.approx(
        ref_loss_options(*args, loss_type="dapo", eps_hi=1.1), rel=1e-6)


def test_sequence_ratio_is_exp_of_mean_log_ratio_broadcast():
    logp, old, _, _, _, mask = option_case()
    w = grpo.importance_weights(logp, old, mask, "sequence")
    assert w.shape == (4, 1)
    for i in range(4):
        real = [(logp[i, j] - old[i, j]).item() for j in range(5) if mask[i, j]]
        assert w[i, 0].item() == pytest.approx(math.exp(sum(real) / len(real)), rel=1e-12)
    token_loss, _, _ = grpo.per_token_loss(logp, old, torch.ones(4, dtype=torch.float64), 0.2, 0.2,
                                           mask=mask, level="sequence")
    assert token_loss.shape == logp.shape
    assert torch.all(token_loss == token_loss[:, :1])  # one value per completion, on every token


def test_delta_caps_only_the_negative_advantage_side():
    r = torch.tensor([[0.5, 1.0, 1.5, 3.0]], dtype=torch.float64)
    for a in (1.0, -1.0):
        got = grpo.clipped_surrogate(r, torch.tensor([a], dtype=torch.float64), 0.2, 0.28, delta=2.0)
        for j, rr in enumerate(r[0].tolist()):
            c = min(max(rr, 0.8), 1.28)
            assert got[0, j].item() == pytest.approx(min(min(rr, 2.0) * a, c * a), rel=1e-12)
    pos = grpo.clipped_surrogate(r, torch.tensor([1.0], dtype=torch.float64), 0.2, 0.28, delta=2.0)
    assert torch.equal(pos, grpo.clipped_surrogate(r, torch.tensor([1.0], dtype=torch.float64), 0.2, 0.28))
    neg = grpo.clipped_surrogate(r, torch.tensor([-1.0], dtype=torch.float64), 0.2, 0.28, delta=2.0)
    assert neg[0, 3].item() == -2.0  # without delta: -3.0


def test_cispo_gradient_is_the_detached_weight_times_advantage():
    """d loss / d logp = -min(r, eps_high) * A * mask / tokens: the weight carries no gradient."""
    logp, old, _, _, adv, mask = option_case()
    x = logp.clone().requires_grad_(True)
    loss, _ = grpo.grpo_loss(x, old, adv, mask, epsilon=0.2, epsilon_high=1.1, loss_type="cispo",
                             max_completion_length=7)
    loss.backward()
    tokens = mask.sum().item()
    for i in range(4):
        for j in range(5):
            r = math.exp(logp[i, j].item() - old[i, j].item())
            expected = -min(r, 1.1) * adv[i].item() * mask[i, j].item() / tokens
            assert x.grad[i, j].item() == pytest.approx(expected, rel=1e-12, abs=1e-15)


def test_cispo_clip_ratio_metric():
    r = torch.tensor([[0.5, 1.2, 6.0], [7.0, 1.0, 9.0]], dtype=torch.float64)
    adv = torch.tensor([1.0, -1.0], dtype=torch.float64)
    mask = torch.tensor([[1, 1, 1], [1, 1, 0]], dtype=torch.float64)
    m = grpo.clip_ratio_metrics(r, adv, mask, 0.2, 5.0, "cispo")
    assert m["cispo_clip_ratio"].item() == pytest.approx(1 / 5)  # only (0, 2): r > 5 with A > 0


def test_sequence_level_clip_metrics_count_sequences():
    r = torch.tensor([[0.5], [1.5], [1.0]], dtype=torch.float64)
    adv = torch.tensor([-1.0, 1.0, 1.0], dtype=torch.float64)
    mask = torch.tensor([[1, 1, 0], [1, 0, 0], [1, 1, 1]], dtype=torch.float64)
    m = grpo.clip_ratio_metrics(r, adv, mask, 0.2, 0.28)
    assert m["clip_ratio/low_mean"].item() == pytest.approx(1 / 3)
    assert m["clip_ratio/high_mean"].item() == pytest.approx(1 / 3)
    assert m["clip_ratio/region_mean"].item() == pytest.approx(2 / 3)


def test_truncation_mask_zeroes_truncated_rows():
    mask = torch.ones(3, 4, dtype=torch.float64)
    mask[0, 2:] = 0
    got = grpo.truncation_mask(mask, [False, True, False])
    assert got.tolist() == [[1, 1, 0, 0], [0, 0, 0, 0], [1, 1, 1, 1]]


@pytest.mark.parametrize("quantile", [0.0, 0.2, 0.5, 1.0])
def test_high_entropy_mask_reference(quantile):
    _, _, _, entropy, _, mask = option_case(seed=4)
    got = grpo.high_entropy_mask(entropy, mask, quantile)
    real = [entropy[i, j].item() for i in range(4) for j in range(5) if mask[i, j]]
    thr = ref_quantile(real, 1 - quantile)
    for i in range(4):
        for j in range(5):
            assert got[i, j].item() == (1.0 if mask[i, j] and entropy[i, j].item() >= thr else 0.0)
    if quantile == 0.0:
        assert got.sum().item() == 1.0  # only the highest
    if quantile == 1.0:
        assert torch.equal(got, mask)


def test_entropy_bonus_is_the_mean_entropy():
    _, _, _, entropy, _, mask = option_case()
    real = [entropy[i, j].item() for i in range(4) for j in range(5) if mask[i, j]]
    assert grpo.entropy_bonus(entropy, mask).item() == pytest.approx(sum(real) / len(real), rel=1e-12)


def test_mix_reference_and_zero_std():
    ref, pol = torch.tensor([1.0, -2.0], dtype=torch.float64), torch.tensor([3.0, 0.5], dtype=torch.float64)
    got = grpo.mix_reference(ref, pol, 0.6)
    assert got.tolist() == pytest.approx([0.6 * 3.0 + 0.4 * 1.0, 0.6 * 0.5 + 0.4 * -2.0], rel=1e-15)
    std = torch.tensor([0.0, 1e-9, 1e-7, 0.5])
    assert grpo.zero_std(std).tolist() == [True, True, False, False]  # isclose(std, 0): |std| <= 1e-8


@pytest.mark.parametrize("loss_type", LOSS_TYPES + ["cispo"])
def test_micro_batch_counts_add_up_to_the_batch_loss(loss_type):
    logp, old, ref, entropy, adv, mask = option_case()
    kwargs = dict(epsilon=0.2, epsilon_high=0.28, loss_type=loss_type, max_completion_length=7, beta=0.04,
                  entropy_coef=0.03)
    whole, _ = grpo.grpo_loss(logp, old, adv, mask, ref_logp=ref, entropy=entropy, **kwargs)
    parts = sum(grpo.grpo_loss(logp[s], old[s], adv[s], mask[s], ref_logp=ref[s], entropy=entropy[s],
                               num_sequences=4, num_tokens=mask.sum(), **kwargs)[0]
                for s in (slice(0, 1), slice(1, 3), slice(3, 4)))
    assert parts.item() == pytest.approx(whole.item(), rel=1e-12)
