"""rank_merge.merge_metrics with the weights beside each rank's line: the merged token-weighted
and reward-component metrics are those of one process over the union of the ranks' data."""
import json

import pytest
import torch

from grpo_lens import grpo
from grpo_lens.rank_merge import merge_metrics, weights_of, with_weights


def rank_line(steps, loss_per_token=False, rewards=None):
    """A rank's line as update.py and step_metrics give it: step averages, steps beside."""
    keys = list(dict.fromkeys(k for _, m in steps for k in m))
    line = {k: sum(m[k] for _, m in steps if k in m) / sum(1 for _, m in steps if k in m) for k in keys}
    return with_weights(line, {"steps": steps, "loss_per_token": loss_per_token, "rewards": rewards or {}})


def merged(lines):
    return merge_metrics([dict(line) for line in lines], [weights_of(line) for line in lines])


def test_a_token_mean_is_the_mean_over_the_union_of_the_ranks_tokens_step_by_step():
    kl = torch.rand(2, 2, 4, 5, generator=torch.Generator().manual_seed(1), dtype=torch.float64)
    mask = (torch.rand(2, 2, 4, 5, generator=torch.Generator().manual_seed(2)) < 0.6).double()
    mask[0, 0, :, :] = 0.0
    mask[0, 0, 0, 0] = 1.0  # rank 0's first step: one token, rank 1's: many
    lines = [rank_line([(float(mask[r, k].sum()), {"kl": float(grpo.masked_mean(kl[r, k], mask[r, k]))})
                        for k in range(2)]) for r in range(2)]
    # one process: each optimizer step's mean over both ranks' rows, then the mean over steps
    union = [grpo.masked_mean(torch.cat([kl[0, k], kl[1, k]]), torch.cat([mask[0, k], mask[1, k]]))
             for k in range(2)]
    one = sum(float(x) for x in union) / 2
    assert merged(lines)["kl"] == pytest.approx(one, rel=1e-12)
    plain = merge_metrics([dict(line) for line in lines])  # the mean of the ranks' means
    assert plain["kl"] != pytest.approx(one, rel=1e-3)


def test_extremes_are_the_steps_mean_of_the_extremes_over_ranks():
    lines = [rank_line([(2.0, {"clip_ratio/low_min": 0.1, "clip_ratio/high_max": 0.5}),
                        (2.0, {"clip_ratio/low_min": 0.4, "clip_ratio/high_max": 0.0})]),
             rank_line([(2.0, {"clip_ratio/low_min": 0.3, "clip_ratio/high_max": 0.25}),
                        (2.0, {"clip_ratio/low_min": 0.2, "clip_ratio/high_max": 0.75})])]
    m, plain = merged(lines), merge_metrics([dict(line) for line in lines])
    assert m["clip_ratio/low_min"] == pytest.approx((0.1 + 0.2) / 2)  # as one process: TRL's mean of extremes
    assert m["clip_ratio/high_max"] == pytest.approx((0.5 + 0.75) / 2)
    assert plain["clip_ratio/low_min"] == 0.25 and plain["clip_ratio/high_max"] == 0.5  # extremes of means


def test_the_loss_is_token_weighted_only_where_each_rank_divided_by_its_own_tokens():
    steps = ([(1.0, {"loss": 2.0, "grad_norm": 3.0})], [(3.0, {"loss": 4.0, "grad_norm": 3.0})])
    per_token = merged([rank_line(s, loss_per_token=True) for s in steps])
    assert per_token["loss"] == pytest.approx((1 * 2.0 + 3 * 4.0) / 4) and per_token["grad_norm"] == 3.0
    assert merged([rank_line(s) for s in steps])["loss"] == pytest.approx(3.0)  # grpo, dr_grpo, dapo


def test_reward_components_pool_every_rank_s_valid_values():
    values = [[0.5, 1.0, 2.0], [3.0, -1.0, 4.0, 0.0, 7.5]]  # rank 0 skipped two values as invalid

    def line(v):
        t = torch.tensor(v, dtype=torch.float64)
        m = sum(v) / len(v)
        return with_weights({"rewards/x/mean": m, "rewards/x/std": float(t.std()), "rewards/y/mean": 1.0},
                            {"rewards": {"x": (len(v), sum(v), sum((a - m) ** 2 for a in v))}})
    m = merged([line(v) for v in values])
    whole = torch.tensor(values[0] + values[1], dtype=torch.float64)
    assert m["rewards/x/mean"] == pytest.approx(float(whole.mean()), rel=1e-12)
    assert m["rewards/x/std"] == pytest.approx(float(whole.std()), rel=1e-12)
    assert m["rewards/y/mean"] == 1.0  # no moments for it: the mean of the ranks' values, as before
    one_value = merged([line([2.0]), with_weights({}, {"rewards": {}})])
    assert one_value["rewards/x/std"] == 0.0  # one valid value in all: 0, as one process's _std


def test_without_every_rank_s_weights_the_line_is_the_plain_reduction_and_no_weight_is_written():
    a = rank_line([(1.0, {"kl": 1.0})])
    b = {"kl": 3.0}  # a line without weights (a warm-up step's)
    assert merge_metrics([dict(a), b], [weights_of(a), weights_of(b)]) == {"kl": 2.0}
    assert set(merged([a, rank_line([(3.0, {"kl": 3.0})])])) == {"kl"}
    assert json.dumps(a) == json.dumps(dict(a))  # one process writes its line as before
