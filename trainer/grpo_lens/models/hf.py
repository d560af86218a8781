"""A Hugging Face causal LM as the policy (needs transformers; LoRA needs peft).

bf16 on CUDA by default.  Untested in this repository's CI, which has no GPU and no
transformers: only the missing-package error and the position ids logits() passes are
tested here.
"""
import importlib

import torch

from ..errors import MissingPackage
from . import position_ids_from_mask


def require(package, why):
    try:
        return importlib.import_module(package)
    except ImportError:
        raise MissingPackage(f"{why} needs the Python package '{package}', which is not installed "
                             f"(pip install {package})") from None


class HFTokenizer:
    """Adapts a transformers tokenizer to the interface the loop uses."""

    def __init__(self, tok):
        self.tok = tok
        if tok.pad_token_id is None:
            tok.pad_token = tok.eos_token
        self.pad_id, self.eos_id = tok.pad_token_id, tok.eos_token_id
        self.bos_id = tok.bos_token_id

    @property
    def vocab_size(self):
        return len(self.tok)

    def encode(self, text):
        return self.tok.encode(text, add_special_tokens=False)

    def decode(self, ids):
        ids = list(ids)
        if self.eos_id in ids:
            ids = ids[:ids.index(self.eos_id)]
        return self.tok.decode(ids, skip_special_tokens=True)

    def token_text(self, token_id):
        return self.tok.decode([token_id])


class HFPolicy:
    kind = "hf"

    def __init__(self, model_config, device):
        transformers = require("transformers", "model.type 'hf'")
        dtype = _dtype(model_config.get("dtype", "auto"), device)
        source = model_config.get("path")
        if source:
            model = transformers.AutoModelForCausalLM.from_pretrained(source, torch_dtype=dtype)
        else:
            cfg = dict(model_config["config"])
            hf_config = transformers.AutoConfig.for_model(cfg.pop("model_type"), **cfg)
            model = transformers.AutoModelForCausalLM.from_config(hf_config, torch_dtype=dtype)
        tok_source = model_config.get("tokenizer") or source
        self.tokenizer = HFTokenizer(transformers.AutoTokenizer.from_pretrained(tok_source))
        self.lora = "lora" in model_config
        if self.lora:
            model = _with_lora(model, model_config["lora"])
        self.model = model.to(device)
        self.device = device
        self.max_length = getattr(model.config, "max_position_embeddings", 4096)

    def encode_prompt(self, text):
        ids = self.tokenizer.encode(text)
        return ([self.tokenizer.bos_id] if self.tokenizer.bos_id is not None else []) + ids

    def logits(self, input_ids, attention_mask, position_ids, model=None):
        # left padding: positions start at 0 at each row's first real token, as in generate()
        if position_ids is None:
            position_ids = position_ids_from_mask(attention_mask)
        inputs = {"input_ids": input_ids, "attention_mask": attention_mask, "position_ids": position_ids}
        if model == "reference":
            with self.model.disable_adapter():
                return self.model(**inputs).logits.float()
        model = self.model if model is None else model
        return model(**inputs).logits.float()

    def generate(self, prompt_ids, prompt_mask, settings, generator):
        """Sample with transformers' generate; log-probs from a forward pass at temperature."""
        from ..grpo import token_logprobs
        torch.manual_seed(int(torch.randint(0, 2**62, (1,), generator=generator)))
        out = self.model.generate(input_ids=prompt_ids, attention_mask=prompt_mask, do_sample=True,
                                  temperature=settings["temperature"], top_p=settings["top_p"],
                                  max_new_tokens=settings["max_completion_length"],
                                  eos_token_id=self.tokenizer.eos_id, pad_token_id=self.tokenizer.pad_id)
        completion = out[:, prompt_ids.shape[1]:]
        is_eos = completion == self.tokenizer.eos_id
        after_eos = (is_eos.long().cumsum(1) - is_eos.long()) > 0
        mask = (~after_eos).long()
        full_mask = torch.cat([prompt_mask, mask], dim=1)
        with torch.no_grad():
            logits = self.logits(out, full_mask, None)[:, prompt_ids.shape[1] - 1:-1]
            logprobs = token_logprobs(logits, completion, settings["temperature"])
        return completion, mask, logprobs * mask

    def reference(self):
        if self.lora:
            return "reference"  # the base model: adapters disabled in logits()
        import copy
        ref = copy.deepcopy(self.model)
        ref.requires_grad_(False)
        return ref.eval()

    def trainable_parameters(self):
        return [p for p in self.model.parameters() if p.requires_grad]

    def state_dict(self):
        return self.model.state_dict()

    def load_state_dict(self, state):
        self.model.load_state_dict(state)


def _dtype(name, device):
    if name == "bfloat16" or (name == "auto" and str(device).startswith("cuda")):
        return torch.bfloat16
    return torch.float32


def _with_lora(model, lora):
    peft = require("peft", "model.lora")
    cfg = peft.LoraConfig(r=lora["r"], lora_alpha=lora["alpha"], lora_dropout=lora["dropout"],
                          target_modules=lora.get("target_modules"), task_type="CAUSAL_LM")
    return peft.get_peft_model(model, cfg)
