// Which charts the dashboard draws for the metrics a run logs. Known GRPO metrics go
// to fixed charts (TRL's names); any other metric is shown too, grouped by its prefix.
// Pure.

export interface SeriesSpec {
  name: string;
  label: string;
  /** 'y2' puts the series on a right-hand axis (a different unit, e.g. beta next to KL). */
  scale?: 'y' | 'y2';
  /** Draw a mean ± std band from this std metric. */
  bandStd?: string;
  /** A fixed colour (compare: the run's), instead of the theme palette's. */
  color?: string;
}

export interface ChartSpec {
  id: string;
  title: string;
  series: SeriesSpec[];
}

interface Rule {
  id: string;
  title: string;
  match: (name: string) => boolean;
  spec: (name: string) => SeriesSpec;
}

const exact =
  (...names: string[]) =>
  (n: string) =>
    names.includes(n);
const prefix = (p: string) => (n: string) => n.startsWith(p);
const plain = (label?: (n: string) => string) => (name: string) => ({
  name,
  label: label ? label(name) : name,
});

const RULES: Rule[] = [
  {
    id: 'reward',
    title: 'Reward (mean ± std)',
    match: (n) => n === 'reward' || /^rewards\/.+\/mean$/.test(n),
    spec: (n) =>
      n === 'reward'
        ? { name: n, label: 'reward', bandStd: 'reward_std' }
        : { name: n, label: n.slice('rewards/'.length, -'/mean'.length) },
  },
  {
    id: 'kl',
    title: 'KL and beta',
    match: exact('kl', 'beta'),
    spec: (n) => ({ name: n, label: n, scale: n === 'beta' ? 'y2' : 'y' }),
  },
  { id: 'loss', title: 'Loss', match: exact('loss'), spec: plain() },
  {
    id: 'clip',
    title: 'Clip ratios',
    match: prefix('clip_ratio/'),
    spec: plain((n) => n.slice('clip_ratio/'.length).replace(/_mean$/, '')),
  },
  { id: 'entropy', title: 'Entropy', match: exact('entropy'), spec: plain() },
  {
    // PPO's critic (GRPO has none): how well it predicts the returns
    id: 'value',
    title: 'Value (PPO critic)',
    match: exact('value_loss', 'explained_variance', 'value_clip_ratio'),
    spec: (n) => ({ name: n, label: n, scale: n === 'value_loss' ? 'y' : 'y2' }),
  },
  {
    id: 'length',
    title: 'Completion length',
    match: prefix('completions/'),
    spec: (n) => ({
      name: n,
      label: n.slice('completions/'.length),
      scale: n === 'completions/clipped_ratio' ? 'y2' : 'y',
    }),
  },
  {
    id: 'zero-std',
    title: 'Groups with zero reward std',
    match: exact('frac_reward_zero_std'),
    spec: plain(),
  },
  {
    id: 'grad',
    title: 'Grad norm and learning rate',
    match: exact('grad_norm', 'lr'),
    spec: (n) => ({ name: n, label: n, scale: n === 'lr' ? 'y2' : 'y' }),
  },
  {
    id: 'timing',
    title: 'Timing (s)',
    match: prefix('timing/'),
    spec: plain((n) => n.slice('timing/'.length).replace(/_s$/, '')),
  },
  { id: 'throughput', title: 'Tokens per second', match: exact('tokens_per_s'), spec: plain() },
];

/** Metrics that are drawn as part of another series (bands), or are not metrics. */
function hidden(name: string): boolean {
  return name === 'step' || name === 'time' || name === 'reward_std' || /^rewards\/.+\/std$/.test(name);
}

export function chartSpecs(metricNames: Iterable<string>): ChartSpec[] {
  const names = [...new Set(metricNames)].filter((n) => !hidden(n)).sort();
  const known: ChartSpec[] = RULES.map((r) => ({ id: r.id, title: r.title, series: [] }));
  const unknown = new Map<string, ChartSpec>();
  for (const name of names) {
    const i = RULES.findIndex((r) => r.match(name));
    if (i >= 0) {
      known[i].series.push(RULES[i].spec(name));
      continue;
    }
    const slash = name.indexOf('/');
    const group = slash > 0 ? name.slice(0, slash) : name;
    const spec = unknown.get(group) ?? { id: `other:${group}`, title: group, series: [] };
    spec.series.push({ name, label: slash > 0 ? name.slice(slash + 1) : name });
    unknown.set(group, spec);
  }
  for (const spec of known) {
    // the headline series first (reward before its components), right-axis series last
    const rank = (x: SeriesSpec) => (x.bandStd ? 0 : x.scale === 'y2' ? 2 : 1);
    spec.series.sort((a, b) => rank(a) - rank(b));
  }
  return [...known.filter((s) => s.series.length > 0), ...unknown.values()];
}
