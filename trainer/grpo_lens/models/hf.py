"""A Hugging Face causal LM as the policy (needs transformers; LoRA needs peft).

Weights are float32 master weights (AdamW on bf16 weights rounds small updates away) and
forward/backward run under torch.autocast(bfloat16) on CUDA ("dtype": "auto"); with LoRA
the frozen base is stored in bf16 and the adapters stay float32.  Sampling uses an explicit
GenerationConfig (models/sampling.py), every EOS id of the model and tokenizer ends a
completion, and dropout is off in the policy and the reference (as TRL's disable_dropout;
LoRA's adapters keep the lora.dropout of the config).  Written against the source of
transformers 4.46, 4.57, 5.0 and 5.15 and peft 0.20; tests/test_hf_policy.py runs it
wherever transformers imports (skipped elsewhere).
"""
import contextlib

import torch

from ..config import ConfigError
from ..tokenizer import HFTokenizer
from . import frozen_copy, position_ids_from_mask
from .hf_checkpoint import load_policy, save_policy  # noqa: F401 - checkpoint.py calls them from here
from .hf_parts import (as_models_generation_config, compute_dtype_of, disable_dropout,
                       logits_to_keep_argument, require, scoring_inputs, template_errors, with_lora)
from .prompts import chat_messages, prompt_text
from .sampling import generation_kwargs


