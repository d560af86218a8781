// The starter config "New Config from Template…" writes: every common option with
// a comment that says what it does.
export const STARTER_CONFIG = `{
  // A GRPO run. Start it with "GRPO: Start Run". Options follow TRL's GRPOConfig names.
  "name": "my-run",
  "seed": 0,
  "device": "auto", // auto uses CUDA when available, else the CPU

  // The policy: the built-in tiny GPT, or {"type": "hf", "path": "<model>"} with transformers.
  "model": {"type": "tiny", "n_layer": 2, "n_head": 2, "n_embd": 64, "block_size": 48},

  // Prompts and their reference answers.
  "task": {"name": "arithmetic", "difficulty": "easy"},

  // The reward of a completion is the weighted sum of these components.
  "rewards": [
    {"name": "accuracy", "weight": 1.0},
    {"name": "format", "weight": 0.1}
  ],

  // A short supervised warm start so that the tiny model produces answers to reward.
  "warm_start": {"steps": 40, "batch_size": 16, "learning_rate": 0.003},

  "num_generations": 8, // G: completions sampled per prompt
  "prompts_per_step": 4,
  "max_completion_length": 8,
  "temperature": 1.0,

  "beta": 0.04, // weight of the KL to the reference model (0 loads no reference)
  "epsilon": 0.2, // clip range of the ratio
  "loss_type": "grpo", // grpo, bnpo, dapo or dr_grpo
  "scale_rewards": "group", // group, batch or none (Dr. GRPO)
  "num_iterations": 1,
  "learning_rate": 0.001,

  "max_steps": 300,
  "checkpoint_every": 50,
  "save_total_limit": 3
}
`;
