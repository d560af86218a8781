// The configs "New Config from Template…" offers: every common option with a comment
// that says what it does. Each one must pass the trainer's schema (a unit test checks).

/**
 * The CPU demo (as trainer/configs/reasoning-demo.grpo.json, what npm run demo trains): the
 * built-in tiny GPT learns two-digit sums, working each out in a <think> scratchpad first.
 */
export const STARTER_CONFIG = `{
  // A GRPO run. Start it with "GRPO: Start Run". Options follow TRL's GRPOConfig names.
  // The tiny model learns two-digit sums, working each out before it answers:
  // "47+35=" -> "<think>7+5=12 carry 1, 4+3+1=8</think><answer>82</answer>".
  "name": "my-run",
  "seed": 0,
  "device": "auto", // auto uses CUDA when available, else the CPU

  // The policy: the built-in tiny GPT, or {"type": "hf", "path": "<model>"} with transformers.
  "model": {"type": "tiny", "n_layer": 2, "n_head": 4, "n_embd": 64, "block_size": 72},

  // Prompts and their reference answers. slip_rate: the warm start's worked examples come
  // from a careless teacher (60% end with the answer's last digit miscopied), so that the
  // model starts imperfect and GRPO has something to teach; the rewards check the true sum.
  "task": {"name": "scratchpad_addition", "slip_rate": 0.6},

  // The reward of a completion is the weighted sum of these components. Your own:
  // {"name": "mine", "function": "my_rewards:score", "weight": 1.0} (a module next to this file).
  "rewards": [
    {"name": "accuracy", "weight": 1.0}, // the answer
    {"name": "format", "weight": 0.2}, // the <think> and <answer> tags
    {"name": "scratchpad", "weight": 0.5} // the steps in the scratchpad
  ],
  // A reward value that is NaN, infinite or not a number stops the run ("fail"), or counts as
  // not applicable ("skip", as TRL treats None); a call that takes longer than this times out.
  "invalid_reward": "fail",
  "reward_timeout_s": 60,

  // A short supervised warm start, its own phase in metrics.jsonl, before the GRPO steps.
  "warm_start": {"steps": 250, "batch_size": 32, "learning_rate": 0.003},

  "num_generations": 8, // G: completions sampled per prompt
  "prompts_per_step": 8,
  "max_completion_length": 64,
  "temperature": 1.0,
  "top_p": 1.0,

  "beta": 0.02, // weight of the KL to the reference model (0 loads no reference)
  "epsilon": 0.2, // clip range of the ratio
  "loss_type": "grpo", // grpo, bnpo, dapo, dr_grpo or cispo
  "scale_rewards": "group", // group, batch or none (Dr. GRPO)
  "num_iterations": 1,
  "learning_rate": 0.0005,

  "max_steps": 200, // about 5 minutes on 2 CPU cores
  "checkpoint_every": 50,
  "save_total_limit": 2,
  // Token details (log-probs, entropy, the reference's log-prob) for Inspect Completion.
  "log_token_details": true,
  "samples_max_tokens": 64
}
`;

/** A small Hugging Face model on a GPU: bf16, LoRA adapters, GSM8K-style questions. */
export const HF_GPU_CONFIG = `{
  // A GRPO run of a Hugging Face model (needs transformers; LoRA needs peft).
  // Start it with "GRPO: Start Run". Options follow TRL's GRPOConfig names.
  "name": "my-run",
  "seed": 0,
  "device": "cuda", // auto would fall back to the CPU, far too slow for this model

  "model": {
    "type": "hf",
    "path": "Qwen/Qwen2.5-0.5B-Instruct", // a model name for from_pretrained, or a local folder
    "dtype": "bfloat16", // auto is bfloat16 on CUDA too; float32 doubles the memory
    // Train LoRA adapters instead of all weights; the reference is the base model with
    // adapters disabled. Remove "lora" to train every weight.
    "lora": {"r": 16, "alpha": 32, "dropout": 0.05}
  },

  // GSM8K-format questions; "path" (a JSONL file, relative to this config) defaults to
  // the shipped sample. instruct asks for <think> and <answer> tags.
  "task": {"name": "gsm8k", "prompt_style": "instruct"},

  // The reward of a completion is the weighted sum of these components.
  "rewards": [
    {"name": "accuracy", "weight": 1.0},
    {"name": "format", "weight": 0.2}
  ],

  "num_generations": 8, // G: completions sampled per prompt
  "prompts_per_step": 2,
  "max_completion_length": 256,
  "temperature": 0.9,

  "beta": 0.04, // weight of the KL to the reference model (0 loads no reference)
  "epsilon": 0.2, // clip range of the ratio
  "loss_type": "dapo", // grpo, bnpo, dapo or dr_grpo
  "scale_rewards": "group", // group, batch or none (Dr. GRPO)
  "num_iterations": 1,
  "learning_rate": 0.00001,
  "max_grad_norm": 1.0,

  "max_steps": 200,
  "checkpoint_every": 50,
  "save_total_limit": 2,
  "export_onnx": "auto" // ONNX export for token inspection: up to 0.6B parameters
}
`;

export interface ConfigTemplate {
  id: 'cpu-demo' | 'hf-gpu';
  label: string;
  detail: string;
  text: string;
}

export const CONFIG_TEMPLATES: readonly ConfigTemplate[] = [
  {
    id: 'cpu-demo',
    label: 'CPU demo',
    detail:
      'The built-in tiny model learns two-digit sums with a scratchpad in about 5 minutes, no GPU needed.',
    text: STARTER_CONFIG,
  },
  {
    id: 'hf-gpu',
    label: 'Hugging Face model on a GPU',
    detail: 'Qwen2.5-0.5B-Instruct on GSM8K questions, bf16, LoRA adapters (needs transformers and peft).',
    text: HF_GPU_CONFIG,
  },
];
