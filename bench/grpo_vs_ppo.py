"""Does GRPO need about half the memory and compute of PPO?  Runs both on the same model,
task, tokens per batch and number of updates, each in its own process, and reports peak
memory and time per step as ratios.

    cd trainer && taskset -c 0,1 /usr/bin/python3 ../bench/grpo_vs_ppo.py [--steps 5]

Batch: GRPO samples 8 completions for each of 8 prompts, PPO 1 completion for each of
64 prompts: 64 completions of the same length cap either way.  Memory: the process's peak
RSS (and its rise over the RSS before the trainer was built), PyTorch's peak CPU
allocations during one step (torch.profiler memory events), and the bytes of weights and
optimizer state the trainer holds; on CUDA, torch.cuda.max_memory_allocated.
"""
import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
TRAINER = os.path.join(os.path.dirname(HERE), "trainer")
sys.path.insert(0, TRAINER)

MODEL = {"type": "tiny", "n_layer": 2, "n_head": 4, "n_embd": 128, "block_size": 48}
COMMON = {"name": "bench", "seed": 0, "model": MODEL, "task": {"name": "arithmetic", "difficulty": "medium"},
          "rewards": [{"name": "accuracy"}], "max_completion_length": 24, "beta": 0.04,
          "num_iterations": 2, "learning_rate": 1e-4, "export_onnx": False, "log_token_details": False}
SETUPS = {"grpo": {"algorithm": "grpo", "num_generations": 8, "prompts_per_step": 8},
          "ppo": {"algorithm": "ppo", "num_generations": 1, "prompts_per_step": 64}}


def rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def state_bytes(trainer):
    """Weights of policy, critic and reference, and AdamW's state."""
    tensors = list(trainer.policy.trainable_parameters())
    if trainer.reference is not None:
        tensors += list(trainer.reference.parameters())
    for s in trainer.optimizer.state.values():
        tensors += [v for v in s.values() if hasattr(v, "numel") and v.dim() > 0]
    return sum(t.numel() * t.element_size() for t in tensors)


def peak_allocated(step):
    """Peak of PyTorch's CPU allocations during one call (bytes above the start)."""
    import torch
    cpu = [torch.profiler.ProfilerActivity.CPU]
    with torch.profiler.profile(activities=cpu, profile_memory=True) as prof:
        step()
    # each op's own allocations (self: not its children's) and the frees ("[memory]"), in time order
    events = sorted((e.time_range.start,
                     e.cpu_memory_usage if e.name == "[memory]" else e.self_cpu_memory_usage)
                    for e in prof.events())
    level = peak = 0
    for _, delta in events:
        level += delta
        peak = max(peak, level)
    return peak


def worker(algorithm, steps, device):
    import torch
    from grpo_lens.config import resolve_config
    from grpo_lens.run_dir import RunDir
    from grpo_lens.step import grpo_step
    from grpo_lens.train import Trainer
    base_rss = rss_mb()
    config = resolve_config(dict(COMMON, device=device, max_steps=steps + 1, **SETUPS[algorithm]))
    trainer = Trainer(config, RunDir(tempfile.mkdtemp(prefix=f"bench-{algorithm}-")))
    times, cpu, tokens, parts = [], [], [], {"timing/generate_s": [], "timing/update_s": []}
    for i in range(steps):
        start, cpu_start = time.time(), time.process_time()
        metrics, _ = grpo_step(trainer)
        times.append(time.time() - start)
        cpu.append(time.process_time() - cpu_start)  # CPU seconds: what other processes do not change
        for key in parts:
            parts[key].append(metrics[key])
        completions = config["prompts_per_step"] * config["num_generations"]
        tokens.append(metrics["completions/mean_length"] * completions)
    peak_rss = rss_mb()  # before the profiled step: the profiler's own records take memory
    allocated = peak_allocated(lambda: grpo_step(trainer))
    out = {"algorithm": algorithm, "time_per_step_s": sum(times[1:]) / max(len(times) - 1, 1),
           "cpu_s_per_step": sum(cpu[1:]) / max(len(cpu) - 1, 1),
           "generate_s": sum(parts["timing/generate_s"][1:]) / max(len(times) - 1, 1),
           "update_s": sum(parts["timing/update_s"][1:]) / max(len(times) - 1, 1),
           "tokens_per_step": sum(tokens) / len(tokens), "peak_rss_mb": peak_rss,
           "rss_rise_mb": peak_rss - base_rss, "peak_torch_alloc_mb": allocated / 2**20,
           "state_mb": state_bytes(trainer) / 2**20, "threads": torch.get_num_threads()}
    if str(trainer.device).startswith("cuda"):
        out["cuda_peak_mb"] = torch.cuda.max_memory_allocated() / 2**20
    print(json.dumps(out))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--steps", type=int, default=5)
    p.add_argument("--device", default="cpu")
    p.add_argument("--worker", choices=sorted(SETUPS))
    args = p.parse_args()
    if args.worker:
        return worker(args.worker, args.steps, args.device)
    results = {}
    for algorithm in ("grpo", "ppo"):
        cmd = [sys.executable, os.path.abspath(__file__), "--worker", algorithm, "--steps", str(args.steps),
               "--device", args.device]
        done = subprocess.run(cmd, cwd=TRAINER, check=True, capture_output=True, text=True)
        results[algorithm] = json.loads(done.stdout.splitlines()[-1])
    g, q = results["grpo"], results["ppo"]
    print(f"model {MODEL}, {args.steps} steps of 64 completions (<= 24 tokens), num_iterations 2, "
          f"{g['threads']} threads, device {args.device}")
    print(f"{'measure':24s} {'GRPO':>10s} {'PPO':>10s} {'PPO / GRPO':>11s}")
    for key in ("peak_rss_mb", "rss_rise_mb", "peak_torch_alloc_mb", "state_mb", "cuda_peak_mb",
                "time_per_step_s", "cpu_s_per_step", "generate_s", "update_s", "tokens_per_step"):
        if key in g:
            print(f"{key:24s} {g[key]:10.2f} {q[key]:10.2f} {q[key] / g[key]:11.2f}")


if __name__ == "__main__":
    main()
