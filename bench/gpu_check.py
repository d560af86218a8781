"""The Hugging Face path on a GPU, through our trainer: Qwen2.5-0.5B and -1.5B shapes with random
weights (a Qwen2 config built here, no download), fp32 master weights under bf16 autocast, a
few GRPO steps each, once as `python -m grpo_lens` and once under `torchrun --nproc_per_node 1`.

    bench/gpu_check.sh              # on one H100/H200 (torch, transformers; under 8 minutes)
    bench/gpu_check.sh --dry-run    # on the CPU: tiny shapes, one step, checks the wiring

Figures per run (the steps after the first, which pays for CUDA warm-up):
  generation tokens/s   completion tokens sampled / timing/generate_s
  update s              timing/update_s (num_iterations optimizer updates on the batch)
  peak GB               memory/peak_gb where the trainer logs it (n/a where it does not)
  update MFU            6 * parameters * tokens in the update / update s / chip bf16 peak
                        (H100 SXM and H200: 989 TFLOPS dense); attention FLOPs not counted
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
sys.path.insert(0, os.path.join(TRAINER, "tests"))  # hf_fixtures: the local tokenizer and Qwen2 configs

QWEN = {  # the published Qwen2.5 configs' shapes
    "qwen2.5-0.5b": dict(hidden_size=896, intermediate=4864, layers=24, heads=14, kv_heads=2),
    "qwen2.5-1.5b": dict(hidden_size=1536, intermediate=8960, layers=28, heads=12, kv_heads=2),
}
TINY = {"tiny-qwen2": dict(hidden_size=64, intermediate=128, layers=2, heads=4, kv_heads=2)}
PEAK_FLOPS = {"H100": 989e12, "H200": 989e12}
REWARD = "def variety(completions, **kwargs):\n    return [len(set(c)) / 100 for c in completions]\n"


def write_inputs(folder, dry_run):
    from hf_fixtures import build_tokenizer
    tokenizer = build_tokenizer(os.path.join(folder, "tokenizer"))
    rows = [{"prompt": f"Question {i}: Natalia sold clips to {i + 40} of her friends in April, and then "
                       f"she sold half as many clips in May. How many clips did she sell?", "answer": str(i)}
            for i in range(64)]
    with open(os.path.join(folder, "prompts.jsonl"), "w", encoding="utf-8") as f:
        f.writelines(json.dumps(r) + "\n" for r in rows)
    with open(os.path.join(folder, "gpu_rewards.py"), "w", encoding="utf-8") as f:
        f.write(REWARD)
    return tokenizer


def run_config(name, shape, tokenizer, dry_run):
    from hf_fixtures import qwen2_config
    model = qwen2_config(vocab_size=151936 if not dry_run else 512, rope_theta=1e6, rms_norm_eps=1e-6,
                         max_position_embeddings=32768, **shape)
    return {"name": f"gpu-check-{name}", "seed": 0, "device": "cpu" if dry_run else "cuda",
            "model": {"type": "hf", "config": model, "tokenizer": tokenizer, "dtype": "auto"},
            "task": {"name": "dataset", "path": "prompts.jsonl"},
            "rewards": [{"name": "variety", "function": "gpu_rewards:variety"}],
            "num_generations": 8, "prompts_per_step": 1 if dry_run else 8,
            "max_completion_length": 8 if dry_run else 256, "temperature": 1.0, "beta": 0.04,
            "learning_rate": 1e-6, "max_steps": 1 if dry_run else 3, "checkpoint_every": 0,
            "save_total_limit": 1, "log_token_details": True, "export_onnx": False}


def train(folder, config, launcher, timeout):
    path = os.path.join(folder, f"{config['name']}-{launcher}.grpo.json")
    with open(path, "w", encoding="utf-8") as f:
        json.dump(config, f)
    run = os.path.join(folder, "runs", f"{config['name']}-{launcher}")
    python = [sys.executable, "-m"]
    torchrun = ["torch.distributed.run", "--nproc_per_node", "1", "-m"]  # = torchrun --nproc_per_node 1
    cmd = python + (torchrun if launcher == "torchrun" else [])
    cmd += ["grpo_lens", "--config", path, "--run-dir", run]
    env = dict(os.environ, PYTHONPATH=TRAINER + os.pathsep + folder)
    start = time.time()
    result = subprocess.run(cmd, cwd=folder, env=env, capture_output=True, text=True, timeout=timeout)
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({result.returncode}):\n{result.stderr[-3000:]}")
    with open(os.path.join(run, "metrics.jsonl"), encoding="utf-8") as f:
        rows = [json.loads(line) for line in f if line.strip()]
    return [r for r in rows if "step" in r], time.time() - start


def figures(rows, config, n_params, peak):
    steady = rows[1:] or rows  # the first step pays for CUDA warm-up
    n = config["num_generations"] * config["prompts_per_step"]
    gen_tokens = sum(r["completions/mean_length"] * n for r in steady)
    update_s = sum(r["timing/update_s"] for r in steady) / len(steady)
    prompt_tokens = 40  # about the prompt above, in the local tokenizer
    tokens = n * (prompt_tokens + sum(r["completions/mean_length"] for r in steady) / len(steady))
    flops = 6 * n_params * tokens * config.get("num_iterations", 1)
    return {"gen_tokens_per_s": gen_tokens / sum(r["timing/generate_s"] for r in steady),
            "update_s": update_s,
            "peak_gb": max((r["memory/peak_gb"] for r in steady if "memory/peak_gb" in r), default=None),
            "update_mfu": flops / update_s / peak if peak else None, "steps": len(rows)}


def parameter_count(shape, vocab):
    h, i, n = shape["hidden_size"], shape["intermediate"], shape["layers"]
    kv = h // shape["heads"] * shape["kv_heads"]
    per_layer = h * h * 2 + h * kv * 2 + h + 2 * kv + 3 * h * i + 2 * h  # q,o; k,v; biases; MLP; norms
    return vocab * h + n * per_layer + h  # tied embeddings


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dry-run", action="store_true", help="CPU, tiny shapes, one step")
    parser.add_argument("--out", help="folder for the runs (default: a temp folder)")
    args = parser.parse_args()
    try:
        import torch
        import transformers  # noqa: F401
    except ImportError as e:
        print(f"SKIPPED: {e.name} does not import here; nothing was measured")
        return 0
    folder = args.out or tempfile.mkdtemp(prefix="gpu-check-")
    os.makedirs(folder, exist_ok=True)
    tokenizer = write_inputs(folder, args.dry_run)
    device = "cpu" if args.dry_run else torch.cuda.get_device_name(0)
    peak = next((v for k, v in PEAK_FLOPS.items() if k in device), None)
    print(f"device: {device}; torch {torch.__version__}, transformers {transformers.__version__}; "
          f"runs in {folder}")
    print(f"{'model':14} {'launcher':9} {'gen tok/s':>10} {'update s':>9} {'peak GB':>8} {'MFU':>6} "
          f"{'wall s':>7}")
    results = {}
    for name, shape in (TINY if args.dry_run else QWEN).items():
        config = run_config(name, shape, tokenizer, args.dry_run)
        n_params = parameter_count(shape, config["model"]["config"]["vocab_size"])
        for launcher in ("python", "torchrun"):
            rows, wall = train(folder, config, launcher, timeout=600)
            f = figures(rows, config, n_params, peak)
            results[f"{name}/{launcher}"] = dict(f, wall_s=wall, params=n_params)
            mfu = f"{f['update_mfu']:.1%}" if f["update_mfu"] is not None else "n/a"
            peak_gb = f"{f['peak_gb']:.1f}" if f["peak_gb"] is not None else "n/a"  # not a made-up 0.0
            print(f"{name:14} {launcher:9} {f['gen_tokens_per_s']:10.0f} {f['update_s']:9.2f} "
                  f"{peak_gb:>8} {mfu:>6} {wall:7.0f}", flush=True)
    with open(os.path.join(folder, "gpu_check.json"), "w", encoding="utf-8") as f:
        json.dump({"device": device, "torch": torch.__version__, "results": results}, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
