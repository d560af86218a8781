"""Peak memory and time of the trainer's log-prob engine on the CPU, at Qwen's vocabulary.

  chunked  grpo_lens.logprobs.logprobs_and_entropy: a chunked selective log-softmax (fp32
           per chunk of rows, only [rows] results kept; the backward recomputes a chunk)
  full     the path it replaced (step.py before): logits.float(), log_softmax over
           [N, T, V], gather; the entropy from a second full softmax

The logits are bf16 (what a model under bf16 autocast gives).  Each measurement runs in a
fresh subprocess and reports the process's RSS high-water mark (ru_maxrss: tracemalloc does
not see torch's memory), and that peak above the RSS with the logits already made (what
the log-prob computation itself added).  Rows of the logits come from a seed per block of
512 rows, so the first rows are the same at every N and the paths' log-probs are compared.

Usage: /usr/bin/python3 bench/logprob_engine.py [--vocab 151936] [--small 8] [--large 64] [--seq 512]
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
sys.path.insert(0, os.path.join(HERE, "..", "trainer"))


def rss_now_kb():
    with open("/proc/self/statm", encoding="ascii") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") // 1024


def make_logits(rows, vocab):
    import torch
    logits = torch.empty(rows, vocab, dtype=torch.bfloat16)
    for s in range(0, rows, 512):  # fp32 a block at a time: never the whole thing in fp32
        g = torch.Generator().manual_seed(s)
        n = min(512, rows - s)
        logits[s:s + n] = (torch.randn(n, vocab, generator=g) * 2.0).bfloat16()
    tokens = torch.randint(0, vocab, (rows,), generator=torch.Generator().manual_seed(7))
    return logits, tokens


def measure(mode, rows, vocab, backward, out_path):
    """One measurement (in its own process): prints a JSON line."""
    import torch
    from grpo_lens import grpo, logprobs
    torch.set_num_threads(max(1, os.cpu_count() or 1))
    logits, tokens = make_logits(rows, vocab)
    logits.requires_grad_(backward)
    base = rss_now_kb()
    start = time.perf_counter()
    with torch.set_grad_enabled(backward):
        if mode == "chunked":
            logp, entropy = logprobs.logprobs_and_entropy(logits, tokens, 1.0)
        else:
            full = logits.float()
            logp = grpo.token_logprobs(full, tokens, 1.0)
            entropy = grpo.token_entropy(full.detach(), 1.0)
        if backward:
            logp.sum().backward()
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    torch.save({"logp": logp.detach()[:4096].clone(), "entropy": entropy.detach()[:4096].clone()}, out_path)
    print(json.dumps({"mode": mode, "rows": rows, "vocab": vocab, "backward": backward, "seconds": seconds,
                      "peak_rss_gb": peak / 2**20, "added_gb": (peak - base) / 2**20,
                      "logits_gb": rows * vocab * 2 / 2**30}))


def run_one(mode, rows, vocab, backward, tmp):
    out = os.path.join(tmp, f"{mode}-{rows}-{int(backward)}.pt")
    argv = [sys.executable, __file__, "--one", mode, str(rows), str(vocab), str(int(backward)), out]
    proc = subprocess.run(argv, capture_output=True, text=True)
    if proc.returncode != 0:
        return {"mode": mode, "rows": rows, "backward": backward,
                "error": (proc.stderr.strip().splitlines() or [f"exit {proc.returncode}"])[-1]}, None
    return json.loads(proc.stdout.strip().splitlines()[-1]), out


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "--one":
        mode, rows, vocab, backward, out = sys.argv[2:7]
        measure(mode, int(rows), int(vocab), backward == "1", out)
        return
    ap = argparse.ArgumentParser()
    ap.add_argument("--vocab", type=int, default=151936)
    ap.add_argument("--seq", type=int, default=512)
    ap.add_argument("--small", type=int, default=8, help="completions where both paths run")
    ap.add_argument("--large", type=int, default=64, help="completions where the chunked path runs alone")
    args = ap.parse_args()
    import torch
    small, large = args.small * args.seq, args.large * args.seq
    with tempfile.TemporaryDirectory() as tmp:
        results = {}
        plan = [("full", small, True), ("chunked", small, True), ("full", small, False),
                ("chunked", small, False), ("chunked", large, False)]
        for mode, rows, backward in plan:
            r, path = run_one(mode, rows, args.vocab, backward, tmp)
            results[(mode, rows, backward)] = (r, path)
            print(json.dumps(r), flush=True)
        for backward in (True, False):
            (f, fp), (c, cp) = results[("full", small, backward)], results[("chunked", small, backward)]
            if fp and cp:
                a, b = torch.load(fp), torch.load(cp)
                diff = max(float((a[k] - b[k]).abs().max()) for k in ("logp", "entropy"))
                print(f"{'fwd+bwd' if backward else 'forward'} {args.small}x{args.seq}: peak RSS "
                      f"{f['peak_rss_gb']:.2f} -> {c['peak_rss_gb']:.2f} GB "
                      f"(added by the log-probs {f['added_gb']:.2f} -> {c['added_gb']:.2f} GB, "
                      f"{f['added_gb'] / max(c['added_gb'], 1e-9):.1f}x less), time {f['seconds']:.2f} -> "
                      f"{c['seconds']:.2f} s ({f['seconds'] / c['seconds']:.2f}x), max |diff| {diff:.2e}")
        big, bp = results[("chunked", large, False)]
        if bp:
            first = torch.load(bp)["logp"]
            full_path = results[("full", small, False)][1]
            ref = torch.load(full_path)["logp"] if full_path else None
            n = min(len(first), len(ref)) if ref is not None else 0
            same = float((first[:n] - ref[:n]).abs().max()) if n else float("nan")
            print(f"chunked forward {args.large}x{args.seq}: peak RSS {big['peak_rss_gb']:.2f} GB "
                  f"(logits {big['logits_gb']:.2f} GB, added {big['added_gb']:.2f} GB), "
                  f"{big['seconds']:.2f} s; "
                  f"first 4096 rows vs the full path at {args.small}x{args.seq}: max |diff| {same:.2e}")


if __name__ == "__main__":
    main()
