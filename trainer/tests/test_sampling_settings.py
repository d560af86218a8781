"""Sampling settings, EOS ids, prompt truncation and chat prompts: the pure helpers of the
Hugging Face path (no transformers needed), and the tiny model's sampler honouring the same
top_k / top_p / min_p cuts."""
import math

import torch

from grpo_lens.models import TinyPolicy
from grpo_lens.models.hf import disable_dropout
from grpo_lens.models.prompts import chat_messages
from grpo_lens.models.sampling import filter_probs, generation_kwargs
from grpo_lens.rollout import eos_mask, keep_prompt_tail, rollout
from grpo_lens.tasks import PromptText
from grpo_lens.tokenizer import byte_level_text, eos_id_list

SETTINGS = {"max_completion_length": 8, "temperature": 0.7, "top_p": 0.9, "top_k": 0, "min_p": 0.0,
            "repetition_penalty": 1.0, "num_generations": 4}


def test_generation_kwargs_switch_off_what_was_not_asked_for():
    kw = generation_kwargs(SETTINGS, pad_id=0, bos_id=None, eos_ids=[151643, 151645])
    assert kw["do_sample"] is True and kw["max_new_tokens"] == 8 and kw["num_beams"] == 1
    assert kw["temperature"] == 0.7 and kw["top_p"] == 0.9
    assert kw["top_k"] == 0 and kw["min_p"] is None and kw["repetition_penalty"] == 1.0  # off, not inherited
    assert kw["eos_token_id"] == [151643, 151645] and kw["pad_token_id"] == 0
    asked = generation_kwargs(dict(SETTINGS, top_k=20, min_p=0.05, repetition_penalty=1.05), 0, 1, [2])
    assert (asked["top_k"], asked["min_p"], asked["repetition_penalty"]) == (20, 0.05, 1.05)


def test_every_eos_id_once():
    assert eos_id_list([151645, 151643], 151643, None) == [151643, 151645]
    assert eos_id_list(None, 2) == [2] and eos_id_list() == []


def test_eos_mask_stops_at_any_eos():
    ids = torch.tensor([[5, 7, 9, 9], [5, 8, 1, 1], [5, 6, 6, 6]])
    mask, truncated = eos_mask(ids, [7, 8])
    assert mask.tolist() == [[1, 1, 0, 0], [1, 1, 0, 0], [1, 1, 1, 1]]
    assert truncated == [False, False, True]


def test_truncation_keeps_bos():
    assert keep_prompt_tail([1, 10, 11, 12, 13], 3, bos_id=1) == [1, 12, 13]
    assert keep_prompt_tail([10, 11, 12, 13], 3, bos_id=1) == [11, 12, 13]  # no BOS to keep
    assert keep_prompt_tail([1, 10, 11], 3, bos_id=1) == [1, 10, 11]
    assert keep_prompt_tail([10, 11, 12], 2, bos_id=None) == [11, 12]


def test_tiny_rollout_keeps_bos_on_a_long_prompt():
    policy = TinyPolicy({"n_layer": 1, "n_head": 2, "n_embd": 16, "block_size": 16}, "cpu")
    out = rollout(policy, ["x" * 40], dict(SETTINGS, max_completion_length=4, num_generations=2),
                  torch.Generator().manual_seed(0))
    assert out.prompt_ids.shape[1] == 12 and out.prompt_ids[:, 0].tolist() == [1, 1]


def reference_filter(p, top_k, top_p, min_p):
    """transformers' order, written plainly in float64: top-k, renormalise, top-p, min-p."""
    p = [float(x) for x in p]
    order = sorted(range(len(p)), key=lambda i: -p[i])
    keep = set(order[:top_k]) if top_k else set(order)
    total = sum(p[i] for i in keep)
    mass, kept = 0.0, set()
    for i in order:
        if i in keep and mass < top_p:
            kept.add(i)
            mass += p[i] / total
    best = max(p[i] for i in kept)
    return [p[i] if i in kept and p[i] >= min_p * best else 0.0 for i in range(len(p))]


def test_filter_probs_against_a_plain_reference():
    g = torch.Generator().manual_seed(3)
    for top_k, top_p, min_p in [(0, 1.0, 0.0), (3, 1.0, 0.0), (0, 0.8, 0.0), (0, 1.0, 0.2), (4, 0.7, 0.1)]:
        probs = torch.softmax(torch.randn(5, 12, generator=g, dtype=torch.float64), dim=-1)
        got = filter_probs(probs, top_k, top_p, min_p)
        kept = (got > 0).tolist()
        want = [[x > 0 for x in reference_filter(row, top_k, top_p, min_p)] for row in probs.tolist()]
        assert kept == want, (top_k, top_p, min_p)


def test_tiny_sampler_honours_top_k():
    torch.manual_seed(0)
    policy = TinyPolicy({"n_layer": 1, "n_head": 2, "n_embd": 16, "block_size": 32}, "cpu")
    settings = dict(SETTINGS, temperature=1.0, top_p=1.0, top_k=1, max_completion_length=1,
                    num_generations=16)
    out = rollout(policy, ["3+4="], settings, torch.Generator().manual_seed(1))
    with torch.no_grad():
        logits = policy.logits(out.prompt_ids[:1], out.prompt_mask[:1], None)[0, -1]
    assert set(out.completion_ids[:, 0].tolist()) == {int(logits.argmax())}  # top_k 1 is greedy
    # the kept log-prob is of the untruncated softmax(logits / T), the loss's distribution
    best = float(torch.log_softmax(logits, -1).max())
    assert math.isclose(float(out.sample_logprobs[0, 0]), best, rel_tol=1e-5)


def test_chat_messages():
    assert chat_messages("2+2?", "Be brief.") == [{"role": "system", "content": "Be brief."},
                                                  {"role": "user", "content": "2+2?"}]
    own = PromptText("x", messages=[{"role": "system", "content": "S"}, {"role": "user", "content": "q"}])
    assert chat_messages(own, "Be brief.")[0] == {"role": "system", "content": "S"}  # its own system wins


def test_byte_level_tokens_show_their_bytes():
    assert byte_level_text("Ġhello") == " hello"
    assert byte_level_text("ä¸Ń") == "\u4e2d"
    assert byte_level_text("ä¸") == "\\xe4\\xb8"  # half of a character: bytes, not U+FFFD
    assert byte_level_text("\u4e2d") is None  # not a byte-level piece


def test_disable_dropout():
    model = torch.nn.Sequential(torch.nn.Linear(2, 2), torch.nn.Dropout(0.3))
    model[0].attention_dropout = 0.1
    disable_dropout(model)
    assert model[1].p == 0.0 and model[0].attention_dropout == 0.0
