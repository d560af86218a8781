"""ONNX export for token-level inspection in the extension (onnxruntime-node).

Each checkpoint gets `policy.onnx`; the run directory gets `reference.onnx` once and
`tokenizer.json` (for a Hugging Face model, its own tokenizer.json and a tokenizer_config.json,
written whether or not ONNX is exported: the extension tokenizes with them). The graph:
input `input_ids` int64 [batch, seq] -> output `logits` float32 [batch, seq, vocab], both
axes dynamic. A failed export never stops training:
`export_checkpoint` reports it through the `warn` callback (a `warning` event).
"""
import contextlib
import copy
import inspect
import json
import os
import shutil
import tempfile
import warnings

import torch

OPSET = 14  # torch 1.13 exports it well and onnxruntime 1.30 loads it
INPUT_NAME = "input_ids"
OUTPUT_NAME = "logits"
POLICY_FILE = "policy.onnx"
REFERENCE_FILE = "reference.onnx"
TOKENIZER_FILE = "tokenizer.json"
TOKENIZER_CONFIG_FILE = "tokenizer_config.json"


class LogitsOnly(torch.nn.Module):
    """input_ids -> logits, whatever the wrapped model returns (tensor, tuple or ModelOutput)."""

    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, input_ids):
        if hasattr(self.model, "config") and hasattr(self.model.config, "model_type"):  # transformers
            out = self.model(input_ids=input_ids, use_cache=False, return_dict=True)
        else:
            out = self.model(input_ids)
        if hasattr(out, "logits"):
            return out.logits.float()
        if isinstance(out, (tuple, list)):
            return out[0].float()
        return out.float()


def should_export(config, model=None):
    """export_onnx: true, false or "auto" (default): the tiny model only.  A Hugging Face
    model's export takes minutes per checkpoint and blocks training while it runs, so it
    happens only when export_onnx is true."""
    setting = config.get("export_onnx", "auto")
    if setting in (True, False):
        return setting
    return config.get("model", {}).get("type", "tiny") == "tiny"


def export_model(model, path, block_size=None, opset=OPSET):
    """Writes model's input_ids -> logits graph to path, atomically: it is built in a temp
    folder beside path and moved into place. A model over protobuf's 2 GB limit comes out
    of torch with one external file per weight; those are gathered into `<path>.data`
    (this needs the onnx package)."""
    model = _cpu_float32(model)
    seq = min(8, block_size or 8)
    dummy = torch.randint(3, 10, (2, seq), dtype=torch.long)
    tmp_dir = tempfile.mkdtemp(prefix=".export-", dir=os.path.dirname(path) or ".")
    tmp = os.path.join(tmp_dir, os.path.basename(path))
    try:
        with torch.no_grad(), warnings.catch_warnings(), _where_with_tensor_scalars():
            warnings.simplefilter("ignore", torch.jit.TracerWarning)  # head size is a constant
            torch.onnx.export(
                LogitsOnly(model).eval(),
                (dummy,),
                tmp,
                input_names=[INPUT_NAME],
                output_names=[OUTPUT_NAME],
                dynamic_axes={INPUT_NAME: {0: "batch", 1: "sequence"},
                              OUTPUT_NAME: {0: "batch", 1: "sequence"}},
                opset_version=opset,
                do_constant_folding=True,
                **_torchscript_exporter(),
            )
        if len(os.listdir(tmp_dir)) > 1:
            _gather_external_data(tmp, os.path.basename(path) + ".data")
        for name in sorted(os.listdir(tmp_dir), key=lambda n: n == os.path.basename(path)):  # the graph last
            os.chmod(os.path.join(tmp_dir, name), 0o644)
            os.replace(os.path.join(tmp_dir, name), os.path.join(os.path.dirname(path) or ".", name))
    finally:
        shutil.rmtree(tmp_dir, ignore_errors=True)
    return path


def _gather_external_data(graph_path, data_name):
    """One weights file beside the graph instead of hundreds (onnx's own save)."""
    try:
        import onnx
    except ImportError:
        raise RuntimeError("the model is over 2 GB, and exporting it needs the onnx package "
                           "(apt-get install python3-onnx)") from None
    folder = os.path.dirname(graph_path)
    graph = onnx.load(graph_path, load_external_data=True)
    for name in os.listdir(folder):
        os.remove(os.path.join(folder, name))
    onnx.save_model(graph, graph_path, save_as_external_data=True, all_tensors_to_one_file=True,
                    location=data_name, size_threshold=1024)


def _torchscript_exporter():
    """torch >= 2.9 exports with dynamo by default, which fails on transformers models and on
    our graph's where-with-scalars; the TorchScript exporter is what this module targets."""
    return {"dynamo": False} if "dynamo" in inspect.signature(torch.onnx.export).parameters else {}


