"""Wiring between the math and the loop: the reference under a beta schedule, mu > 1 with
the old log-probs, HF position ids, and a torch-free command line module."""
import os
import subprocess
import sys

import pytest
import torch

from grpo_lens import grpo, step
from grpo_lens.models import position_ids_from_mask
from grpo_lens.models.hf import HFPolicy
from grpo_lens.rollout import rollout
from grpo_lens.run_dir import RunDir
from grpo_lens.train import Trainer, max_beta

from helpers import TRAINER_DIR, tiny_config


def make_trainer(tmp_path, **overrides):
    from grpo_lens.config import resolve_config
    settings = dict({"warm_start": {"steps": 0}, "export_onnx": False}, **overrides)
    config = resolve_config(tiny_config(**settings))
    return Trainer(config, RunDir(str(tmp_path)))


@pytest.mark.parametrize("beta,schedule,final,loaded", [
    (0.0, "cosine", 0.05, True), (0.0, "constant", 0.05, False), (0.0, "cosine", 0.0, False),
    (0.04, "constant", 0.0, True)])
def test_reference_loaded_when_the_schedule_ever_uses_kl(tmp_path, beta, schedule, final, loaded):
    trainer = make_trainer(tmp_path, beta=beta, beta_schedule=schedule, beta_final=final)
    assert (max_beta(trainer.config) > 0) == loaded
    assert (trainer.reference is not None) == loaded
    trainer.run.close()


def test_cosine_from_zero_beta_logs_kl(tmp_path):
    trainer = make_trainer(tmp_path, beta=0.0, beta_schedule="cosine", beta_final=0.1, max_steps=3)
    metrics, samples = step.grpo_step(trainer)
    assert "kl" in metrics and samples[0]["completions"][0]["ref_logprobs"] is not None
    trainer.run.close()


def test_second_iteration_uses_the_old_logprobs(tmp_path, monkeypatch):
    trainer = make_trainer(tmp_path, num_iterations=2, learning_rate=0.05, beta=0.0)
    cfg = trainer.config
    problems = [trainer.task.problem(i) for i in range(cfg["prompts_per_step"])]
    out = rollout(trainer.policy, [p.prompt for p in problems], cfg, trainer.sampling_generator)
    batch = (torch.cat([out.prompt_ids, out.completion_ids], 1),
             torch.cat([out.prompt_mask, out.completion_mask], 1),
             out.prompt_ids.shape[1], out.completion_ids)
    n = out.completion_ids.shape[0]
    advantages = torch.tensor([1.0 if i % 2 else -1.0 for i in range(n)])
    mask = out.completion_mask.float()
    calls, real = [], grpo.grpo_loss

    def recording(logp, logp_old, *args, **kwargs):
        loss, metrics = real(logp, logp_old, *args, **kwargs)
        ratio = torch.exp(logp.detach() - logp_old.detach())
        calls.append((ratio, {k: float(v) for k, v in metrics.items()}))
        return loss, metrics

    monkeypatch.setattr(grpo, "grpo_loss", recording)
    updated = step.update(trainer, batch, advantages, mask, None, 0.0)
    assert len(calls) == 2
    first, second = calls
    assert torch.allclose(first[0][mask > 0], torch.ones(int(mask.sum())), atol=1e-5)
    assert (second[0][mask > 0] - 1).abs().max() > 0.05  # the policy moved since sampling
    assert second[1]["clip_ratio/region_mean"] > 0 and updated["clip_ratio/region_mean"] > 0
    trainer.run.close()


def test_hf_logits_pass_left_padding_position_ids():
    mask = torch.tensor([[0, 0, 1, 1, 1], [1, 1, 1, 1, 1], [0, 0, 0, 0, 1]])
    expected = torch.tensor([[0, 0, 0, 1, 2], [0, 1, 2, 3, 4], [0, 0, 0, 0, 0]])
    assert torch.equal(position_ids_from_mask(mask), expected)

    seen = {}

    class Out:
        logits = torch.zeros(3, 5, 2)

    def fake_model(**kwargs):
        seen.update(kwargs)
        return Out()

    policy = object.__new__(HFPolicy)  # no transformers here: the forward is the only part used
    policy.model, policy.compute_dtype = fake_model, torch.float32
    policy.logits(torch.zeros(3, 5, dtype=torch.long), mask, None)
    assert torch.equal(seen["position_ids"], expected)


def test_cli_module_imports_no_torch():
    code = ("import sys; sys.modules['torch'] = None\n"
            "import grpo_lens.cli, grpo_lens.__main__\n"
            "assert not [m for m in sys.modules if m.startswith('torch') and sys.modules[m] is not None]\n"
            "sys.argv = ['grpo_lens', '--help']\n"
            "import runpy; runpy.run_module('grpo_lens', run_name='__main__')\n")
    result = subprocess.run([sys.executable, "-c", code], cwd=TRAINER_DIR, capture_output=True, text=True,
                            env=dict(os.environ, PYTHONPATH=TRAINER_DIR))
    assert result.returncode == 0, result.stderr
    assert "--resume" in result.stdout and "usage:" in result.stdout


def test_trl_reward_gets_completion_ids_and_samples_carry_token_ids(tmp_path):
    """A reward written as TRL's docs show (completion_ids) is scored with the sampled ids,
    and each sample names the exact token ids the extension should score."""
    (tmp_path / "trl_len.py").write_text(
        "def reward_func(completion_ids, **kwargs):\n"
        "    return [float(len(ids)) for ids in completion_ids]\n", encoding="utf-8")
    from grpo_lens.config import resolve_config
    raw = tiny_config(warm_start={"steps": 0}, export_onnx=False,
                      rewards=[{"name": "length", "function": "trl_len:reward_func"}])
    trainer = Trainer(resolve_config(raw, str(tmp_path)), RunDir(str(tmp_path / "run")))
    _, samples = step.grpo_step(trainer)
    tok = trainer.policy.tokenizer
    for group in samples:
        for c in group["completions"]:
            assert c["rewards"]["length"] == c["num_tokens"]
            assert len(c["token_ids"]) == len(c["tokens"])
            assert [tok.token_text(t) for t in c["token_ids"]] == c["tokens"]
    trainer.run.close()
