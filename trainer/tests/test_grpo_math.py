"""GRPO math against an independent float64 reference written with plain loops."""
import math

import numpy as np
import pytest
import torch

from grpo_lens import grpo

LOSS_TYPES = ["grpo", "bnpo", "dapo", "dr_grpo"]


# ---- independent reference (plain Python loops, float64) ----

def ref_std(xs):
    m = sum(xs) / len(xs)
    return math.sqrt(sum((x - m) ** 2 for x in xs) / (len(xs) - 1))


def ref_advantages(rewards, g, scale, eps=1e-4):
    out = []
    batch_std = ref_std(rewards)
    for start in range(0, len(rewards), g):
        grp = rewards[start:start + g]
        m = sum(grp) / g
        for r in grp:
            if scale == "group":
                out.append((r - m) / (ref_std(grp) + eps))
            elif scale == "batch":
                out.append((r - m) / (batch_std + eps))
            else:
                out.append(r - m)
    return out


def ref_logprob(logits_row, token, temperature):
    z = [v / temperature for v in logits_row]
    mx = max(z)
    lse = mx + math.log(sum(math.exp(v - mx) for v in z))
    return z[token] - lse


def ref_loss(logp, old, ref, adv, mask, eps_lo, eps_hi, beta, loss_type, max_len):
    n, t = len(logp), len(logp[0])
    per = [[0.0] * t for _ in range(n)]
    for i in range(n):
        for j in range(t):
            r = math.exp(logp[i][j] - old[i][j])
            c = min(max(r, 1 - eps_lo), 1 + eps_hi)
            surrogate = min(r * adv[i], c * adv[i])
            d = ref[i][j] - logp[i][j]
            kl = math.exp(d) - d - 1
            per[i][j] = -(surrogate - beta * kl)
    if loss_type == "grpo":
        seq = []
        for i in range(n):
            s = sum(per[i][j] * mask[i][j] for j in range(t))
            seq.append(s / max(sum(mask[i]), 1))
        return sum(seq) / n
    total = sum(per[i][j] * mask[i][j] for i in range(n) for j in range(t))
    if loss_type in ("bnpo", "dapo"):
        return total / max(sum(sum(row) for row in mask), 1)
    return total / (n * max_len)


# ---- fixtures ----

def make_case(seed=0, n=4, t=5, v=7):
    rng = np.random.default_rng(seed)
    logits = rng.normal(size=(n, t, v))
    tokens = rng.integers(0, v, size=(n, t))
    mask = np.ones((n, t))
    mask[1, 3:] = 0
    mask[n - 1, 1:] = 0
    return logits, tokens, mask


@pytest.mark.parametrize("scale", ["group", "batch", "none"])
def test_group_advantages(scale):
    rewards = [1.0, 0.0, 0.5, 0.5, 2.0, 1.0, 0.0, 3.0]
    got = grpo.group_advantages(torch.tensor(rewards, dtype=torch.float64), 4, scale)
    np.testing.assert_allclose(got.numpy(), ref_advantages(rewards, 4, scale), rtol=1e-12)


def test_equal_rewards_give_zero_advantage():
    got = grpo.group_advantages(torch.ones(6, dtype=torch.float64), 3, "group")
    assert torch.all(got == 0)


def test_token_logprobs_and_entropy():
    logits, tokens, _ = make_case()
    got = grpo.token_logprobs(torch.tensor(logits), torch.tensor(tokens), temperature=0.7).numpy()
    ent = grpo.token_entropy(torch.tensor(logits), temperature=0.7).numpy()
    for i in range(logits.shape[0]):
        for j in range(logits.shape[1]):
            assert got[i, j] == pytest.approx(ref_logprob(list(logits[i, j]), tokens[i, j], 0.7), abs=1e-12)
            ps = [math.exp(ref_logprob(list(logits[i, j]), k, 0.7)) for k in range(logits.shape[2])]
            assert ent[i, j] == pytest.approx(-sum(p * math.log(p) for p in ps), abs=1e-12)


def test_ratio_surrogate_and_kl_elementwise():
    rng = np.random.default_rng(1)
    logp, old, ref = (rng.normal(scale=0.5, size=(3, 4)) - 1 for _ in range(3))
    adv = rng.normal(size=3)
    r = grpo.ratio(torch.tensor(logp), torch.tensor(old)).numpy()
    s = grpo.clipped_surrogate(torch.tensor(r), torch.tensor(adv), 0.2, 0.28).numpy()
    k = grpo.kl_k3(torch.tensor(logp), torch.tensor(ref)).numpy()
    for i in range(3):
        for j in range(4):
            rr = math.exp(logp[i, j] - old[i, j])
            assert r[i, j] == pytest.approx(rr, rel=1e-12)
            cl = min(max(rr, 0.8), 1.28)
            assert s[i, j] == pytest.approx(min(rr * adv[i], cl * adv[i]), rel=1e-12)
            d = ref[i, j] - logp[i, j]
            assert k[i, j] == pytest.approx(math.exp(d) - d - 1, rel=1e-9, abs=1e-15)


