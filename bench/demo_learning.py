"""Does GRPO learn?  Runs the tiny demo config and measures the accuracy reward before and
after the GRPO phase, on held-out arithmetic prompts and in the run's own metrics.

    cd trainer && /usr/bin/python3 ../bench/demo_learning.py [--config configs/tiny-demo.grpo.json]

"Before" is the model right after the supervised warm start (the run's reference model),
"after" is the final policy; both sampled at the config's temperature.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
TRAINER = os.path.join(os.path.dirname(HERE), "trainer")
sys.path.insert(0, TRAINER)

import torch  # noqa: E402

from grpo_lens.config import load_config  # noqa: E402
from grpo_lens.models import build_policy  # noqa: E402
from grpo_lens.rewards import RewardSet  # noqa: E402
from grpo_lens.rollout import rollout  # noqa: E402
from grpo_lens.tasks import build_task  # noqa: E402

HELD_OUT = 10**7  # data positions far past anything the run trains on


def held_out_accuracy(config, state_dict, n_prompts=256, seed=1234):
    policy = build_policy(config["model"], torch.device("cpu"))
    policy.load_state_dict(state_dict)
    task = build_task(config["task"], config["seed"])
    accuracy = RewardSet([{"name": "accuracy"}])
    generator = torch.Generator().manual_seed(seed)
    settings = dict(config, num_generations=4)
    hits, total = 0.0, 0
    for start in range(0, n_prompts, 32):
        problems = [task.problem(HELD_OUT + start + i) for i in range(32)]
        out = rollout(policy, [p.prompt for p in problems], settings, generator)
        for j, p in enumerate(problems):
            values, _ = accuracy.score_group(p.prompt, p.reference, out.texts[4 * j:4 * j + 4])
            hits += sum(values)
            total += len(values)
    return hits / total


def metric_mean(run_dir, key, steps):
    rows = [json.loads(line) for line in open(os.path.join(run_dir, "metrics.jsonl"))]
    values = [r[key] for r in rows if r.get("step") in steps]
    return sum(values) / len(values)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--config", default=os.path.join(TRAINER, "configs", "tiny-demo.grpo.json"))
    args = p.parse_args()
    config = load_config(args.config)
    run_dir = tempfile.mkdtemp(prefix="grpo-demo-")
    cmd = [sys.executable, "-m", "grpo_lens", "--config", os.path.abspath(args.config), "--run-dir", run_dir]
    start = time.time()
    subprocess.run(cmd, cwd=TRAINER, check=True, stdout=subprocess.DEVNULL)
    wall = time.time() - start
    status = json.load(open(os.path.join(run_dir, "status.json")))
    ckpt = torch.load(os.path.join(run_dir, status["last_checkpoint"], "model.pt"))
    before = held_out_accuracy(config, ckpt["reference"])
    after = held_out_accuracy(config, ckpt["policy"])
    n = config["max_steps"]
    first = metric_mean(run_dir, "rewards/accuracy/mean", set(range(1, 11)))
    last = metric_mean(run_dir, "rewards/accuracy/mean", set(range(n - 9, n + 1)))
    print(f"command: {' '.join(cmd)}")
    print(f"wall time (warm start + {n} GRPO steps): {wall:.1f} s on {torch.get_num_threads()} threads")
    print(f"held-out accuracy (256 prompts x 4 samples): before GRPO {before:.3f}, after GRPO {after:.3f}, "
          f"+{100 * (after - before):.1f} points")
    print(f"training accuracy reward: steps 1-10 {first:.3f}, steps {n - 9}-{n} {last:.3f}")
    print(f"run directory: {run_dir}")


if __name__ == "__main__":
    main()
