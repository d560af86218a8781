"""scale_rewards batch on several ranks (the std of every rank's rewards, from their count,
sum and sum of squares) and TRL's clip_ratio/low_min and high_max, against an independent
float64 reference written with plain loops; the rank merge of the extremes; a step logs them."""
import math
import random

import numpy as np
import pytest
import torch

from grpo_lens import grpo, step
from grpo_lens.config import resolve_config
from grpo_lens.distributed import Solo
from grpo_lens.rank_merge import merge_metrics
from grpo_lens.run_dir import RunDir
from grpo_lens.train import Trainer

from helpers import tiny_config


def ref_std(xs):
    m = sum(xs) / len(xs)
    return math.sqrt(sum((x - m) ** 2 for x in xs) / (len(xs) - 1))


def ref_batch_advantages(share, whole, g, eps=1e-4):
    """(r - its group's mean) / (std of the whole batch + eps), for one rank's share."""
    std, out = ref_std(whole), []
    for start in range(0, len(share), g):
        grp = share[start:start + g]
        out += [(r - sum(grp) / g) / (std + eps) for r in grp]
    return out


def test_std_from_every_rank_s_moments_is_the_std_of_all_the_values():
    rng = random.Random(3)
    ranks = [[rng.uniform(-2, 5) + 10 * k for _ in range(6)] for k in range(3)]  # shares far apart
    moments = [(len(r), sum(r), sum(x * x for x in r)) for r in ranks]
    count, total, squares = (sum(m[i] for m in moments) for i in range(3))  # what all_reduce sums
    got = grpo.std_from_moments(count, total, squares)
    assert got.dtype == torch.float64
    assert got.item() == pytest.approx(ref_std(sum(ranks, [])), rel=1e-12)
    assert grpo.std_from_moments(4, 8.0, 16.0).item() == 0.0  # equal values, no negative rounding
    assert math.isnan(grpo.std_from_moments(1, 0.5, 0.25).item())  # one value: NaN, as torch.std


def test_a_rank_s_batch_advantages_use_its_group_means_and_the_global_std():
    whole = [0.1, 0.9, 0.4, 0.4, 2.0, 3.0, 1.0, 2.5, 0.0, 0.2, 0.7, 0.3]
    share = whole[4:8]  # rank 1 of 3, one group of 4
    values = torch.tensor(whole, dtype=torch.float64)
    batch_std = grpo.std_from_moments(len(whole), values.sum(), (values * values).sum())
    got = grpo.group_advantages(torch.tensor(share, dtype=torch.float64), 4, "batch", batch_std=batch_std)
    np.testing.assert_allclose(got.numpy(), ref_batch_advantages(share, whole, 4), rtol=1e-12)
    alone = grpo.group_advantages(torch.tensor(share, dtype=torch.float64), 4, "batch")
    assert not np.allclose(alone.numpy(), got.numpy())  # the share's own std is another answer
    f32 = grpo.group_advantages(torch.tensor(share), 4, "batch", batch_std=batch_std)
    assert f32.dtype == torch.float32  # the rewards' dtype, whatever the std's


def test_one_process_takes_the_batch_std_of_its_rewards_without_a_collective():
    rewards = torch.rand(12, generator=torch.Generator().manual_seed(1))
    std = Solo().std_over_ranks(rewards)
    assert torch.equal(std, rewards.std())  # exactly what one process always computed
    assert torch.equal(grpo.group_advantages(rewards, 4, "batch", batch_std=std),
                       grpo.group_advantages(rewards, 4, "batch"))


def ref_extremes(ratio, adv, mask, eps_lo, eps_hi):
    """Per completion with a real token: the fraction of its real tokens clipped low / high."""
    lows, highs = [], []
    for i in range(len(ratio)):
        real = [t for t in range(len(mask[i])) if mask[i][t]]
        if not real:
            continue
        lows.append(sum(ratio[i][t] < 1 - eps_lo and adv[i] < 0 for t in real) / len(real))
        highs.append(sum(ratio[i][t] > 1 + eps_hi and adv[i] > 0 for t in real) / len(real))
    return min(lows), max(highs)


