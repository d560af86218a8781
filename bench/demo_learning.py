"""Does GRPO teach the demo's model?  Trains the demo config under a wall-clock budget and
measures accuracy before and after the GRPO phase, in the same run, on held-out prompts.

    cd trainer && /usr/bin/python3 ../bench/demo_learning.py
        [--config configs/reasoning-demo.grpo.json] [--budget-s 300] [--set key=JSON ...]

"Before" is the model right after the supervised warm start (the run's frozen reference,
i.e. the policy before any GRPO update); "after" is the final policy.  Both are scored by
the config's own reward functions on 256 held-out prompts (data positions the run never
trains on): 4 samples each at the config's temperature (what training sees), and one
greedy completion each.  The budget covers the whole run, warm start included: when it is
spent the bench asks the run to stop through its control mailbox (it checkpoints at the
end of the step and exits) and "after" is that checkpoint.  --set overrides config keys
(e.g. --set warm_start.steps=200) to compare settings; the run directory is kept.
"""
import argparse
import json
import math
import os
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
TRAINER = os.path.join(os.path.dirname(HERE), "trainer")
sys.path.insert(0, TRAINER)

import torch  # noqa: E402

from grpo_lens.config import load_config, parse_config_text  # noqa: E402
from grpo_lens.models import build_policy  # noqa: E402
from grpo_lens.rewards import RewardSet  # noqa: E402
from grpo_lens.rollout import rollout  # noqa: E402
from grpo_lens.tasks import build_task  # noqa: E402

HELD_OUT = 10**7  # data positions far past anything the run trains on
GREEDY = 1e-4     # a temperature this low samples the most likely token


def held_out_scores(config, state_dict, temperature, samples, n_prompts=256, seed=1234):
    """Mean of each reward component over n_prompts x samples completions."""
    policy = build_policy(config["model"], torch.device("cpu"))
    policy.load_state_dict(state_dict)
    task = build_task(config["task"], config["seed"])
    rewards = RewardSet(config["rewards"], [config["config_dir"]])
    generator = torch.Generator().manual_seed(seed)
    settings = dict(config, num_generations=samples, temperature=temperature, top_p=1.0)
    sums, total = {name: 0.0 for name in rewards.names}, 0
    for start in range(0, n_prompts, 32):
        problems = [task.problem(HELD_OUT + start + i) for i in range(32)]
        out = rollout(policy, [p.prompt for p in problems], settings, generator)
        for j, p in enumerate(problems):
            _, components = rewards.score_group(p.prompt, p.reference,
                                                out.texts[samples * j:samples * (j + 1)])
            for c in components:
                for name in sums:
                    sums[name] += c[name]
            total += samples
    return {name: s / total for name, s in sums.items()}


def training_accuracy(run_dir):
    """The run's own rewards/accuracy/mean, over its first and its last 10 GRPO steps."""
    rows = [json.loads(line) for line in open(os.path.join(run_dir, "metrics.jsonl"))]
    values = [r["rewards/accuracy/mean"] for r in rows if "step" in r]
    return sum(values[:10]) / len(values[:10]), sum(values[-10:]) / len(values[-10:]), len(values)


def token_confidence(run_dir, first_steps=5, last_steps=5):
    """Mean probability of the sampled token (samples.jsonl), by part of the completion,
    over the first and the last steps: what the token colouring shows."""
    lines = [json.loads(line) for line in open(os.path.join(run_dir, "samples.jsonl"))]
    end = max(line["step"] for line in lines)
    result = {}
    for label, keep in (("first", lambda s: s <= first_steps), ("last", lambda s: s > end - last_steps)):
        parts = {}
        for line in (x for x in lines if keep(x["step"])):
            for c in line["completions"]:
                text = "".join(c["tokens"])
                think, last_digit = text.find("</think>"), text.find("</answer>") - 1
                for i, (tok, logprob) in enumerate(zip(c["tokens"], c["logprobs"])):
                    part = ("answer's last digit" if i == last_digit else
                            "scratchpad digits" if i < think and tok.isdigit() else None)
                    if part:
                        parts.setdefault(part, []).append(math.exp(logprob))
        result[label] = {part: sum(v) / len(v) for part, v in parts.items()}
    return result


