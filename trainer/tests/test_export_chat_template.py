"""tokenizer_config.json carries the chat template, so that the extension can build a chat-format
run's prompt as the trainer did. The first tests give write_tokenizer an object with the
attributes it reads of a transformers fast tokenizer (backend_tokenizer.to_str(), the special
tokens, chat_template); the last uses a real one and is skipped where transformers is absent."""
import json

import pytest

from grpo_lens import export
from hf_fixtures import CHAT_TEMPLATE, SPECIAL

# A tokenizer.json as the Rust tokenizers library writes it (the fields write_tokenizer copies).
BACKEND_JSON = {"version": "1.0", "added_tokens": [],
                "model": {"type": "BPE", "vocab": {"a": 0}, "merges": []}}


class Backend:
    def to_str(self):
        return json.dumps(BACKEND_JSON)


class FastTokenizer:
    """The attributes of transformers' PreTrainedTokenizerFast that write_tokenizer reads."""

    backend_tokenizer = Backend()
    bos_token = None
    eos_token = pad_token = "<|endoftext|>"
    eos_token_id = 0

    def __init__(self, chat_template):
        self.chat_template = chat_template
        self.special_tokens_map = {"eos_token": self.eos_token, "pad_token": self.pad_token,
                                   "unk_token": "<unk>", "additional_special_tokens": SPECIAL[1:]}


def written_config(tmp_path, chat_template):
    export.write_tokenizer(FastTokenizer(chat_template), str(tmp_path), 512)
    with open(tmp_path / "tokenizer.json", encoding="utf-8") as f:
        assert json.load(f) == BACKEND_JSON
    with open(tmp_path / "tokenizer_config.json", encoding="utf-8") as f:
        return json.load(f)


def test_the_chat_template_is_written_with_the_special_tokens(tmp_path):
    config = written_config(tmp_path, CHAT_TEMPLATE)
    assert config["chat_template"] == CHAT_TEMPLATE
    assert (config["eos_token"], config["pad_token"], config["bos_token"]) == ("<|endoftext|>",) * 2 + (None,)
    # every special token transformers passes to a template (special_tokens_map)
    assert config["unk_token"] == "<unk>" and config["additional_special_tokens"] == SPECIAL[1:]
    assert config["eos_token_ids"] == [0] and config["model_max_length"] == 512


@pytest.mark.parametrize("templates, expected", [
    ({"default": "D", "tool_use": "T"}, "D"),
    ({"tool_use": "T"}, "T"),
    ({"rag": "R", "tool_use": "T"}, None),  # transformers would need a name: none is chosen here
])
def test_named_templates_give_the_default_or_the_only_one(tmp_path, templates, expected):
    assert written_config(tmp_path, templates).get("chat_template") == expected


@pytest.mark.parametrize("template", [None, ""])
def test_no_template_writes_none(tmp_path, template):
    assert "chat_template" not in written_config(tmp_path, template)


def test_a_transformers_tokenizer_writes_its_template(tmp_path):
    transformers = pytest.importorskip("transformers")
    from hf_fixtures import build_tokenizer
    from grpo_lens.tokenizer import HFTokenizer
    tok = transformers.AutoTokenizer.from_pretrained(build_tokenizer(str(tmp_path / "tok")))
    export.write_tokenizer(HFTokenizer(tok), str(tmp_path), 512)
    with open(tmp_path / "tokenizer_config.json", encoding="utf-8") as f:
        config = json.load(f)
    assert config["chat_template"] == CHAT_TEMPLATE == tok.chat_template
    assert config["eos_token"] == "<|endoftext|>"
