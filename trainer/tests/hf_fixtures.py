"""A Qwen2-architecture model and a byte-level BPE tokenizer built here, without a download:
for the Hugging Face tests (skipped where transformers does not import) and
bench/gpu_check.py (random weights at Qwen2.5 shapes)."""
import os

SPECIAL = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"]
# Qwen2.5's template, shortened: the system and user turns, then the assistant turn opened.
CHAT_TEMPLATE = ("{% for m in messages %}<|im_start|>{{ m['role'] }}\n{{ m['content'] }}<|im_end|>\n"
                 "{% endfor %}{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}")
CORPUS = ["What is 3+4? Think step by step inside <think></think>, then answer inside <answer></answer>.",
          "The answer is 7. <think>3 plus 4 is 7</think><answer>7</answer>",
          "Natalia sold clips to 48 of her friends in April, and then she sold half as many clips in May.",
          "Grüße aus Köln — 中文 テスト ✓"] * 20


def qwen2_config(vocab_size=512, hidden_size=64, layers=2, heads=4, kv_heads=2, intermediate=128, **extra):
    """A model.config for the trainer's "hf" model type (AutoConfig.for_model("qwen2", ...))."""
    return dict({"model_type": "qwen2", "vocab_size": vocab_size, "hidden_size": hidden_size,
                 "intermediate_size": intermediate, "num_hidden_layers": layers, "num_attention_heads": heads,
                 "num_key_value_heads": kv_heads, "max_position_embeddings": 512, "tie_word_embeddings": True,
                 "rope_theta": 10000.0}, **extra)


def build_tokenizer(folder, vocab_size=400):
    """Train a byte-level BPE (Qwen's kind: ByteLevel pre-tokenizer and decoder) on CORPUS and
    save it as a transformers tokenizer with the Qwen special tokens and a chat template."""
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast
    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(vocab_size=vocab_size, special_tokens=SPECIAL,
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet())
    tok.train_from_iterator(CORPUS, trainer=trainer)
    fast = PreTrainedTokenizerFast(tokenizer_object=tok, eos_token="<|endoftext|>", pad_token="<|endoftext|>")
    fast.chat_template = CHAT_TEMPLATE
    os.makedirs(folder, exist_ok=True)
    fast.save_pretrained(folder)
    return folder


def hf_model_config(tokenizer_dir, **config):
    return {"type": "hf", "config": qwen2_config(**config), "tokenizer": tokenizer_dir, "dtype": "float32"}
