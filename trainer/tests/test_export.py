"""ONNX export: graph shape and names, parity with PyTorch, and the committed fixture that
the TypeScript tests (test/unit/inference) compare onnxruntime-node's logits against.

Set GRPO_LENS_UPDATE_FIXTURES=1 to rewrite test/fixtures/onnx/ from this file.
"""
import json
import os

import pytest
import torch

from grpo_lens import export
from grpo_lens.models.tiny_gpt import TinyGPT
from grpo_lens.tokenizer import CharTokenizer

FIXTURE_DIR = os.path.join(os.path.dirname(__file__), "..", "..", "test", "fixtures", "onnx")
# A fixed input: BOS, "12+34=" and a completion "46<eos>", padded into a batch of two rows.
FIXTURE_TEXT = "12+34=46"


def tiny_model(seed, n_embd=32):
    torch.manual_seed(seed)
    model = TinyGPT(CharTokenizer().vocab_size, n_layer=2, n_head=2, n_embd=n_embd, block_size=64)
    # Random init is nearly uniform; sharpen it so that alternatives and top-k mean something.
    with torch.no_grad():
        model.lm_head.weight.mul_(40.0)
    return model.eval()


def fixture_inputs(tok):
    ids = [tok.bos_id] + tok.encode(FIXTURE_TEXT) + [tok.eos_id]
    other = [tok.bos_id] + tok.encode("7*8=56") + [tok.eos_id, tok.pad_id, tok.pad_id]
    return [ids, other]


def logits_record(model, input_ids):
    with torch.no_grad():
        logits = model(torch.tensor(input_ids, dtype=torch.long))
    return {"dims": list(logits.shape), "data": logits.flatten().tolist()}


def build_fixture(out_dir):
    """policy.onnx, reference.onnx, tokenizer.json and logits.json (PyTorch's logits)."""
    os.makedirs(out_dir, exist_ok=True)
    tok = CharTokenizer()
    policy, reference = tiny_model(0), tiny_model(1)
    export.export_model(policy, os.path.join(out_dir, export.POLICY_FILE), 64)
    export.export_model(reference, os.path.join(out_dir, export.REFERENCE_FILE), 64)
    export.write_tokenizer(tok, out_dir, 64)
    inputs = fixture_inputs(tok)
    record = {
        "input_ids": inputs,
        "policy": logits_record(policy, inputs),
        "reference": logits_record(reference, inputs),
        "note": "PyTorch float32 logits of policy.onnx / reference.onnx for input_ids; "
                "see trainer/tests/test_export.py",
    }
    with open(os.path.join(out_dir, "logits.json"), "w", encoding="utf-8") as f:
        json.dump(record, f)
    return record


def test_committed_fixture_matches_a_fresh_export(tmp_path):
    fresh = build_fixture(str(tmp_path))
    committed_path = os.path.join(FIXTURE_DIR, "logits.json")
    if os.environ.get("GRPO_LENS_UPDATE_FIXTURES") == "1" or not os.path.exists(committed_path):
        build_fixture(FIXTURE_DIR)
    with open(committed_path, encoding="utf-8") as f:
        committed = json.load(f)
    assert committed["input_ids"] == fresh["input_ids"]
    for name in ("policy", "reference"):
        assert committed[name]["dims"] == fresh[name]["dims"]
        saved = torch.tensor(committed[name]["data"])
        assert torch.allclose(saved, torch.tensor(fresh[name]["data"]), atol=1e-5)
    size = sum(os.path.getsize(os.path.join(FIXTURE_DIR, f)) for f in os.listdir(FIXTURE_DIR))
    assert size < 2_000_000, "the committed ONNX fixture should stay small"


def test_graph_names_and_dynamic_axes(tmp_path):
    onnx = pytest.importorskip("onnx")  # Debian: python3-onnx
    path = export.export_model(tiny_model(0), str(tmp_path / "policy.onnx"), 64)
    graph = onnx.load(path)
    onnx.checker.check_model(graph)
    onnx.shape_inference.infer_shapes(graph, check_type=True, strict_mode=True)  # e.g. float/double clashes
    (inp,), (out,) = graph.graph.input, graph.graph.output
    assert inp.name == "input_ids" and inp.type.tensor_type.elem_type == onnx.TensorProto.INT64
    assert out.name == "logits" and out.type.tensor_type.elem_type == onnx.TensorProto.FLOAT
    in_dims = [d.dim_param or d.dim_value for d in inp.type.tensor_type.shape.dim]
    out_dims = [d.dim_param or d.dim_value for d in out.type.tensor_type.shape.dim]
    assert in_dims == ["batch", "sequence"]
    assert out_dims == ["batch", "sequence", CharTokenizer().vocab_size]
    assert graph.opset_import[0].version == export.OPSET


def test_tokenizer_json_is_the_char_tokenizer_plus_max_length(tmp_path):
    path = export.write_tokenizer(CharTokenizer(), str(tmp_path), 64)
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    assert data["type"] == "char" and data["vocab"][:3] == ["<pad>", "<bos>", "<eos>"]
    assert (data["bos_id"], data["eos_id"], data["pad_id"], data["model_max_length"]) == (1, 2, 0, 64)


