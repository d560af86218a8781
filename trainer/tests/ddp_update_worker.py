"""One process of the data-parallel equality test (test_distributed.py): the same global
batch, updated by one process whole or by each rank of a gloo group on its half."""
import sys

import torch

from grpo_lens.config import load_config
from grpo_lens.distributed import from_environment
from grpo_lens.rollout import rollout
from grpo_lens.run_dir import QuietRun
from grpo_lens.step import _forward_logprobs, advantages_of, update
from grpo_lens.train import Trainer


def main(config_path, out_path):
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


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
