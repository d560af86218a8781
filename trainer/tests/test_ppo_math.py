"""PPO math (grpo.py) against an independent float64 reference written with plain loops."""
import math

import numpy as np
import pytest
import torch

from grpo_lens import grpo


def ref_gae(rewards, values, mask, gamma, lam):
    adv, ret = [], []
    for r_row, v_row, m_row in zip(rewards, values, mask):
        n = int(sum(m_row))  # real tokens come first, padding after
        a_row, running = [0.0] * len(r_row), 0.0
        for t in reversed(range(n)):
            next_v = v_row[t + 1] if t + 1 < n else 0.0
            delta = r_row[t] + gamma * next_v - v_row[t]
            running = delta + gamma * lam * running
            a_row[t] = running
        adv.append(a_row)
        ret.append([a_row[t] + v_row[t] if t < n else 0.0 for t in range(len(r_row))])
    return adv, ret


def ref_masked_mean(x, mask):
    num = sum(x[i][j] * mask[i][j] for i in range(len(x)) for j in range(len(x[0])))
    return num / max(sum(sum(row) for row in mask), 1)


def ref_value_loss(v, old, ret, mask, clip):
    per, clipped_count = [], []
    for i in range(len(v)):
        row, crow = [], []
        for j in range(len(v[0])):
            vc = old[i][j] + min(max(v[i][j] - old[i][j], -clip), clip)
            a, b = (v[i][j] - ret[i][j]) ** 2, (vc - ret[i][j]) ** 2
            row.append(max(a, b))
            crow.append(1.0 if b > a else 0.0)
        per.append(row)
        clipped_count.append(crow)
    return 0.5 * ref_masked_mean(per, mask), ref_masked_mean(clipped_count, mask)


def ref_explained_variance(v, ret, mask):
    xs = [(ret[i][j], v[i][j]) for i in range(len(v)) for j in range(len(v[0])) if mask[i][j]]

    def var(values):
        m = sum(values) / len(values)
        return sum((x - m) ** 2 for x in values) / len(values)
    return 1 - var([r - vv for r, vv in xs]) / var([r for r, _ in xs])


def case(seed=0, n=4, t=6):
    rng = np.random.default_rng(seed)
    mask = np.zeros((n, t))
    for i, length in enumerate([6, 3, 1, 4][:n]):
        mask[i, :length] = 1
    values = rng.normal(size=(n, t)) * mask
    seq_rewards = rng.normal(size=n)
    return mask, values, seq_rewards


def test_terminal_rewards_sit_on_the_last_real_token():
    mask, _, seq = case()
    got = grpo.terminal_rewards(torch.tensor(seq), torch.tensor(mask)).numpy()
    for i in range(len(seq)):
        last = int(mask[i].sum()) - 1
        for j in range(mask.shape[1]):
            assert got[i, j] == (seq[i] if j == last else 0.0)


