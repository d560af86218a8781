import json

import pytest

from grpo_lens.tasks import build_task
from grpo_lens.tasks.gsm8k import SAMPLE_PATH, final_answer, load_examples


def test_arithmetic_is_deterministic_per_position():
    a = build_task({"name": "arithmetic", "difficulty": "medium"}, seed=3)
    b = build_task({"name": "arithmetic", "difficulty": "medium"}, seed=3)
    assert [a.problem(i) for i in range(20)] == [b.problem(i) for i in range(20)]
    for i in range(20):
        p = a.problem(i)
        assert p.prompt.endswith("=") and p.reference == p.target
        assert str(eval(p.prompt[:-1])) == p.reference  # our own digits and operators


def test_arithmetic_instruct_style_targets_the_format():
    t = build_task({"name": "arithmetic", "difficulty": "hard", "prompt_style": "instruct"}, seed=0)
    p = t.problem(0)
    assert "<answer>" in p.prompt and p.target.endswith(f"<answer>{p.reference}</answer>")


def test_gsm8k_sample_file_loads():
    examples = load_examples(SAMPLE_PATH)
    assert len(examples) >= 20
    assert final_answer("x\n#### 1,250") == "1250"
    t = build_task({"name": "gsm8k"}, seed=0)
    epoch = {t.problem(i).prompt for i in range(len(examples))}
    assert len(epoch) == len(examples)  # one epoch visits every example once


def test_gsm8k_bad_line(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text(json.dumps({"question": "q", "answer": "no final answer"}) + "\n")
    with pytest.raises(ValueError, match="line 1"):
        load_examples(str(path))


def test_one_gsm8k_step_with_every_builtin_reward(tmp_path, monkeypatch):
    import argparse
    import os

    from grpo_lens import cli
    from helpers import read_jsonl, tiny_config, write_config
    monkeypatch.setenv("GRPO_LENS_LOG_REDIRECTED", "1")
    rewards = [{"name": n} for n in ("accuracy", "format", "reasoning_length", "self_consistency")]
    config = tiny_config(task={"name": "gsm8k", "prompt_style": "instruct"}, rewards=rewards, max_steps=1,
                         model={"type": "tiny", "n_layer": 1, "n_head": 2, "n_embd": 16, "block_size": 64},
                         warm_start={"steps": 1, "batch_size": 2}, export_onnx=False)
    cfg = write_config(tmp_path / "g.grpo.json", config)
    run = str(tmp_path / "run")
    assert cli.train_main(argparse.Namespace(config=cfg, run_dir=run, resume=None), run, []) == 0
    row = [r for r in read_jsonl(os.path.join(run, "metrics.jsonl")) if "step" in r][0]
    assert all(f"rewards/{r['name']}/mean" in row for r in rewards)
