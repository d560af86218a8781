"""The Hugging Face path on a Qwen2-architecture model built from a tiny config and a BPE
tokenizer built here.  Runs wherever transformers imports; reported skipped elsewhere."""
import functools
import json
import os

import pytest
import torch

transformers = pytest.importorskip("transformers")

from grpo_lens.export import write_tokenizer  # noqa: E402
from grpo_lens.models import build_policy  # noqa: E402
from grpo_lens.config import ConfigError  # noqa: E402
from grpo_lens.models.hf import load_policy, save_policy  # noqa: E402
from grpo_lens.rollout import eos_mask, rollout  # noqa: E402
from grpo_lens.tasks import PromptText  # noqa: E402
from hf_fixtures import build_tokenizer, hf_model_config  # noqa: E402
from helpers import read_jsonl, run_cli, tiny_config, write_config  # noqa: E402

SETTINGS = {"max_completion_length": 6, "temperature": 1.0, "top_p": 1.0, "top_k": 0, "min_p": 0.0,
            "repetition_penalty": 1.0, "num_generations": 2}


@pytest.fixture(scope="module")
def tokenizer_dir(tmp_path_factory):
    return build_tokenizer(str(tmp_path_factory.mktemp("tok")))


def make_policy(tokenizer_dir, **extra):
    size = len(transformers.AutoTokenizer.from_pretrained(tokenizer_dir))
    torch.manual_seed(0)
    return build_policy(dict(hf_model_config(tokenizer_dir, vocab_size=size), **extra), torch.device("cpu"))


def test_fp32_weights_train_mode_and_no_dropout(tokenizer_dir):
    policy = make_policy(tokenizer_dir, dtype="bfloat16")  # bf16 compute: autocast, not bf16 weights
    assert all(p.dtype == torch.float32 for p in policy.model.parameters())
    assert policy.model.training and policy.compute_dtype == torch.bfloat16
    ref = policy.reference()
    assert not ref.training and not any(p.requires_grad for p in ref.parameters())
    for module in list(policy.model.modules()) + list(ref.modules()):
        assert getattr(module, "attention_dropout", 0.0) == 0.0
        assert not isinstance(module, torch.nn.Dropout) or module.p == 0.0


def test_generate_uses_the_run_settings_not_the_models(tokenizer_dir, monkeypatch):
    policy = make_policy(tokenizer_dir)
    im_end = policy.hf_tokenizer.convert_tokens_to_ids("<|im_end|>")
    policy.model.generation_config.top_k, policy.model.generation_config.repetition_penalty = 20, 1.05
    policy.model.generation_config.eos_token_id = [im_end, policy.hf_tokenizer.eos_token_id]
    policy.tokenizer.eos_ids = sorted({im_end, policy.hf_tokenizer.eos_token_id})
    seen = {}
    real_generate = policy.model.generate

    def spy(**kwargs):
        seen["passed"], seen["own"] = kwargs["generation_config"], policy.model.generation_config
        return real_generate(**kwargs)

    monkeypatch.setattr(policy.model, "generate", spy)
    out = rollout(policy, ["What is 3+4?"], SETTINGS, torch.Generator().manual_seed(0))
    for config in (seen["passed"], seen["own"]):
        assert config.top_k == 0 and config.repetition_penalty == 1.0 and config.do_sample
        assert sorted(config.eos_token_id) == policy.tokenizer.eos_ids
    assert policy.model.generation_config.top_k == 20  # restored after generating
    assert out.completion_ids.shape[0] == 2 and out.sample_logprobs.shape == out.completion_ids.shape


def test_any_eos_ends_a_completion(tokenizer_dir):
    policy = make_policy(tokenizer_dir)
    im_end = policy.hf_tokenizer.convert_tokens_to_ids("<|im_end|>")
    policy.tokenizer.eos_ids = sorted({im_end, policy.hf_tokenizer.eos_token_id})
    ids = policy.tokenizer.encode("The answer")
    assert policy.tokenizer.decode(ids + [im_end, 5, 6]) == "The answer"
    mask, truncated = eos_mask(torch.tensor([ids + [im_end, 5], ids + [5, 6]]), policy.tokenizer.eos_ids)
    assert truncated == [False, True] and mask[0].tolist() == [1] * (len(ids) + 1) + [0]


def test_chat_prompts_use_the_template(tokenizer_dir):
    policy = make_policy(tokenizer_dir)
    settings = dict(SETTINGS, prompt_format="chat", system_prompt="Be brief.")
    ids = policy.encode_prompt("What is 3+4?", settings)
    text = policy.hf_tokenizer.decode(ids)
    assert text == ("<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nWhat is 3+4?<|im_end|>\n"
                    "<|im_start|>assistant\n")
    own = PromptText("x", messages=[{"role": "user", "content": "Hi"}])
    assert policy.hf_tokenizer.decode(policy.encode_prompt(own, settings)).startswith("<|im_start|>system")


