// Where each trainer keeps the config values the runs table shows, in one place.
// RunSummary.config is what each source read: our run.json's resolved config
// (trainer/grpo_lens/config.schema.json), TRL's GRPOConfig (TrainingArguments.to_dict(),
// from the event files' "args" text or Trackio's configs table, which also holds the
// model's config), verl's Hydra config (nested, or flattened with dots) and OpenRLHF's
// argparse names. The first path that holds a value wins. Pure.
import type { CellValue } from '../contract/messages';

export interface ConfigKey {
  /** Column id after `config:`; also the word the filter box accepts. */
  key: string;
  label: string;
  /** Paths into the config, dotted for nesting, in the order they are tried. */
  paths: string[];
  /** Turns what was found into one cell (reward weights, a model described by parts). */
  format?: (value: unknown, config: Record<string, unknown>) => CellValue;
}

export const CONFIG_KEYS: ConfigKey[] = [
  {
    key: 'model',
    label: 'model',
    paths: [
      'model.path', // ours, hf
      'model_name_or_path', // TRL scripts' ModelConfig
      '_name_or_path', // Trackio: the model's config merged in
      'actor_rollout_ref.model.path', // verl
      'pretrain', // OpenRLHF
      'model.type', // ours, tiny
    ],
    format: modelName,
  },
  {
    key: 'task',
    label: 'task',
    paths: ['task.name', 'dataset_name', 'data.train_files', 'prompt_data'],
    format: taskName,
  },
  {
    key: 'learning_rate',
    label: 'lr',
    paths: ['learning_rate', 'actor_rollout_ref.actor.optim.lr', 'actor_learning_rate'],
  },
  {
    key: 'beta',
    label: 'beta',
    paths: ['beta', 'actor_rollout_ref.actor.kl_loss_coef', 'algorithm.kl_ctrl.kl_coef', 'init_kl_coef'],
  },
  {
    key: 'num_generations',
    label: 'G',
    paths: ['num_generations', 'actor_rollout_ref.rollout.n', 'n_samples_per_prompt'],
  },
  { key: 'loss_type', label: 'loss', paths: ['loss_type', 'actor_rollout_ref.actor.loss_agg_mode'] },
  { key: 'epsilon', label: 'epsilon', paths: ['epsilon', 'actor_rollout_ref.actor.clip_ratio', 'eps_clip'] },
  {
    key: 'reward_weights',
    label: 'reward weights',
    paths: ['rewards', 'reward_weights', 'reward_funcs'],
    format: rewardWeights,
  },
];

/** The value at a dotted path: nested objects, or a flat key that holds the dots itself. */
export function valueAt(config: Record<string, unknown>, dotted: string): unknown {
  if (dotted in config) return config[dotted];
  let here: unknown = config;
  for (const part of dotted.split('.')) {
    if (here === null || typeof here !== 'object' || Array.isArray(here)) return undefined;
    here = (here as Record<string, unknown>)[part];
  }
  return here;
}

/** Any value as one cell: numbers stay numbers (they sort as numbers), the rest as short text. */
export function cellOf(value: unknown): CellValue {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return String(value);
  const text = JSON.stringify(value);
  return text.length > 200 ? `${text.slice(0, 199)}…` : text;
}

/** One config cell: a known key by its paths, or any other dotted path the user added. */
export function configCell(config: Record<string, unknown> | undefined, key: string): CellValue {
  if (!config) return undefined;
  const known = CONFIG_KEYS.find((k) => k.key === key);
  for (const p of known?.paths ?? [key]) {
    const value = valueAt(config, p);
    if (value !== undefined && value !== null)
      return known?.format ? known.format(value, config) : cellOf(value);
  }
  return undefined;
}

function modelName(value: unknown, config: Record<string, unknown>): CellValue {
  if (value !== 'tiny') return cellOf(value);
  // Our built-in model: its size is what tells two runs apart.
  const layers = valueAt(config, 'model.n_layer');
  const width = valueAt(config, 'model.n_embd');
  return layers !== undefined && width !== undefined ? `tiny ${layers}×${width}` : 'tiny';
}

function taskName(value: unknown, config: Record<string, unknown>): CellValue {
  const difficulty = valueAt(config, 'task.difficulty');
  if (value === 'arithmetic' && typeof difficulty === 'string') return `arithmetic (${difficulty})`;
  return Array.isArray(value) ? value.map(String).join(', ') : cellOf(value);
}

/** Ours: [{name, weight}] → "accuracy×1, format×0.5"; TRL: reward_weights [1, 0.5] (names live in metrics). */
function rewardWeights(value: unknown, config: Record<string, unknown>): CellValue {
  if (!Array.isArray(value)) return cellOf(value);
  const names = Array.isArray(config.reward_funcs) ? (config.reward_funcs as unknown[]) : [];
  const parts = value.map((entry, i) => {
    if (entry && typeof entry === 'object') {
      const { name, weight } = entry as { name?: unknown; weight?: unknown };
      return `${String(name)}×${typeof weight === 'number' ? weight : 1}`;
    }
    if (typeof entry === 'number' && typeof names[i] === 'string') return `${names[i] as string}×${entry}`;
    return String(entry);
  });
  return parts.join(', ');
}