class HFPolicy:
    kind = "hf"

    def __init__(self, model_config, device):
        transformers = require("transformers", "model.type 'hf'")
        self.compute_dtype = compute_dtype_of(model_config.get("dtype", "auto"), device)
        self.lora = "lora" in model_config
        source = model_config.get("path")
        if source:
            model = transformers.AutoModelForCausalLM.from_pretrained(source)
        else:
            cfg = dict(model_config["config"])
            model = transformers.AutoModelForCausalLM.from_config(
                transformers.AutoConfig.for_model(cfg.pop("model_type"), **cfg))
        # full fine-tuning keeps float32 weights; a LoRA base is frozen, so bf16 storage loses nothing
        model = model.to(self.compute_dtype if self.lora else torch.float32)
        tok_source = model_config.get("tokenizer") or source
        self.hf_tokenizer = transformers.AutoTokenizer.from_pretrained(tok_source)
        generation_eos = getattr(getattr(model, "generation_config", None), "eos_token_id", None)
        self.tokenizer = HFTokenizer(self.hf_tokenizer, [generation_eos])
        disable_dropout(model)  # before LoRA: the adapters keep the lora.dropout the run asked for
        if self.lora:
            model = with_lora(model, model_config["lora"])
        self.model = model.to(device)
        self.model.train()  # explicit: from_pretrained returns a model in eval mode
        self.device = device
        self.max_length = getattr(model.config, "max_position_embeddings", 4096)
        self.gradient_checkpointing = False

    # ---- prompts ----

    def encode_prompt(self, text, settings=None):
        """Prompt ids: the chat template applied for prompt_format "chat" (its special tokens
        included), else BOS (when the tokenizer has one) and the text."""
        settings = settings or {}
        self.use_settings(settings)
        if settings.get("prompt_format", "plain") == "chat":
            messages = chat_messages(text, settings.get("system_prompt"))
            try:  # tokenize=False: the text (a str in transformers 4 and 5), tokenized below
                rendered = self.hf_tokenizer.apply_chat_template(messages, tokenize=False,
                                                                 add_generation_prompt=True)
            except ValueError as e:  # transformers: no chat template
                raise ConfigError(f'config error: prompt_format: "chat" needs a chat template, and this '
                                  f'tokenizer has none ({e}); use "plain"') from None
            except template_errors() as e:  # the template's own raise_exception (Gemma: no system role)
                raise ConfigError(f'config error: prompt_format: "chat": the tokenizer\'s chat template '
                                  f'rejected the messages ({e})') from None
            return self.tokenizer.encode(rendered)
        ids = self.tokenizer.encode(prompt_text(text))
        return ([self.tokenizer.bos_id] if self.tokenizer.bos_id is not None else []) + ids

    def use_settings(self, settings):
        if settings.get("gradient_checkpointing") and not self.gradient_checkpointing:
            self.enable_gradient_checkpointing()

    def enable_gradient_checkpointing(self):
        """Recompute activations in backward (transformers' own checkpointing, non-reentrant so
        that LoRA needs no input gradients)."""
        self.model.gradient_checkpointing_enable(gradient_checkpointing_kwargs={"use_reentrant": False})
        self.causal_lm().config.use_cache = False  # training forward; generate() passes use_cache
        self.gradient_checkpointing = True

    # ---- forward ----

    def autocast(self):
        if self.compute_dtype == torch.float32:
            return contextlib.nullcontext()
        return torch.autocast(device_type=torch.device(self.device).type, dtype=self.compute_dtype)

    def causal_lm(self, model=None):
        """The transformers model itself (inside a peft wrapper for LoRA)."""
        model = self.model if model in (None, "reference") else model
        return model.get_base_model() if hasattr(model, "get_base_model") else model

    def _forward(self, model, inputs, decoder_only=False):
        target = self.causal_lm(model).get_decoder() if decoder_only else (
            self.model if model in (None, "reference") else model)
        adapters_off = self.model.disable_adapter() if model == "reference" else contextlib.nullcontext()
        with self.autocast(), adapters_off:
            return target(**inputs)

    def logits(self, input_ids, attention_mask, position_ids, model=None):
        """Full [N, T, V] float32 logits (left padding: positions from the mask, as generate())."""
        if position_ids is None:
            position_ids = position_ids_from_mask(attention_mask)
        return self._forward(model, scoring_inputs(input_ids, attention_mask, position_ids)).logits.float()

    def completion_logits(self, input_ids, attention_mask, logits_to_keep, model=None):
        """[N, K, V] logits scoring the last K = logits_to_keep tokens, in the compute dtype
        (bf16 under autocast: upcast per chunk).  Only K + 1 rows go through the LM head
        (transformers >= 4.49: logits_to_keep; 4.45 to 4.48: num_logits_to_keep)."""
        inputs = scoring_inputs(input_ids, attention_mask, position_ids_from_mask(attention_mask))
        keep_argument = logits_to_keep_argument(self.causal_lm(model).forward)
        if keep_argument:
            inputs[keep_argument] = logits_to_keep + 1
        return self._forward(model, inputs).logits[:, -logits_to_keep - 1:-1]

    def completion_hidden(self, input_ids, attention_mask, logits_to_keep, model=None):
        """(hidden [N, K, H], lm_head) so that lm_head(hidden) are completion_logits' logits;
        for a chunked log-softmax that never builds [N, K, V].  Models whose logits are more
        than a linear head (Gemma's soft-capping, Cohere's logit_scale) raise ValueError."""
        lm = self.causal_lm(model)
        if getattr(lm.config, "final_logit_softcapping", None) or getattr(lm.config, "logit_scale", None):
            raise ValueError(f"{lm.config.model_type}: its logits are not lm_head(hidden); "
                             f"use completion_logits")
        inputs = scoring_inputs(input_ids, attention_mask, position_ids_from_mask(attention_mask))
        hidden = self._forward(model, inputs, decoder_only=True).last_hidden_state
        return hidden[:, -logits_to_keep - 1:-1], lm.get_output_embeddings()

    # ---- sampling ----

    def generate(self, prompt_ids, prompt_mask, settings, generator):
        """Sample with transformers' generate under an explicit GenerationConfig; log-probs at
        temperature from a forward pass over the completions (row chunks bound its memory)."""
        from ..logprobs import selective_log_softmax
        from ..rollout import eos_mask
        transformers = require("transformers", "model.type 'hf'")
        self.use_settings(settings)
        tok = self.tokenizer
        kwargs = generation_kwargs(settings, tok.pad_id, tok.bos_id, tok.eos_ids)
        config = transformers.GenerationConfig(**kwargs)
        torch.manual_seed(int(torch.randint(0, 2**62, (1,), generator=generator)))
        with torch.no_grad(), as_models_generation_config(self.causal_lm(), config), self.autocast():
            out = self.model.generate(input_ids=prompt_ids, attention_mask=prompt_mask,
                                      generation_config=config)
        completion = out[:, prompt_ids.shape[1]:]
        mask, _ = eos_mask(completion, tok.eos_ids)
        full_mask = torch.cat([prompt_mask, mask.to(prompt_mask.dtype)], dim=1)
        rows = int(settings.get("per_device_batch_size") or out.shape[0])
        logprobs = []
        with torch.no_grad():
            for i in range(0, out.shape[0], rows):
                part = slice(i, i + rows)
                logits = self.completion_logits(out[part], full_mask[part], completion.shape[1])
                # chunked: never a [rows, T, V] float32 copy of the bf16 logits
                logprobs.append(selective_log_softmax(logits, completion[part], settings["temperature"]))
        return completion, mask, torch.cat(logprobs) * mask

    # ---- training parts ----

    def reference(self):
        if self.lora:
            return "reference"  # the base model: adapters disabled in _forward()
        ref = frozen_copy(self.model)  # float32 like the policy, so the KL starts at exactly 0
        disable_dropout(ref)
        return ref

    def trainable_parameters(self):
        return [p for p in self.model.parameters() if p.requires_grad]

    def state_dict(self):
        return self.model.state_dict()

    def load_state_dict(self, state):
        self.model.load_state_dict(state)