def test_export_checkpoint_writes_policy_reference_and_tokenizer(tmp_path):
    run_dir, ckpt = tmp_path / "run", tmp_path / "run" / "checkpoints" / ".tmp-step-000001"
    ckpt.mkdir(parents=True)
    warnings = []
    written = export.export_checkpoint({"model": {"type": "tiny"}}, str(ckpt), str(run_dir), tiny_model(0),
                                       CharTokenizer(), ref_model=tiny_model(1), warn=warnings.append)
    assert warnings == []
    assert sorted(os.path.basename(p) for p in written) == ["policy.onnx", "reference.onnx", "tokenizer.json"]
    again = export.export_checkpoint({"model": {"type": "tiny"}}, str(ckpt), str(run_dir), tiny_model(0),
                                     CharTokenizer(), ref_model=tiny_model(1), warn=warnings.append)
    assert [os.path.basename(p) for p in again] == ["policy.onnx"]  # reference and tokenizer once per run


def test_a_failed_export_is_a_warning_not_a_crash(tmp_path):
    class Broken(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.w = torch.nn.Parameter(torch.zeros(1))

        def forward(self, input_ids):
            raise RuntimeError("cannot trace this")

    warnings = []
    written = export.export_checkpoint({"model": {"type": "tiny"}}, str(tmp_path), str(tmp_path), Broken(),
                                       CharTokenizer(), warn=warnings.append)
    assert written == [] and len(warnings) == 1 and "ONNX export failed" in warnings[0]
    assert not [f for f in os.listdir(tmp_path) if f.endswith(".onnx")], "no partial file is left behind"


@pytest.mark.parametrize("setting,model_type,expected", [
    ("auto", "tiny", True), (None, "tiny", True), (False, "tiny", False),
    (True, "hf", True), (False, "hf", False),
])
def test_should_export(setting, model_type, expected):
    config = {"model": {"type": model_type}}
    if setting is not None:
        config["export_onnx"] = setting
    assert export.should_export(config) is expected


def test_auto_never_exports_an_hf_model():
    small = torch.nn.Linear(4, 4)  # minutes per checkpoint for a real one, blocking training
    assert export.should_export({"model": {"type": "hf"}}, small) is False
    assert export.should_export({"model": {"type": "hf"}, "export_onnx": True}, small) is True


def test_torch_29_exports_without_dynamo(monkeypatch, tmp_path):
    calls, real = [], torch.onnx.export

    def export_29(model, args, f, *rest, dynamo=True, **kwargs):  # torch >= 2.9's signature
        calls.append(dynamo)
        return real(model, args, f, *rest, **kwargs)

    monkeypatch.setattr(torch.onnx, "export", export_29)
    model = TinyGPT(CharTokenizer().vocab_size, 1, 2, 16, 16)
    export.export_model(model, str(tmp_path / "policy.onnx"), 16)
    assert calls == [False] and os.path.getsize(tmp_path / "policy.onnx") > 0


def run_tiny_trainer(tmp_path, max_steps=2):
    """The real trainer, briefly, on the shipped test config with a checkpoint every step."""
    import re
    import subprocess
    import sys

    trainer_root = os.path.join(os.path.dirname(__file__), "..")
    with open(os.path.join(trainer_root, "configs", "tiny-test.grpo.json"), encoding="utf-8") as f:
        text = re.sub(r'"\$schema":[^,]*,', "", f.read())
    text = re.sub(r'"max_steps": \d+', f'"max_steps": {max_steps}', text)
    text = re.sub(r'"checkpoint_every": \d+', '"checkpoint_every": 1', text)
    text = re.sub(r'"save_total_limit": \d+', '"save_total_limit": 10', text)
    config, run_dir = tmp_path / "tiny.grpo.json", tmp_path / "run"
    config.write_text(text)
    env = {**os.environ, "PYTHONPATH": os.path.abspath(trainer_root)}
    subprocess.run([sys.executable, "-m", "grpo_lens", "--config", str(config), "--run-dir", str(run_dir)],
                   check=True, env=env, capture_output=True, timeout=120)
    return run_dir


def test_trainer_checkpoints_carry_exports(tmp_path):
    run_dir = run_tiny_trainer(tmp_path)
    for step in (1, 2):
        assert (run_dir / "checkpoints" / f"step-{step:06d}" / "policy.onnx").exists()
    assert (run_dir / "reference.onnx").exists() and (run_dir / "tokenizer.json").exists()
    events = [json.loads(line) for line in (run_dir / "events.jsonl").read_text().splitlines()]
    assert not [e for e in events if e["event"] == "warning"]
    if os.environ.get("GRPO_LENS_UPDATE_FIXTURES") == "1":
        copy_run_fixture(run_dir, os.path.join(FIXTURE_DIR, "run"))


def copy_run_fixture(run_dir, out):
    """What the TypeScript logprob parity test needs: step 2's samples (sampled by the
    policy of checkpoint step-000001), that checkpoint's policy.onnx, the reference."""
    import shutil

    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(os.path.join(out, "checkpoints", "step-000001"))
    checkpoint = os.path.join(out, "checkpoints", "step-000001")
    shutil.copy(run_dir / "checkpoints" / "step-000001" / "policy.onnx", checkpoint)
    for name in ("reference.onnx", "tokenizer.json", "run.json"):
        shutil.copy(run_dir / name, out)
    lines = (run_dir / "samples.jsonl").read_text().splitlines()
    lines = [line for line in lines if json.loads(line)["step"] == 2]
    with open(os.path.join(out, "samples.jsonl"), "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