def test_clip_extremes_are_the_per_completion_min_and_max_as_trl():
    ratio = [[0.5, 0.7, 1.0, 1.0], [0.5, 1.0, 1.0, 1.0], [1.5, 1.4, 1.0, 1.3],
             [1.5, 1.0, 1.0, 1.0], [0.1, 0.1, 0.1, 0.1]]
    adv = [-1.0, -0.5, 2.0, 1.0, -1.0]
    mask = [[1, 1, 1, 0], [1, 1, 1, 1], [1, 1, 1, 1], [1, 1, 0, 0], [0, 0, 0, 0]]  # the last: no token
    t = lambda x: torch.tensor(x, dtype=torch.float64)  # noqa: E731
    m = grpo.clip_ratio_metrics(t(ratio), t(adv), t(mask), 0.2, 0.28)
    low_min, high_max = ref_extremes(ratio, adv, mask, 0.2, 0.28)
    assert m["clip_ratio/low_min"].item() == pytest.approx(low_min, rel=1e-12)  # 0: rows 2, 3 clip high
    assert m["clip_ratio/high_max"].item() == pytest.approx(high_max, rel=1e-12)  # row 2: 3 of 4
    assert list(m) == ["clip_ratio/low_mean", "clip_ratio/low_min", "clip_ratio/high_mean",
                       "clip_ratio/high_max", "clip_ratio/region_mean"]  # TRL's order
    low_only = grpo.clip_ratio_metrics(t(ratio[:2]), t(adv[:2]), t(mask[:2]), 0.2, 0.28)
    assert low_only["clip_ratio/low_min"].item() == pytest.approx(1 / 4)  # rows 0 (2 of 3) and 1 (1 of 4)
    assert low_only["clip_ratio/high_max"].item() == 0.0
    no_token = grpo.clip_ratio_metrics(t(ratio[4:]), t(adv[4:]), t(mask[4:]), 0.2, 0.28)
    assert "clip_ratio/low_min" not in no_token and "clip_ratio/high_max" not in no_token


def test_sequence_level_extremes_are_over_the_completions():
    ratio = torch.tensor([[0.5], [1.5], [1.0]], dtype=torch.float64)  # one ratio per completion (GSPO)
    adv = torch.tensor([-1.0, 1.0, 1.0], dtype=torch.float64)
    mask = torch.tensor([[1, 1, 0], [1, 0, 0], [1, 1, 1]], dtype=torch.float64)
    m = grpo.clip_ratio_metrics(ratio, adv, mask, 0.2, 0.28)
    assert m["clip_ratio/low_min"].item() == 0.0 and m["clip_ratio/high_max"].item() == 1.0


def test_rank_0_takes_the_lowest_low_min_and_the_highest_high_max():
    lines = [{"step": 2, "clip_ratio/low_mean": 0.2, "clip_ratio/low_min": 0.1, "clip_ratio/high_mean": 0.3,
              "clip_ratio/high_max": 0.5},
             {"step": 2, "clip_ratio/low_mean": 0.4, "clip_ratio/low_min": 0.05, "clip_ratio/high_mean": 0.1,
              "clip_ratio/high_max": 0.75},
             {"step": 2, "clip_ratio/low_mean": 0.0, "clip_ratio/high_mean": 0.0}]  # no real token there
    merged = merge_metrics(lines)
    assert merged["clip_ratio/low_min"] == 0.05 and merged["clip_ratio/high_max"] == 0.75
    assert merged["clip_ratio/low_mean"] == pytest.approx(0.2)
    assert merged["clip_ratio/high_mean"] == pytest.approx(0.4 / 3)


def test_a_step_logs_the_extremes_over_its_micro_batches(tmp_path, monkeypatch):
    config = resolve_config(tiny_config(warm_start={"steps": 0}, export_onnx=False, num_iterations=2,
                                        learning_rate=0.05, per_device_batch_size=2))
    trainer = Trainer(config, RunDir(str(tmp_path)))
    seen, real = [], grpo.grpo_loss

    def recording(*args, **kwargs):
        loss, metrics = real(*args, **kwargs)
        seen.append({k: float(v) for k, v in metrics.items()})
        return loss, metrics

    monkeypatch.setattr(grpo, "grpo_loss", recording)
    # the untrained policy's rewards are all equal: advantages of both signs, so that tokens clip
    monkeypatch.setattr(step, "advantages_of", lambda _, rewards: torch.tensor(
        [1.0 if i % 2 else -1.0 for i in range(len(rewards))]))
    metrics, _ = step.grpo_step(trainer)
    trainer.run.close()
    per_pass = len(seen) // 2  # micro-batches of each of the two optimizer steps
    assert per_pass > 1
    for key, pick in (("clip_ratio/low_min", min), ("clip_ratio/high_max", max)):
        steps = [pick(m[key] for m in seen[i * per_pass:(i + 1) * per_pass]) for i in range(2)]
        assert metrics[key] == pytest.approx(sum(steps) / 2, abs=1e-12), key
    assert 0.0 <= metrics["clip_ratio/low_min"] <= metrics["clip_ratio/low_mean"] <= 1.0
    assert metrics["clip_ratio/high_mean"] <= metrics["clip_ratio/high_max"] <= 1.0
    assert metrics["clip_ratio/high_max"] > metrics["clip_ratio/high_mean"] > 0  # the second pass clips