def write_tokenizer(tokenizer, run_dir, model_max_length=None):
    """tokenizer.json in the run directory: the char tokenizer's own dict plus the longest
    sequence the model accepts; for a Hugging Face tokenizer its own tokenizer.json (the
    format @huggingface/tokenizers reads) and tokenizer_config.json (special tokens, every
    EOS id, model_max_length, and the chat template, which the extension renders for a
    prompt_format "chat" run as apply_chat_template does)."""
    path = os.path.join(run_dir, TOKENIZER_FILE)
    if hasattr(tokenizer, "to_json_dict"):
        data = dict(tokenizer.to_json_dict())
        if model_max_length:
            data["model_max_length"] = int(model_max_length)
        _write_json_atomic(path, data)
        return path
    hf = getattr(tokenizer, "tok", tokenizer)  # our adapter (tokenizer.HFTokenizer) or the tokenizer
    if not hasattr(hf, "backend_tokenizer"):
        raise ValueError(f"cannot describe tokenizer {type(hf).__name__} as JSON (not a fast tokenizer)")
    _write_json_atomic(path, json.loads(hf.backend_tokenizer.to_str()))
    config = dict(getattr(hf, "special_tokens_map", None) or {})  # what a chat template may name
    config.update({
        "bos_token": hf.bos_token, "eos_token": hf.eos_token, "pad_token": hf.pad_token,
        "eos_token_ids": list(getattr(tokenizer, "eos_ids", [hf.eos_token_id])),
        "model_max_length": int(model_max_length) if model_max_length else None})
    template = chat_template(hf)
    if template is not None:
        config["chat_template"] = template
    _write_json_atomic(os.path.join(run_dir, TOKENIZER_CONFIG_FILE), config)
    return path


def chat_template(hf):
    """The tokenizer's chat template as text, or None: transformers may hold a dict of named
    templates, of which apply_chat_template uses "default" (or the only one)."""
    template = getattr(hf, "chat_template", None)
    if isinstance(template, dict):
        template = template.get("default") or (next(iter(template.values())) if len(template) == 1 else None)
    return template if isinstance(template, str) and template else None


def export_checkpoint(config, checkpoint_dir, run_dir, model, tokenizer, ref_model=None, warn=print):
    """The checkpoint hook: policy.onnx into checkpoint_dir (the temp dir, before its
    rename), reference.onnx and tokenizer.json into run_dir when missing. Never raises:
    a failure is passed to warn(message) and training goes on. Returns written paths."""
    written = []
    try:
        block_size = getattr(model, "block_size", None)
        hf = hasattr(getattr(tokenizer, "tok", tokenizer), "backend_tokenizer")  # a transformers tokenizer
        if hf and not os.path.exists(os.path.join(run_dir, TOKENIZER_FILE)):  # with or without ONNX
            max_length = getattr(getattr(model, "config", None), "max_position_embeddings", None)
            written.append(write_tokenizer(tokenizer, run_dir, max_length))
        if not should_export(config, model):
            return written
        written.append(export_model(model, os.path.join(checkpoint_dir, POLICY_FILE), block_size))
        if ref_model is not None and not os.path.exists(os.path.join(run_dir, REFERENCE_FILE)):
            written.append(export_model(ref_model, os.path.join(run_dir, REFERENCE_FILE), block_size))
        if hasattr(tokenizer, "to_json_dict") and not os.path.exists(os.path.join(run_dir, TOKENIZER_FILE)):
            written.append(write_tokenizer(tokenizer, run_dir, block_size))
    except Exception as err:  # noqa: BLE001 - any export failure is a warning, not a crash
        warn(f"ONNX export failed ({type(err).__name__}: {err}); token alternatives and the playground "
             f"will not be available for this checkpoint.")
    return written


@contextlib.contextmanager
def _where_with_tensor_scalars():
    """torch 1.13 exports torch.where(cond, x, <python float>) with a double constant,
    which onnxruntime rejects (Where bound to float and double); make the scalar a tensor
    of x's dtype while exporting."""
    original = torch.where

    def where(condition, *args, **kwargs):
        if len(args) == 2:
            x, y = args
            if isinstance(y, (int, float)) and torch.is_tensor(x):
                y = torch.full((), y, dtype=x.dtype, device=x.device)
            if isinstance(x, (int, float)) and torch.is_tensor(y):
                x = torch.full((), x, dtype=y.dtype, device=y.device)
            args = (x, y)
        return original(condition, *args, **kwargs)

    torch.where = where
    try:
        yield
    finally:
        torch.where = original


def _cpu_float32(model):
    params = list(model.parameters())
    if all(p.device.type == "cpu" and p.dtype == torch.float32 for p in params):
        return model
    return copy.deepcopy(model).to(device="cpu", dtype=torch.float32)


def _write_json_atomic(path, data):
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(data, f)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)
