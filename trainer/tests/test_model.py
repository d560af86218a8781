import torch

from grpo_lens.models import TinyPolicy, pad_left, position_ids_from_mask
from grpo_lens.models.tiny_gpt import TinyGPT
from grpo_lens.rollout import rollout, top_p_filter
from grpo_lens.step import _forward_logprobs
from grpo_lens.tokenizer import CharTokenizer

MODEL = {"type": "tiny", "n_layer": 2, "n_head": 2, "n_embd": 16, "block_size": 32}


def test_tokenizer_json_and_roundtrip():
    tok = CharTokenizer()
    d = tok.to_json_dict()
    assert d["type"] == "char" and d["vocab"][d["eos_id"]] == "<eos>" and d["vocab"][d["pad_id"]] == "<pad>"
    assert tok.decode(tok.encode("12+3=15\n") + [tok.eos_id, 40]) == "12+3=15\n"


def test_forward_without_cache_args():
    torch.manual_seed(0)
    model = TinyGPT(CharTokenizer().vocab_size, 1, 2, 16, 32)
    logits = model(torch.randint(3, 50, (3, 7)))
    assert logits.shape == (3, 7, CharTokenizer().vocab_size)


def test_cache_matches_full_forward_with_left_padding():
    torch.manual_seed(0)
    model = TinyGPT(CharTokenizer().vocab_size, 2, 2, 16, 32).eval()
    ids, mask = pad_left([[1, 5, 6, 7], [1, 9]], 0, "cpu")
    pos = position_ids_from_mask(mask)
    full = model(ids, mask, pos)
    step_logits, past = model.forward_with_cache(ids[:, :3], mask[:, :3], pos[:, :3])
    last, _ = model.forward_with_cache(ids[:, 3:], mask, pos[:, 3:], past)
    real = mask[:, :3].bool()  # rows of padding are never read; compare real tokens only
    assert torch.allclose(full[:, :3][real], step_logits[real], atol=1e-5)
    assert torch.allclose(full[:, 3], last[:, 0], atol=1e-5)
    # the short prompt, padded, gives the same logits as alone
    alone = model(torch.tensor([[1, 9]]))
    assert torch.allclose(full[1, -1], alone[0, -1], atol=1e-5)


def test_top_p_filter():
    p = torch.tensor([[0.5, 0.3, 0.15, 0.05]])
    assert torch.allclose(top_p_filter(p, 0.7), torch.tensor([[0.5, 0.3, 0.0, 0.0]]))
    assert top_p_filter(p, 1.0) is p


def test_rollout_shapes_eos_and_logprobs():
    torch.manual_seed(0)
    policy = TinyPolicy(MODEL, torch.device("cpu"))
    with torch.no_grad():  # make EOS likely so that some completions stop early
        policy.model.lm_head.weight[policy.tokenizer.eos_id] += 0.5 * policy.model.ln_f.weight.sign()
    settings = {"num_generations": 3, "max_completion_length": 6, "temperature": 0.8, "top_p": 0.95}
    out = rollout(policy, ["1+2=", "10+20="], settings, torch.Generator().manual_seed(0))
    assert out.completion_ids.shape[0] == 6 and out.completion_ids.shape[1] <= 6
    eos = policy.tokenizer.eos_id
    for row, mask, truncated in zip(out.completion_ids.tolist(), out.completion_mask.tolist(), out.truncated):
        n = sum(mask)
        assert truncated == (eos not in row)
        if not truncated:
            assert row.index(eos) == n - 1
    batch = (torch.cat([out.prompt_ids, out.completion_ids], 1),
             torch.cat([out.prompt_mask, out.completion_mask], 1),
             out.prompt_ids.shape[1], out.completion_ids)

    class T:
        config = {"temperature": 0.8}
    T.policy = policy
    with torch.no_grad():
        logp, _ = _forward_logprobs(T, None, batch)
    mask = out.completion_mask.float()
    assert torch.allclose(logp * mask, out.sample_logprobs, atol=1e-4)
