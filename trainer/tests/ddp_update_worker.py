"""One process of the data-parallel equality test (test_distributed.py): the same global
batch, updated by one process whole or by each rank of a gloo group on its half.  With a
third argument `lines`, one update whose metric line is kept: the ranks' line merged by
rank 0 (Trainer._merged), or one process's, over the same rows step by step."""
import sys
from types import SimpleNamespace

import torch

from grpo_lens.config import load_config
from grpo_lens.distributed import from_environment
from grpo_lens.rollout import rollout
from grpo_lens.run_dir import QuietRun
from grpo_lens.rank_merge import weights_of
from grpo_lens.step import _forward_logprobs, advantages_of, step_metrics, update
from grpo_lens.train import Trainer
from grpo_lens.update import slices


def main(config_path, out_path, mode="weights"):
    config = load_config(config_path)
    dist = from_environment()
    trainer = Trainer(config, QuietRun(out_path + ".run"), dist=dist)
    cfg = trainer.run_config
    prompts = [trainer.base_task.problem(i).prompt for i in range(cfg["prompts_per_step"])]
    # the global batch, drawn identically in every process
    out = rollout(trainer.policy, prompts, cfg, torch.Generator().manual_seed(123))
    rewards = torch.rand(len(out.texts), generator=torch.Generator().manual_seed(7))
    rewards[len(rewards) // 2:] += 1  # rank 1's higher: a per-rank batch std misses the spread between ranks
    batch = (torch.cat([out.prompt_ids, out.completion_ids], 1),
             torch.cat([out.prompt_mask, out.completion_mask], 1),
             out.prompt_ids.shape[1], out.completion_ids)
    mask = out.completion_mask.float()
    # ragged lengths, as if completions ended at different EOS positions: the ranks' halves then
    # hold different token counts (what dapo's normalisation by the global batch must handle)
    ends = torch.randint(1, mask.shape[1] + 1, (mask.shape[0],), generator=torch.Generator().manual_seed(5))
    mask = mask * (torch.arange(mask.shape[1])[None, :] < ends[:, None]).float()
    with torch.no_grad():  # the frozen reference's log-probs of the global batch (the KL term)
        ref_logp, _ = _forward_logprobs(trainer, trainer.reference, batch)
    if mode == "lines":
        return keep_line(trainer, config, out, batch, mask, ref_logp, rewards, out_path)
    n = len(out.texts) // dist.world_size
    rows = slice(dist.rank * n, (dist.rank + 1) * n)  # this rank's prompts: whole groups
    local = (batch[0][rows], batch[1][rows], batch[2], batch[3][rows])
    advantages = advantages_of(trainer, rewards[rows])  # each rank its own groups (batch std: all ranks')
    initial = {k: v.clone() for k, v in trainer.policy.state_dict().items()}
    losses = []
    for _ in range(2):  # two steps on the same batch
        metrics = update(trainer, local, advantages, mask[rows], ref_logp[rows], config["beta"])
        losses.append(metrics["loss"])
    weights = {k: v.clone() for k, v in trainer.policy.state_dict().items()}
    torch.save({"losses": losses, "initial": initial, "weights": weights, "advantages": advantages},
               f"{out_path}.rank{dist.rank}")
    dist.close()


def rows_of(trainer, total, ranks=2):
    """This rank's rows; one process takes the two ranks' k-th optimizer-step slices as its
    k-th (rank 0's then rank 1's), so that its steps see the union of theirs."""
    dist, spg = trainer.dist, trainer.run_config.get("steps_per_generation", 1)
    n = total // ranks
    if dist.enabled:
        return list(range(dist.rank * n, (dist.rank + 1) * n))
    return [r * n + i for k in slices(n, spg) for r in range(ranks) for i in k]


def reward_components(names, total):
    """Per completion {name: value}: rank 1's values spread wider, and every name but the
    first skips (None, invalid) rank 0's first quarter: the ranks hold different counts."""
    draw = torch.rand(total, generator=torch.Generator().manual_seed(11)).tolist()
    return [{name: None if j and i < total // 4 else draw[i] * (1 + 3 * (i >= total // 2))
             for j, name in enumerate(names)} for i in range(total)]


def keep_line(trainer, config, out, batch, mask, ref_logp, rewards, out_path):
    """One update of this process's rows and its metric line (rank 0: merged over ranks)."""
    dist, rows = trainer.dist, rows_of(trainer, len(out.texts))
    local = (batch[0][rows], batch[1][rows], batch[2], batch[3][rows])
    components = reward_components(trainer.rewards.names, len(out.texts))
    updated = update(trainer, local, advantages_of(trainer, rewards[rows]), mask[rows], ref_logp[rows],
                     config["beta"])
    view = SimpleNamespace(num_tokens=[int(x) for x in mask[rows].sum(1)],
                           truncated=[out.truncated[i] for i in rows])
    line = step_metrics(trainer, view, rewards[rows], [components[i] for i in rows], updated)
    own = (dict(line), weights_of(line))
    torch.save({"own": own, "merged": trainer._merged(line)}, f"{out_path}.rank{dist.rank}")
    dist.close()


if __name__ == "__main__":
    main(*sys.argv[1:])
