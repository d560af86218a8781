"""Load a *.grpo.json config: strip comments, validate against the schema, fill defaults."""
import copy
import json
import os

from .schema_check import SchemaError, validate

SCHEMA_PATH = os.path.join(os.path.dirname(os.path.abspath(__file__)), "config.schema.json")


class ConfigError(ValueError):
    """The config cannot be used; the message is one line and names the field."""


def strip_comments(text):
    """Remove // and /* */ comments outside of JSON strings."""
    out, i, n = [], 0, len(text)
    in_string = False
    while i < n:
        c = text[i]
        if in_string:
            out.append(c)
            if c == "\\" and i + 1 < n:
                out.append(text[i + 1])
                i += 1
            elif c == '"':
                in_string = False
        elif c == '"':
            in_string = True
            out.append(c)
        elif text.startswith("//", i):
            while i < n and text[i] != "\n":
                i += 1
            continue
        elif text.startswith("/*", i):
            end = text.find("*/", i + 2)
            if end < 0:
                raise ConfigError("unterminated /* comment")
            out.append(" " if "\n" not in text[i:end] else "\n" * text[i:end].count("\n"))
            i = end + 2
            continue
        else:
            out.append(c)
        i += 1
    return "".join(out)


def load_schema():
    with open(SCHEMA_PATH, encoding="utf-8") as f:
        return json.load(f)


def _not_json(source, name):
    raise ConfigError(f"{source} is not valid JSON: {name} is not a JSON number")


def parse_config_text(text, source="config"):
    """JSON with // and /* */ comments, nothing else: no trailing commas, no NaN or Infinity
    (the extension checks by the same rule: trainer/tests/data/config_syntax_cases.json)."""
    try:
        return json.loads(strip_comments(text), parse_constant=lambda name: _not_json(source, name))
    except json.JSONDecodeError as e:
        where = f"line {e.lineno} column {e.colno}"
        raise ConfigError(f"{source} is not valid JSON: {e.msg} at {where}") from None


def resolve_config(raw, config_dir="."):
    """Validate a parsed config and return the full resolved config (defaults filled in)."""
    config = copy.deepcopy(raw)
    if config.get("algorithm") == "ppo":  # one sample per prompt unless the config says
        config.setdefault("num_generations", 1)
    try:
        validate(config, load_schema())
    except SchemaError as e:
        raise ConfigError(f"config error: {e}") from None
    config.pop("$schema", None)
    _check_semantics(config)
    config.setdefault("warm_start", {"steps": 0, "batch_size": 32, "learning_rate": 1e-3})
    if "epsilon_high" not in config:
        config["epsilon_high"] = config["epsilon"]
    task = config["task"]
    if task["name"] in ("gsm8k", "dataset") and "path" in task and not os.path.isabs(task["path"]):
        task["path"] = os.path.normpath(os.path.join(os.path.abspath(config_dir), task["path"]))
    config["config_dir"] = os.path.abspath(config_dir)
    return config


def _check_semantics(config):
    model = config["model"]
    if model["type"] == "tiny" and model["n_embd"] % model["n_head"]:
        raise ConfigError("config error: model.n_embd: must be divisible by model.n_head")
    if model["type"] == "hf" and "path" not in model and "config" not in model:
        raise ConfigError("config error: model.path: an hf model needs a path (or a config and a tokenizer)")
    if model["type"] == "tiny" and model["block_size"] <= config["max_completion_length"]:
        raise ConfigError("config error: model.block_size: must be larger than max_completion_length")
    if config["algorithm"] == "ppo" and model["type"] not in ("tiny", "board"):
        raise ConfigError(f"config error: algorithm: ppo needs model type tiny or board, "
                          f"not {model['type']!r}")
    if config["algorithm"] == "grpo" and config["num_generations"] < 2:
        raise ConfigError("config error: num_generations: GRPO needs at least 2 completions per prompt "
                          "(a group); 1 is for algorithm ppo")
    _check_data_and_sampling(config)
    _check_algorithm_options(config)
    names = [r["name"] for r in config["rewards"]]
    for i, name in enumerate(names):
        if names.index(name) != i:
            raise ConfigError(f"config error: rewards[{i}].name: duplicate reward name {name!r}")


def _check_data_and_sampling(config):
    """Prompts files, chat prompts and sampling options (models/hf.py, tasks/dataset.py)."""
    if config["task"]["name"] == "dataset" and "path" not in config["task"]:
        raise ConfigError("config error: task.path: a dataset task needs the path of a .jsonl or "
                          ".parquet file")
    if config["prompt_format"] == "chat" and config["model"]["type"] != "hf":
        raise ConfigError(f"config error: prompt_format: chat needs a Hugging Face model (model.type hf) "
                          f"with a chat template, not {config['model']['type']!r}")
    if "system_prompt" in config and config["prompt_format"] != "chat":
        raise ConfigError('config error: system_prompt: needs "prompt_format": "chat"')
    if config["repetition_penalty"] != 1.0 and config["model"]["type"] != "hf":
        raise ConfigError("config error: repetition_penalty: only Hugging Face models (model.type hf) "
                          "apply it; leave it at 1.0")


# TRL's algorithm options (grpo.py, step.py): GRPO only; the value that leaves each off
GRPO_ONLY_OPTIONS = {"importance_sampling_level": "token", "delta": None, "top_entropy_quantile": 1.0,
                     "entropy_coef": 0.0, "steps_per_generation": 1, "per_device_batch_size": None,
                     "mask_truncated_completions": False, "sync_ref_model": False}


def _check_algorithm_options(config):
    if config["algorithm"] == "ppo":
        for key, off in GRPO_ONLY_OPTIONS.items():
            if config.get(key, off) != off:
                raise ConfigError(f"config error: {key}: a GRPO option; algorithm ppo does not use it")
        if config["loss_type"] == "cispo":
            raise ConfigError("config error: loss_type: cispo is a GRPO loss; algorithm ppo does not use it")
    if config.get("sync_ref_model"):
        if config["beta"] == 0 and (config["beta_schedule"] == "constant" or config["beta_final"] == 0):
            raise ConfigError("config error: sync_ref_model: there is no reference to synchronise "
                              "with beta 0")
        if "lora" in config["model"]:
            raise ConfigError("config error: sync_ref_model: with LoRA the reference is the base model "
                              "(adapters off), which cannot be mixed; use full fine-tuning")


def load_config(path):
    """Read, validate and resolve the config file at path."""
    try:
        with open(path, encoding="utf-8") as f:
            text = f.read()
    except OSError as e:
        raise ConfigError(f"cannot read config {path}: {e.strerror}") from None
    raw = parse_config_text(text, os.path.basename(path))
    if not isinstance(raw, dict):
        raise ConfigError("config error: the config must be a JSON object")
    return resolve_config(raw, os.path.dirname(os.path.abspath(path)))
