"""The CPU-checkable parts of bench/gpu_check.sh (the check itself needs a GPU): its shell
syntax, its configs against the schema, and its parameter count against Qwen2.5's."""
import os
import subprocess
import sys

import pytest

from grpo_lens.config import resolve_config

BENCH = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), "bench")
sys.path.insert(0, BENCH)
import gpu_check  # noqa: E402


def test_shell_syntax():
    subprocess.run(["bash", "-n", os.path.join(BENCH, "gpu_check.sh")], check=True)


def test_parameter_counts_are_qwen25s():  # as published on the models' pages
    assert gpu_check.parameter_count(gpu_check.QWEN["qwen2.5-0.5b"], 151936) == 494_032_768
    assert gpu_check.parameter_count(gpu_check.QWEN["qwen2.5-1.5b"], 151936) == 1_543_714_304


@pytest.mark.parametrize("name", [*gpu_check.QWEN, *gpu_check.TINY])
def test_configs_are_valid(name, tmp_path):
    shapes = dict(gpu_check.QWEN, **gpu_check.TINY)
    config = resolve_config(gpu_check.run_config(name, shapes[name], str(tmp_path), name in gpu_check.TINY),
                            str(tmp_path))
    assert config["model"]["type"] == "hf" and config["task"]["path"] == str(tmp_path / "prompts.jsonl")


def test_peak_memory_is_not_made_up_when_the_trainer_does_not_log_it():
    config = {"num_generations": 2, "prompts_per_step": 1}
    row = {"completions/mean_length": 4.0, "timing/update_s": 1.0, "timing/generate_s": 2.0}
    assert gpu_check.figures([row, row], config, 1000, None)["peak_gb"] is None
    logged = [dict(row, **{"memory/peak_gb": gb}) for gb in (9.0, 3.5, 4.5)]
    figures = gpu_check.figures(logged, config, 1000, 1e12)
    assert figures["peak_gb"] == 4.5 and figures["gen_tokens_per_s"] == 4.0  # the first step is left out