def test_beta_schedules():
    assert grpo.beta_at(5, 10, 0.04) == 0.04
    assert grpo.beta_at(1, 11, 0.04, "cosine", 0.0) == pytest.approx(0.04)
    assert grpo.beta_at(6, 11, 0.04, "cosine", 0.0) == pytest.approx(0.02)
    assert grpo.beta_at(11, 11, 0.04, "cosine", 0.01) == pytest.approx(0.01)


def simulate_updates(loss_type, mu, seed):
    """mu updates of a tiny linear policy on one batch; old logprobs fixed at sampling."""
    logits, tokens, mask = make_case(seed)
    n, t, v = logits.shape
    rewards = np.random.default_rng(seed + 7).normal(size=n)
    adv = grpo.group_advantages(torch.tensor(rewards), 2, "group")
    bias = torch.zeros(v, dtype=torch.float64, requires_grad=True)
    base = torch.tensor(logits)
    tok, msk = torch.tensor(tokens), torch.tensor(mask)
    shift = torch.tensor(np.random.default_rng(seed + 11).normal(scale=0.3, size=v))
    ref_logp = grpo.token_logprobs(base + shift, tok).detach()
    old = grpo.token_logprobs(base, tok).detach()
    results = []
    for _ in range(mu):
        logp = grpo.token_logprobs(base + bias, tok)
        loss, metrics = grpo.grpo_loss(logp, old, adv, msk, epsilon=0.2, epsilon_high=0.28,
                                       loss_type=loss_type, max_completion_length=t + 2,
                                       beta=0.04, ref_logp=ref_logp)
        expected = ref_loss(logp.detach().tolist(), old.tolist(), ref_logp.tolist(), adv.tolist(),
                            mask.tolist(), 0.2, 0.28, 0.04, loss_type, t + 2)
        results.append((loss.item(), expected))
        loss.backward()
        with torch.no_grad():
            bias -= 2.0 * bias.grad  # a big step so that mu=2 leaves the trust region
            bias.grad.zero_()
    return results, metrics


@pytest.mark.parametrize("loss_type", LOSS_TYPES)
@pytest.mark.parametrize("mu", [1, 2])
def test_loss_matches_reference(loss_type, mu):
    results, _ = simulate_updates(loss_type, mu, seed=3)
    assert len(results) == mu
    for got, expected in results:
        assert got == pytest.approx(expected, rel=1e-10, abs=1e-12)
    if mu == 1:
        # at the first update ratio == 1, so only the KL term is left for grpo
        assert results[0][0] != 0.0


def test_clip_ratio_metrics_reference():
    r = torch.tensor([[0.5, 1.0, 1.5], [0.7, 1.3, 1.1]], dtype=torch.float64)
    adv = torch.tensor([-1.0, 1.0], dtype=torch.float64)
    mask = torch.tensor([[1, 1, 1], [1, 1, 0]], dtype=torch.float64)
    m = grpo.clip_ratio_metrics(r, adv, mask, 0.2, 0.28)
    # low: r<0.8 & A<0 -> (0,0) only; high: r>1.28 & A>0 -> (1,1) only; 5 real tokens
    assert m["clip_ratio/low_mean"].item() == pytest.approx(1 / 5)
    assert m["clip_ratio/high_mean"].item() == pytest.approx(1 / 5)
    assert m["clip_ratio/region_mean"].item() == pytest.approx(2 / 5)


@pytest.mark.parametrize("loss_type", LOSS_TYPES)
def test_gradcheck_loss(loss_type):
    logits, tokens, mask = make_case(seed=5, n=2, t=3, v=4)
    tok, msk = torch.tensor(tokens), torch.tensor(mask)
    adv = torch.tensor([0.7, -0.4], dtype=torch.float64)
    old = grpo.token_logprobs(torch.tensor(logits) - 0.05, tok).detach()
    ref = grpo.token_logprobs(torch.tensor(logits) * 1.1, tok).detach()

    def f(x):
        logp = grpo.token_logprobs(x, tok)
        loss, _ = grpo.grpo_loss(logp, old, adv, msk, epsilon=0.2, epsilon_high=0.2,
                                 loss_type=loss_type, max_completion_length=4, beta=0.1, ref_logp=ref)
        return loss

    x = torch.tensor(logits, requires_grad=True)
    assert torch.autograd.gradcheck(f, (x,), eps=1e-6, atol=1e-6)


def test_gradcheck_pieces():
    a = torch.randn(2, 3, dtype=torch.float64, requires_grad=True)
    b = torch.randn(2, 3, dtype=torch.float64)
    assert torch.autograd.gradcheck(lambda x: grpo.kl_k3(x, b), (a,))
    assert torch.autograd.gradcheck(lambda x: grpo.ratio(x, b), (a,))
    logits = torch.randn(2, 3, 5, dtype=torch.float64, requires_grad=True)
    assert torch.autograd.gradcheck(lambda x: grpo.token_entropy(x, 0.9), (logits,))