def test_a_chat_template_that_rejects_the_messages_is_a_config_error(tokenizer_dir):
    policy = make_policy(tokenizer_dir)
    policy.hf_tokenizer.chat_template = "{{ raise_exception('System role not supported') }}"
    with pytest.raises(ConfigError, match="System role not supported"):
        policy.encode_prompt("Hi", dict(SETTINGS, prompt_format="chat", system_prompt="Be brief."))


def test_completion_logits_and_hidden_states_match_the_full_forward(tokenizer_dir):
    policy = make_policy(tokenizer_dir)
    policy.model.eval()
    ids = torch.tensor([[0, 0, 11, 12, 13, 14, 15], [21, 22, 23, 24, 25, 26, 27]])
    mask = (torch.arange(7) >= torch.tensor([[2], [0]])).long()
    with torch.no_grad():
        full = policy.logits(ids, mask, None)[:, -4:-1]
        kept = policy.completion_logits(ids, mask, 3)
        hidden, head = policy.completion_hidden(ids, mask, 3)
        assert torch.allclose(kept.float(), full, atol=1e-5)
        assert torch.allclose(head(hidden).float(), full, atol=1e-5)


def test_scoring_forwards_keep_no_cache_and_only_the_completion_rows(tokenizer_dir, monkeypatch):
    policy = make_policy(tokenizer_dir)
    seen = []
    real_forward = policy.model.forward

    @functools.wraps(real_forward)  # the signature stays the model's: logits_to_keep is detected through it
    def spy(*args, **kwargs):
        out = real_forward(*args, **kwargs)
        cache = getattr(out, "past_key_values", None)
        seen.append(dict(kwargs, logits_rows=out.logits.shape[1], cache=cache))
        return out

    monkeypatch.setattr(policy.model, "forward", spy)
    ids = torch.tensor([[0, 0, 11, 12, 13, 14, 15]])
    mask = (ids != 0).long()
    with torch.no_grad():
        kept = policy.completion_logits(ids, mask, 3)
        policy.logits(ids, mask, None)
    assert kept.shape[1] == 3
    assert seen[0]["use_cache"] is False and seen[0]["cache"] is None and seen[0]["logits_rows"] == 4
    assert seen[1]["use_cache"] is False and seen[1]["cache"] is None and seen[1]["logits_rows"] == 7


def test_checkpoint_is_loadable_by_transformers(tokenizer_dir, tmp_path):
    policy = make_policy(tokenizer_dir)
    folder = save_policy(policy, str(tmp_path))
    names = set(os.listdir(folder))
    assert {"model.safetensors", "config.json", "tokenizer.json"} <= names
    loaded = transformers.AutoModelForCausalLM.from_pretrained(folder)
    for (name, a), b in zip(policy.model.state_dict().items(), loaded.state_dict().values()):
        assert torch.equal(a, b), name
    saved = {k: v.clone() for k, v in policy.model.state_dict().items()}
    with torch.no_grad():
        for p in policy.model.parameters():
            p.add_(1.0)
    load_policy(policy, str(tmp_path))
    for k, v in policy.model.state_dict().items():
        assert torch.equal(v, saved[k]), k


def test_lora_adapters_are_fp32_and_saved_alone(tokenizer_dir, tmp_path):
    pytest.importorskip("peft")
    policy = make_policy(tokenizer_dir, dtype="bfloat16", lora={"r": 4, "alpha": 8, "dropout": 0.1})
    trainable = policy.trainable_parameters()
    assert trainable and all(p.dtype == torch.float32 for p in trainable)
    assert policy.reference() == "reference"
    dropouts = {name: m.p for name, m in policy.model.named_modules() if isinstance(m, torch.nn.Dropout)}
    # the base model's dropout is off, the adapters' is the run's lora.dropout
    assert dropouts and all(p == 0.1 and "lora_dropout" in name for name, p in dropouts.items())
    folder = save_policy(policy, str(tmp_path))
    assert "adapter_model.safetensors" in os.listdir(folder) and "model.safetensors" not in os.listdir(folder)


def lora_b_weights(policy):
    return [p for name, p in policy.model.named_parameters() if "lora_B" in name]


