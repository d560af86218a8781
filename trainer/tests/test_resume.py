"""10 steps, checkpoint, resume for 10 more == 20 uninterrupted steps, bit for bit on CPU."""
import argparse
import os

from grpo_lens import cli

from helpers import events, read_jsonl, read_status, tiny_config, write_config

TIMING_KEYS = ("time", "tokens_per_s")


def comparable(row):
    return {k: v for k, v in row.items() if k not in TIMING_KEYS and not k.startswith("timing/")}


def train(config_path, run_dir, resume=None, stop_after=None):
    args = argparse.Namespace(config=config_path, run_dir=run_dir, resume=resume)
    return cli.train_main(args, run_dir, ["test"], stop_after=stop_after)


def test_resume_is_bit_identical(tmp_path, monkeypatch):
    monkeypatch.setenv("GRPO_LENS_LOG_REDIRECTED", "1")
    config = tiny_config(max_steps=20, checkpoint_every=0, num_iterations=2, top_p=0.9,
                         lr_scheduler_type="cosine", beta_schedule="cosine",
                         warm_start={"steps": 3, "batch_size": 8, "learning_rate": 0.003})
    cfg = write_config(tmp_path / "c.grpo.json", config)
    whole, split = str(tmp_path / "whole"), str(tmp_path / "split")
    assert train(cfg, whole) == 0
    assert train(cfg, split, stop_after=10) == 0
    assert read_status(split)["state"] == "stopped"
    ckpt = os.path.join(split, "checkpoints", "step-000010")
    assert os.path.isfile(os.path.join(ckpt, "tokenizer.json"))
    assert train(None, split, resume=ckpt) == 0

    a = read_jsonl(os.path.join(whole, "metrics.jsonl"))
    b = read_jsonl(os.path.join(split, "metrics.jsonl"))
    assert [r["step"] for r in b if "step" in r] == list(range(1, 21))
    assert [comparable(r) for r in a] == [comparable(r) for r in b]
    samples = [read_jsonl(os.path.join(d, "samples.jsonl")) for d in (whole, split)]
    assert samples[0] == samples[1]
    resumed = [e for e in events(split, "resumed") if "checkpoint" in e]
    assert resumed and resumed[0]["step"] == 10 and resumed[0]["checkpoint"] == "checkpoints/step-000010"
    assert read_status(split)["state"] == "finished" and read_status(split)["step"] == 20


def test_run_directory_contents(tmp_path, monkeypatch):
    monkeypatch.setenv("GRPO_LENS_LOG_REDIRECTED", "1")
    config = tiny_config(max_steps=4, checkpoint_every=2, save_total_limit=1, samples_max_tokens=2)
    cfg = write_config(tmp_path / "c.grpo.json", config)
    run = str(tmp_path / "run")
    assert train(cfg, run) == 0
    import json
    info = json.load(open(os.path.join(run, "run.json")))
    assert info["format"] == "grpo-lens/1" and info["trainer"]["name"] == "grpo-lens"
    assert info["config"]["num_generations"] == 4 and "sample" in info["std_convention"]
    status = read_status(run)
    assert set(status) >= {"state", "pid", "step", "total_steps", "updated", "last_checkpoint", "error"}
    assert status["last_checkpoint"] == "checkpoints/step-000004"
    assert sorted(os.listdir(os.path.join(run, "checkpoints"))) == ["step-000004"]  # save_total_limit=1
    rows = read_jsonl(os.path.join(run, "metrics.jsonl"))
    warm = [r for r in rows if r.get("phase") == "warmup"]
    assert warm and all("step" not in r and "warmup_step" in r for r in warm)
    grpo_rows = [r for r in rows if "step" in r]
    for key in ("reward", "reward_std", "rewards/accuracy/mean", "rewards/accuracy/std", "kl", "loss",
                "entropy", "clip_ratio/low_mean", "clip_ratio/high_mean", "clip_ratio/region_mean",
                "completions/mean_length",
                "completions/min_length", "completions/max_length", "completions/clipped_ratio",
                "frac_reward_zero_std", "grad_norm", "lr", "beta", "timing/generate_s", "timing/reference_s",
                "timing/reward_s", "timing/update_s", "tokens_per_s", "time"):
        assert key in grpo_rows[0], key
    samples = read_jsonl(os.path.join(run, "samples.jsonl"))
    assert len(samples) == 4 * 2  # every group of every step
    c = samples[0]["completions"][0]
    assert len(samples[0]["completions"]) == 4
    assert set(c) >= {"text", "reward", "rewards", "advantage", "num_tokens", "truncated", "tokens",
                      "logprobs", "ref_logprobs"}
    assert len(c["tokens"]) == min(2, c["num_tokens"]) == len(c["logprobs"]) == len(c["ref_logprobs"])
    names = [e["event"] for e in events(run)]
    assert names[0] == "started" and names[-1] == "finished" and "checkpoint" in names
    assert [e["name"] for e in events(run, "phase")] == ["warmup", "grpo"]
