"""TRL's algorithm options in the config and through a whole run: schema entries,
config errors, and bit-exact resume with all of them on."""
import json
import os

import pytest

from grpo_lens.config import GRPO_ONLY_OPTIONS, ConfigError, load_schema, resolve_config

from helpers import read_jsonl, read_status, tiny_config, write_config
from test_resume import comparable, train

OPTIONS = ["importance_sampling_level", "delta", "mask_truncated_completions", "top_entropy_quantile",
           "entropy_coef", "sync_ref_model", "ref_model_mixup_alpha", "ref_model_sync_steps",
           "steps_per_generation", "per_device_batch_size", "gradient_checkpointing"]


def test_every_option_has_a_described_schema_entry_and_cispo_is_a_loss_type():
    props = load_schema()["properties"]
    for key in OPTIONS:
        assert len(props[key]["description"]) > 30, key
    assert "cispo" in props["loss_type"]["enum"]


def test_defaults_leave_every_option_off():
    config = resolve_config(tiny_config())
    for key, off in GRPO_ONLY_OPTIONS.items():
        assert config.get(key, off) == off, key
    assert config["ref_model_mixup_alpha"] == 0.6 and config["ref_model_sync_steps"] == 512  # TRL's


@pytest.mark.parametrize("overrides,message", [
    ({"algorithm": "ppo", "loss_type": "cispo"}, "loss_type: cispo is a GRPO loss"),
    ({"algorithm": "ppo", "steps_per_generation": 2}, "steps_per_generation: a GRPO option"),
    ({"algorithm": "ppo", "importance_sampling_level": "sequence"}, "importance_sampling_level"),
    ({"sync_ref_model": True, "beta": 0.0}, "sync_ref_model: there is no reference"),
    ({"importance_sampling_level": "seq"}, "importance_sampling_level"),
    ({"top_entropy_quantile": 1.5}, "top_entropy_quantile"),
    ({"delta": 0.9}, "delta"),
    ({"per_device_batch_size": 0}, "per_device_batch_size"),
])
def test_bad_option_values_are_config_errors(overrides, message):
    with pytest.raises(ConfigError, match=message):
        resolve_config(tiny_config(**overrides))


def test_resume_is_bit_identical_with_every_option_on(tmp_path, monkeypatch):
    monkeypatch.setenv("GRPO_LENS_LOG_REDIRECTED", "1")
    config = tiny_config(max_steps=8, checkpoint_every=0, num_iterations=2, loss_type="cispo",
                         epsilon_high=4.0,
                         importance_sampling_level="sequence", mask_truncated_completions=True,
                         top_entropy_quantile=0.6, entropy_coef=0.01, sync_ref_model=True,
                         ref_model_sync_steps=3, steps_per_generation=2, per_device_batch_size=3,
                         gradient_checkpointing=True, warm_start={"steps": 2, "batch_size": 8})
    cfg = write_config(tmp_path / "c.grpo.json", config)
    whole, split = str(tmp_path / "whole"), str(tmp_path / "split")
    assert train(cfg, whole) == 0
    assert train(cfg, split, stop_after=4) == 0
    assert train(None, split, resume=os.path.join(split, "checkpoints", "step-000004")) == 0
    a = read_jsonl(os.path.join(whole, "metrics.jsonl"))
    b = read_jsonl(os.path.join(split, "metrics.jsonl"))
    assert [comparable(r) for r in a] == [comparable(r) for r in b]
    grpo_rows = [r for r in a if "cispo_clip_ratio" in r]
    assert len(grpo_rows) == 8 and all("entropy_coef" in r for r in grpo_rows)
    assert read_status(split)["state"] == "finished"
    with open(os.path.join(whole, "run.json"), encoding="utf-8") as f:
        assert json.load(f)["config"]["steps_per_generation"] == 2


def test_an_environment_takes_the_options(tmp_path):
    """Battleship (envs/step.py) goes through the same update loop and reference sync."""
    import torch

    from grpo_lens.run_dir import RunDir
    from grpo_lens.step import grpo_step
    from grpo_lens.train import Trainer
    from test_battleship_step import RAW
    raw = dict(RAW, loss_type="cispo", epsilon_high=3.0, importance_sampling_level="sequence",
               entropy_coef=0.02, top_entropy_quantile=0.7, per_device_batch_size=5, steps_per_generation=2,
               sync_ref_model=True, ref_model_sync_steps=2, export_onnx=False)
    trainer = Trainer(resolve_config(raw), RunDir(str(tmp_path)))
    before = [p.detach().clone() for p in trainer.reference.parameters()]
    rows = [grpo_step(trainer)[0] for _ in range(2)]
    for row in rows:
        assert {"cispo_clip_ratio", "entropy", "entropy_coef", "kl"} <= set(row)
    mixed = [0.6 * p.detach() + 0.4 * b for p, b in zip(trainer.policy.model.parameters(), before)]
    assert all(torch.allclose(m, r, atol=1e-6) for m, r in zip(mixed, trainer.reference.parameters()))
    trainer.run.close()