def test_lora_reference_is_the_base_model(tokenizer_dir):
    pytest.importorskip("peft")
    policy = make_policy(tokenizer_dir, lora={"r": 4, "alpha": 8, "dropout": 0.0})  # float32: exact
    ids = torch.tensor([[0, 11, 12, 13, 14, 15], [21, 22, 23, 24, 25, 26]])
    mask = (torch.arange(6) >= torch.tensor([[1], [0]])).long()
    with torch.no_grad():
        before = policy.completion_logits(ids, mask, 3)
        for p in lora_b_weights(policy):  # peft starts lora_B at zero: the adapters change nothing yet
            p.add_(0.5)
        policy_logits = policy.completion_logits(ids, mask, 3)
        reference = policy.completion_logits(ids, mask, 3, model="reference")
        after = policy.completion_logits(ids, mask, 3)  # adapters on again after the reference
    assert before.shape == (2, 3, policy.model.config.vocab_size)
    assert torch.equal(reference, before) and torch.equal(after, policy_logits)
    assert not torch.equal(policy_logits, reference)


def test_lora_reference_runs_under_bf16_autocast(tokenizer_dir):
    pytest.importorskip("peft")
    policy = make_policy(tokenizer_dir, dtype="bfloat16", lora={"r": 4, "alpha": 8, "dropout": 0.0})
    ids = torch.tensor([[0, 11, 12, 13, 14, 15]])
    with torch.no_grad():
        reference = policy.completion_logits(ids, (ids != 0).long(), 3, model="reference")
    assert reference.dtype == torch.bfloat16 and torch.isfinite(reference.float()).all()


def test_lora_checkpoint_round_trip_and_mismatch(tokenizer_dir, tmp_path):
    pytest.importorskip("peft")
    policy = make_policy(tokenizer_dir, lora={"r": 4, "alpha": 8, "dropout": 0.0})
    with torch.no_grad():
        for p in lora_b_weights(policy):
            p.add_(0.25)
    saved = [p.clone() for p in lora_b_weights(policy)]
    save_policy(policy, str(tmp_path))
    with torch.no_grad():
        for p in lora_b_weights(policy):
            p.zero_()
    load_policy(policy, str(tmp_path))
    assert all(torch.equal(a, b) for a, b in zip(lora_b_weights(policy), saved))
    only_q = {"r": 4, "alpha": 8, "dropout": 0.0, "target_modules": ["q_proj"]}
    other = make_policy(tokenizer_dir, lora=only_q)
    with pytest.raises(ValueError, match="LoRA adapters do not match"):
        load_policy(other, str(tmp_path))  # peft would load nothing of it, silently


def test_tokenizer_json_is_the_hf_format(tokenizer_dir, tmp_path):
    policy = make_policy(tokenizer_dir)
    write_tokenizer(policy.tokenizer, str(tmp_path), 512)
    with open(tmp_path / "tokenizer.json", encoding="utf-8") as f:
        data = json.load(f)
    assert data["model"]["type"] == "BPE" and data["decoder"]["type"] == "ByteLevel"
    with open(tmp_path / "tokenizer_config.json", encoding="utf-8") as f:
        config = json.load(f)
    assert config["eos_token"] == "<|endoftext|>" and config["model_max_length"] == 512


def test_two_grpo_steps_on_a_dataset_with_a_trl_reward(tokenizer_dir, tmp_path):
    size = len(transformers.AutoTokenizer.from_pretrained(tokenizer_dir))
    (tmp_path / "data.jsonl").write_text("".join(json.dumps(
        {"prompt": [{"role": "user", "content": f"What is {i}+1?"}], "solution": str(i + 1)}) + "\n"
        for i in range(4)))
    (tmp_path / "my_rewards.py").write_text("def length(completions, solution, **kwargs):\n"
                                            "    return [len(c[0]['content']) / 10 for c in completions]\n")
    config = tiny_config(model=hf_model_config(tokenizer_dir, vocab_size=size), warm_start={"steps": 0},
                         task={"name": "dataset", "path": "data.jsonl", "answer_field": "solution"},
                         rewards=[{"name": "length", "function": "my_rewards:length"}],
                         prompt_format="chat", system_prompt="Be brief.", max_steps=2, checkpoint_every=2,
                         max_completion_length=5)
    run = str(tmp_path / "run")
    result = run_cli(["--config", write_config(tmp_path / "c.grpo.json", config), "--run-dir", run],
                     timeout=300)
    assert result.returncode == 0, result.stderr
    samples = read_jsonl(os.path.join(run, "samples.jsonl"))
    assert samples[0]["prompt"].startswith("user: What is")
    assert os.path.isfile(os.path.join(run, "tokenizer.json"))
    checkpoint = os.path.join(run, "checkpoints", "step-000002")
    assert os.path.isfile(os.path.join(checkpoint, "policy", "model.safetensors")) or \
        os.path.isfile(os.path.join(checkpoint, "model.pt"))  # model.pt until checkpoint.py calls save_policy
    with open(os.path.join(run, "run.json"), encoding="utf-8") as f:
        logged = json.load(f)["config"]
    assert (logged["top_k"], logged["min_p"], logged["repetition_penalty"]) == (0, 0.0, 1.0)