@pytest.mark.parametrize("gamma,lam", [(1.0, 1.0), (1.0, 0.95), (0.9, 0.5), (0.99, 0.0)])
def test_gae_matches_the_loop_reference(gamma, lam):
    mask, values, seq = case(seed=1)
    rewards = grpo.terminal_rewards(torch.tensor(seq), torch.tensor(mask))
    rewards = rewards + torch.tensor(np.random.default_rng(2).normal(scale=0.1, size=mask.shape) * mask)
    adv, ret = grpo.gae(rewards, torch.tensor(values), torch.tensor(mask), gamma, lam)
    ref_adv, ref_ret = ref_gae(rewards.tolist(), values.tolist(), mask.tolist(), gamma, lam)
    np.testing.assert_allclose(adv.numpy(), ref_adv, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(ret.numpy(), ref_ret, rtol=1e-12, atol=1e-12)


def test_gae_with_lambda_1_and_gamma_1_is_the_return_minus_the_value():
    mask, values, seq = case(seed=3)
    rewards = grpo.terminal_rewards(torch.tensor(seq), torch.tensor(mask))
    adv, ret = grpo.gae(rewards, torch.tensor(values), torch.tensor(mask), 1.0, 1.0)
    for i in range(len(seq)):
        for j in range(int(mask[i].sum())):
            assert ret[i, j].item() == pytest.approx(seq[i], abs=1e-12)
            assert adv[i, j].item() == pytest.approx(seq[i] - values[i, j], abs=1e-12)


@pytest.mark.parametrize("clip", [0.05, 0.2, 10.0])
def test_value_loss_matches_the_loop_reference(clip):
    mask, old, _ = case(seed=4)
    rng = np.random.default_rng(5)
    v = old + rng.normal(scale=0.3, size=old.shape)
    ret = rng.normal(size=old.shape)
    loss, frac = grpo.value_loss(torch.tensor(v), torch.tensor(old), torch.tensor(ret),
                                 torch.tensor(mask), clip)
    ref, ref_frac = ref_value_loss(v.tolist(), old.tolist(), ret.tolist(), mask.tolist(), clip)
    assert loss.item() == pytest.approx(ref, rel=1e-12)
    assert frac.item() == pytest.approx(ref_frac, abs=1e-12)
    if clip == 10.0:
        assert frac.item() == 0.0


def test_value_loss_gradcheck():
    mask, old, _ = case(seed=6)
    ret = torch.tensor(np.random.default_rng(7).normal(size=old.shape))
    v = (torch.tensor(old) + 0.05 * torch.randn(old.shape, dtype=torch.float64)).requires_grad_(True)
    assert torch.autograd.gradcheck(
        lambda x: grpo.value_loss(x, torch.tensor(old), ret, torch.tensor(mask), 0.1)[0], (v,))


def test_explained_variance_matches_the_loop_reference():
    mask, v, _ = case(seed=8)
    ret = v + np.random.default_rng(9).normal(scale=0.5, size=v.shape)
    got = grpo.explained_variance(torch.tensor(v), torch.tensor(ret), torch.tensor(mask)).item()
    assert got == pytest.approx(ref_explained_variance(v.tolist(), ret.tolist(), mask.tolist()), rel=1e-12)
    perfect = grpo.explained_variance(torch.tensor(ret), torch.tensor(ret), torch.tensor(mask)).item()
    assert perfect == pytest.approx(1.0)


def test_whiten_has_zero_mean_unit_variance_over_real_tokens():
    mask, v, _ = case(seed=10)
    w = grpo.whiten(torch.tensor(v), torch.tensor(mask))
    real = [w[i, j].item() for i in range(v.shape[0]) for j in range(v.shape[1]) if mask[i, j]]
    assert sum(real) / len(real) == pytest.approx(0.0, abs=1e-12)
    assert sum(x * x for x in real) / len(real) == pytest.approx(1.0, rel=1e-6)
    assert all(w[i, j].item() == 0 for i in range(v.shape[0]) for j in range(v.shape[1]) if not mask[i, j])


@pytest.mark.parametrize("loss_type", ["grpo", "dapo", "dr_grpo"])
def test_ppo_policy_loss_matches_the_loop_reference(loss_type):
    mask, _, _ = case(seed=11)
    rng = np.random.default_rng(12)
    logp, old, ref = (rng.normal(scale=0.4, size=mask.shape) - 1 for _ in range(3))
    adv = rng.normal(size=mask.shape)
    loss, metrics = grpo.ppo_loss(torch.tensor(logp), torch.tensor(old), torch.tensor(adv),
                                  torch.tensor(mask), epsilon=0.2, epsilon_high=0.28, loss_type=loss_type,
                                  max_completion_length=8, beta=0.05, ref_logp=torch.tensor(ref))
    per = [[0.0] * mask.shape[1] for _ in range(mask.shape[0])]
    for i in range(mask.shape[0]):
        for j in range(mask.shape[1]):
            r = math.exp(logp[i, j] - old[i, j])
            surrogate = min(r * adv[i, j], min(max(r, 0.8), 1.28) * adv[i, j])
            d = ref[i, j] - logp[i, j]
            per[i][j] = -(surrogate - 0.05 * (math.exp(d) - d - 1))
    m = mask.tolist()
    if loss_type == "grpo":
        expected = sum(sum(per[i][j] * m[i][j] for j in range(len(m[0]))) / sum(m[i])
                       for i in range(len(m))) / len(m)
    elif loss_type == "dapo":
        expected = ref_masked_mean(per, m)
    else:
        expected = sum(per[i][j] * m[i][j] for i in range(len(m)) for j in range(len(m[0]))) / (len(m) * 8)
    assert loss.item() == pytest.approx(expected, rel=1e-12)
    assert 0.0 <= metrics["clip_ratio/region_mean"].item() <= 1.0
