"""The parts of the Hugging Face policy that need no transformers (models/hf_parts.py): which
argument limits the LM head, the scoring forward's arguments, the generation config swap."""
import functools

import pytest

from grpo_lens.models.hf_parts import as_models_generation_config, logits_to_keep_argument, scoring_inputs


def forward_449(input_ids=None, attention_mask=None, use_cache=None, logits_to_keep=0, **kwargs):
    """Qwen2ForCausalLM.forward's arguments in transformers 4.49 to 5.x."""


def forward_446(input_ids=None, attention_mask=None, use_cache=None, num_logits_to_keep=0, **kwargs):
    """... in transformers 4.45 to 4.48."""


def forward_without(input_ids=None, attention_mask=None, **kwargs):
    """A model with no such argument (some vision-language models)."""


def decorated(function):  # as transformers' can_return_tuple: functools.wraps keeps the signature
    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        return function(*args, **kwargs)
    return wrapper


def test_the_argument_that_limits_the_lm_head_is_found_in_each_version():
    assert logits_to_keep_argument(forward_449) == "logits_to_keep"
    assert logits_to_keep_argument(decorated(forward_449)) == "logits_to_keep"
    assert logits_to_keep_argument(forward_446) == "num_logits_to_keep"
    assert logits_to_keep_argument(forward_without) is None
    assert logits_to_keep_argument(object()) is None  # not a function: no argument, no crash


def test_scoring_forwards_build_no_cache():
    assert scoring_inputs("ids", "mask", "positions") == {
        "input_ids": "ids", "attention_mask": "mask", "position_ids": "positions", "use_cache": False}


class Model:
    generation_config = "the model's own"


def test_the_run_config_is_the_models_only_while_generating():
    model = Model()
    with as_models_generation_config(model, "the run's"):
        assert model.generation_config == "the run's"
    assert model.generation_config == "the model's own"
    with pytest.raises(RuntimeError):
        with as_models_generation_config(model, "the run's"):
            raise RuntimeError("generate failed")
    assert model.generation_config == "the model's own"