def read_raw_config(path, overrides):
    with open(path, encoding="utf-8") as f:
        raw = parse_config_text(f.read(), os.path.basename(path))
    for item in overrides:
        key, _, value = item.partition("=")
        *parents, leaf = key.split(".")
        node = raw
        for k in parents:
            node = node.setdefault(k, {})
        node[leaf] = json.loads(value)
    raw.pop("$schema", None)
    return raw


def train_within(config_file, run_dir, budget_s):
    """Runs the trainer; asks it to stop when budget_s is spent.  Returns (wall s, stopped)."""
    cmd = [sys.executable, "-m", "grpo_lens", "--config", config_file, "--run-dir", run_dir]
    env = dict(os.environ, PYTHONPATH=TRAINER)
    start = time.time()
    proc = subprocess.Popen(cmd, cwd=TRAINER, env=env, stdout=subprocess.DEVNULL)
    stopped = False
    while proc.poll() is None:
        if not stopped and time.time() - start > budget_s:
            stop = {"id": "bench-budget", "command": "stop", "time": time.time()}
            with open(os.path.join(run_dir, "control.jsonl"), "a", encoding="utf-8") as f:
                f.write(json.dumps(stop) + "\n")
            stopped = True
        time.sleep(0.5)
    if proc.returncode != 0:
        sys.exit(f"the run failed (exit {proc.returncode}); see {run_dir}")
    return time.time() - start, stopped


def load():
    return os.getloadavg()[0]


def shown(scores):
    return ", ".join(f"{name} {value:.3f}" for name, value in scores.items())


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--config", default=os.path.join(TRAINER, "configs", "reasoning-demo.grpo.json"))
    p.add_argument("--budget-s", type=float, default=300.0, help="wall-clock budget of the run")
    p.add_argument("--set", action="append", default=[], metavar="KEY=JSON", help="override a config key")
    args = p.parse_args()
    raw = read_raw_config(args.config, args.set)
    run_dir = tempfile.mkdtemp(prefix="grpo-demo-")
    config_file = run_dir + "-config.grpo.json"
    with open(config_file, "w", encoding="utf-8") as f:
        json.dump(raw, f)
    config = load_config(config_file)
    config["config_dir"] = os.path.dirname(os.path.abspath(args.config))
    load_before = load()
    wall, stopped = train_within(config_file, run_dir, args.budget_s)
    load_after = load()
    status = json.load(open(os.path.join(run_dir, "status.json")))
    ckpt = torch.load(os.path.join(run_dir, status["last_checkpoint"], "model.pt"))
    if ckpt["reference"] is None:
        sys.exit("the run kept no reference (beta 0): nothing to measure 'before' on")
    results = {}
    for label, weights in (("before", ckpt["reference"]), ("after", ckpt["policy"])):
        results[label] = (held_out_scores(config, weights, config["temperature"], 4),
                          held_out_scores(config, weights, GREEDY, 1))
    gain = 100 * (results["after"][0]["accuracy"] - results["before"][0]["accuracy"])
    greedy_gain = 100 * (results["after"][1]["accuracy"] - results["before"][1]["accuracy"])
    print(f"config: {args.config} {' '.join('--set ' + s for s in args.set)}")
    print(f"run: warm start {config['warm_start']['steps']} steps + {status.get('step')} of "
          f"{config['max_steps']} GRPO steps in {wall:.1f} s (budget {args.budget_s:.0f} s"
          f"{', stopped by the budget' if stopped else ''}), {torch.get_num_threads()} torch thread(s), "
          f"load average {load_before:.2f} at start, {load_after:.2f} at end")
    for label in ("before", "after"):
        sampled, greedy = results[label]
        print(f"{label} GRPO: sampled (T={config['temperature']}, 256x4): {shown(sampled)}; "
              f"greedy (256): {shown(greedy)}")
    first, last, n = training_accuracy(run_dir)
    print(f"the run's own rewards/accuracy/mean: steps 1-10 {first:.3f}, steps {n - 9}-{n} {last:.3f}")
    confidence = token_confidence(run_dir)
    for part in confidence["first"]:
        print(f"mean probability of the sampled {part}: first 5 steps {confidence['first'][part]:.3f}, "
              f"last 5 steps {confidence['last'].get(part, float('nan')):.3f}")
    print(f"accuracy gain: {gain:+.1f} points sampled, {greedy_gain:+.1f} points greedy "
          f"({'meets' if gain >= 30 else 'MISSES'} the +30 target)")
    print(f"run directory: {run_dir}")


if __name__ == "__main__":
    main()
