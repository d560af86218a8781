// The runs table's model: config keys of every source, summary metrics over supersession,
// sort, filter, group, pin, and the config columns that differ.
import * as assert from 'assert';
import type { RunsTableRow } from '../../../src/contract/messages';
import type { Finding, FindingId } from '../../../src/doctor/finding';
import type { MetricRow, RunSummary } from '../../../src/runs/model';
import {
  availableColumns,
  cellValue,
  defaultColumns,
  differingConfigKeys,
  shownColumns,
} from '../../../src/runsTable/columns';
import { configCell } from '../../../src/runsTable/configKeys';
import { parseQuery } from '../../../src/runsTable/query';
import { tableRow } from '../../../src/runsTable/rows';
import { RunStats, TAIL } from '../../../src/runsTable/stats';
import { RunStatsCache } from '../../../src/runsTable/statsCache';
import { arrangeRows, filterRows, sortRows, tagPrefixes } from '../../../src/runsTable/view';

function summary(id: string, patch: Partial<RunSummary> = {}): RunSummary {
  return {
    id,
    dir: id,
    name: id,
    source: 'grpo-lens',
    sourceLabel: 'GRPO Lens',
    capabilities: { control: true, tokenDetails: true, resume: true },
    problems: [],
    state: 'finished',
    step: 10,
    latest: {},
    checkpoints: [],
    badLines: {},
    ...patch,
  };
}

const OPTIONS = { meanOf: 3, extraMetrics: [], extraConfig: [], now: 0 };

function row(
  id: string,
  config: Record<string, unknown>,
  patch: Partial<RunSummary> = {},
  tags: string[] = [],
) {
  return tableRow(summary(id, { config, ...patch }), undefined, { tags, note: '' }, OPTIONS);
}

/** The rows a reader keeps: the last write of each step wins, a restart at s drops later steps. */
function currentRows(written: MetricRow[]): MetricRow[] {
  const out: MetricRow[] = [];
  for (const r of written) {
    while (out.length && out[out.length - 1].step >= r.step) out.pop();
    out.push(r);
  }
  return out;
}

describe('runs table: config keys of each source', () => {
  it('reads ours, TRL, verl (nested and flattened) and OpenRLHF configs into the same columns', () => {
    const ours = {
      model: { type: 'tiny', n_layer: 2, n_embd: 64 },
      task: { name: 'arithmetic', difficulty: 'easy' },
      learning_rate: 0.001,
      beta: 0.02,
      num_generations: 8,
      loss_type: 'grpo',
      epsilon: 0.2,
      rewards: [
        { name: 'accuracy', weight: 1 },
        { name: 'format', weight: 0.5 },
      ],
    };
    assert.strictEqual(configCell(ours, 'model'), 'tiny 2×64');
    assert.strictEqual(configCell(ours, 'task'), 'arithmetic (easy)');
    assert.strictEqual(configCell(ours, 'reward_weights'), 'accuracy×1, format×0.5');
    assert.strictEqual(configCell(ours, 'beta'), 0.02);
    const trl = {
      learning_rate: 1e-6,
      beta: 0.04,
      num_generations: 8,
      loss_type: 'dr_grpo',
      epsilon: 0.2,
      reward_weights: [1, 0.5],
      _name_or_path: 'Qwen/Qwen2-0.5B',
    };
    assert.strictEqual(configCell(trl, 'model'), 'Qwen/Qwen2-0.5B');
    assert.strictEqual(configCell(trl, 'reward_weights'), '1, 0.5');
    assert.strictEqual(configCell(trl, 'loss_type'), 'dr_grpo');
    const verl = {
      actor_rollout_ref: {
        model: { path: 'Qwen/Qwen2.5-3B' },
        actor: { optim: { lr: 1e-6 }, kl_loss_coef: 0.001, clip_ratio: 0.2, loss_agg_mode: 'token-mean' },
        rollout: { n: 5 },
      },
    };
    assert.strictEqual(configCell(verl, 'model'), 'Qwen/Qwen2.5-3B');
    assert.strictEqual(configCell(verl, 'learning_rate'), 1e-6);
    assert.strictEqual(configCell(verl, 'num_generations'), 5);
    assert.strictEqual(configCell(verl, 'loss_type'), 'token-mean');
    assert.strictEqual(configCell({ 'actor_rollout_ref.rollout.n': 16 }, 'num_generations'), 16, 'flattened');
    assert.strictEqual(
      configCell({ pretrain: 'meta-llama/Llama-3-8B', n_samples_per_prompt: 4, init_kl_coef: 0.01 }, 'beta'),
      0.01,
    );
    assert.strictEqual(configCell({ a: { b: [1, 2] } }, 'a.b'), '[1,2]', 'any other key the user adds');
    assert.strictEqual(configCell(undefined, 'beta'), undefined);
  });

  it('gives a run whose config could not be read a row with what is known', () => {
    const r = tableRow(
      summary('/runs/broken', { config: undefined, problems: ['run.json could not be read'] }),
      undefined,
      undefined,
      OPTIONS,
    );
    assert.deepStrictEqual(r.config, {});
    assert.strictEqual(r.statsPending, true);
    assert.deepStrictEqual(r.problems, ['run.json could not be read']);
  });
});

describe('runs table: summary metrics over supersession', () => {
  const tracked = () => true;

  it('a resume replaces steps >= N: best, last and mean are of the current rows only', () => {
    const written: MetricRow[] = [];
    for (let s = 1; s <= 10; s++) written.push({ step: s, reward: s / 10, kl: 0.01 * s });
    for (let s = 6; s <= 8; s++) written.push({ step: s, reward: 0, kl: 0 });
    const stats = new RunStats(tracked);
    for (const r of written) stats.add(r);
    assert.strictEqual(stats.incomplete, false);
    const reward = stats.stats('reward', 3);
    assert.strictEqual(reward.best, 0.5, 'steps 6–10 of the first branch no longer count');
    assert.strictEqual(reward.last, 0);
    assert.strictEqual(reward.mean, 0);
    assert.strictEqual(reward.count, 8);
    assert.strictEqual(stats.stats('kl', 3).best, 0, 'KL: lower is better');
    assert.ok(Math.abs(stats.stats('reward', 6).mean! - (0.3 + 0.4 + 0.5) / 6) < 1e-12, 'steps 3–8');
  });

  it('agrees with a full read of the current rows after random resumes, or says it cannot', () => {
    let seed = 7;
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let trial = 0; trial < 50; trial++) {
      const written: MetricRow[] = [];
      let step = 0;
      for (let i = 0; i < 300; i++) {
        step = rand() < 0.03 ? Math.max(1, step - Math.floor(rand() * 100)) : step + 1;
        written.push({ step, reward: rand() });
      }
      const incremental = new RunStats(tracked);
      for (const r of written) incremental.add(r);
      const full = new RunStats(tracked);
      for (const r of currentRows(written)) full.add(r);
      const current = currentRows(written).map((r) => r.reward!);
      assert.strictEqual(full.stats('reward', 10).best, Math.max(...current));
      if (incremental.incomplete) continue;
      for (const n of [1, 10, TAIL])
        assert.deepStrictEqual(incremental.stats('reward', n), full.stats('reward', n));
    }
  });

  it('says incomplete when a resume goes back past the remembered tail', () => {
    const stats = new RunStats(tracked);
    for (let s = 1; s <= 200; s++) stats.add({ step: s, reward: s });
    stats.add({ step: 50, reward: 0 });
    assert.strictEqual(stats.incomplete, true);
    assert.strictEqual(stats.stats('reward', 1).best, 49, 'the best before step 50 is still exact');
  });

  it('fills a row from the stats once read, from the summary until then', () => {
    const run = summary('/r', { latest: { reward: 0.7, 'timing/step_s': 1 } });
    const before = tableRow(run, undefined, undefined, OPTIONS);
    assert.deepStrictEqual(before.metrics, { reward: { last: 0.7 } });
    const stats = new RunStats((m) => m === 'reward');
    [0.2, 0.9, 0.4, 0.7].forEach((reward, i) => stats.add({ step: i + 1, reward }));
    const after = tableRow(run, stats, undefined, OPTIONS);
    assert.deepStrictEqual(after.metrics.reward, { last: 0.7, best: 0.9, mean: (0.9 + 0.4 + 0.7) / 3 });
    assert.strictEqual(after.statsPending, undefined);
  });
});

describe("runs table: the run doctor's findings column", () => {
  it('counts the findings of a run with the worst severity, sorts and filters on the count', () => {
    const finding = (id: FindingId, severity: Finding['severity']): Finding => ({
      id,
      severity,
      steps: [5, 5],
      markSteps: [5],
      message: id,
      why: '',
      tryThis: '',
      evidence: {},
      metrics: [],
    });
    const sick = tableRow(summary('sick'), undefined, undefined, {
      ...OPTIONS,
      findings: [finding('kl-spike', 'warning'), finding('non-finite', 'error')],
    });
    const well = tableRow(summary('well'), undefined, undefined, { ...OPTIONS, findings: [] });
    assert.strictEqual(sick.findings, 2);
    assert.strictEqual(sick.findingsSeverity, 'error');
    assert.strictEqual(cellValue(well, 'findings'), 0);
    const columns = availableColumns([sick, well]);
    assert.ok(defaultColumns([sick, well], columns).includes('findings'));
    assert.deepStrictEqual(
      sortRows([well, sick], { column: 'findings', descending: true }).map((r) => r.id),
      ['sick', 'well'],
    );
    assert.deepStrictEqual(
      filterRows([well, sick], 'findings>0', columns).map((r) => r.id),
      ['sick'],
    );
  });
});

describe('runs table: columns, sort, filter, group, pin', () => {
  const rows: RunsTableRow[] = [
    row(
      '/a',
      { beta: 0.04, num_generations: 8, loss_type: 'grpo' },
      { latest: { reward: 0.5 }, startedAt: 3 },
      ['sweep:beta', 'beta=0.04'],
    ),
    row(
      '/b',
      { beta: 0.01, num_generations: 8, loss_type: 'grpo' },
      { latest: { reward: 0.9 }, startedAt: 2 },
      ['sweep:beta', 'beta=0.01'],
    ),
    row(
      '/c',
      { beta: 0.1, num_generations: 8, loss_type: 'dr_grpo' },
      { latest: {}, startedAt: 1, name: 'baseline run' },
      ['baseline'],
    ),
  ];
  const columns = availableColumns(rows);

  it('shows by default only the config columns that differ between runs', () => {
    assert.deepStrictEqual(differingConfigKeys(rows, ['beta', 'num_generations', 'loss_type']), [
      'beta',
      'loss_type',
    ]);
    const ids = defaultColumns(rows, columns);
    assert.ok(ids.includes('config:beta') && ids.includes('config:loss_type'));
    assert.ok(!ids.includes('config:num_generations'), 'G is 8 everywhere');
    assert.ok(ids.includes('metric:reward:best') && ids.includes('metric:reward:mean'));
    assert.deepStrictEqual(
      shownColumns(rows, columns, { columns: ['config:num_generations', 'nope', 'name'] }).map((c) => c.id),
      ['config:num_generations', 'name'],
      'the user’s choice and order, minus columns that no longer exist',
    );
  });

  it('sorts by any column, numbers as numbers, missing values last either way', () => {
    const ids = (desc: boolean) =>
      sortRows(rows, { column: 'metric:reward:last', descending: desc }).map((r) => r.id);
    assert.deepStrictEqual(ids(true), ['/b', '/a', '/c']);
    assert.deepStrictEqual(ids(false), ['/a', '/b', '/c']);
    assert.deepStrictEqual(
      sortRows(rows, { column: 'config:beta', descending: false }).map((r) => r.id),
      ['/b', '/a', '/c'],
    );
    assert.deepStrictEqual(
      sortRows(rows, undefined).map((r) => r.id),
      ['/a', '/b', '/c'],
      'newest first',
    );
  });

  it('filters by words, tags and numeric ranges of any column', () => {
    const ids = (q: string) => filterRows(rows, q, columns).map((r) => r.id);
    assert.deepStrictEqual(ids('baseline'), ['/c']);
    assert.deepStrictEqual(ids('tag:sweep'), ['/a', '/b']);
    assert.deepStrictEqual(ids('#sweep beta<0.02'), ['/b']);
    assert.deepStrictEqual(ids('beta>=0.04'), ['/a', '/c']);
    assert.deepStrictEqual(ids('reward>0.6'), ['/b']);
    assert.deepStrictEqual(ids('loss=dr_grpo'), ['/c']);
    assert.deepStrictEqual(ids('"baseline run"'), ['/c']);
    assert.deepStrictEqual(parseQuery('nosuch>3', columns).unknown, ['nosuch']);
  });

  it('groups by a config value or a tag prefix, pinned runs first whatever the filter', () => {
    const grouped = arrangeRows(rows, columns, { groupBy: 'tag:sweep' });
    assert.deepStrictEqual(
      grouped.map((i) => (i.kind === 'group' ? `[${i.label} ${i.count}]` : i.row.id)),
      ['[beta 2]', '/a', '/b', '[(none) 1]', '/c'],
    );
    assert.deepStrictEqual(tagPrefixes(rows), ['sweep']);
    const byLoss = arrangeRows(rows, columns, { groupBy: 'config:loss_type' });
    assert.deepStrictEqual(
      byLoss.filter((i) => i.kind === 'group').map((i) => i.kind === 'group' && i.label),
      ['dr_grpo', 'grpo'],
    );
    const pinned = arrangeRows(rows, columns, { pinned: ['/c'], query: 'tag:sweep' });
    assert.deepStrictEqual(
      pinned.map((i) => (i.kind === 'group' ? `[${i.label}]` : i.row.id)),
      ['[Pinned]', '/c', '[Runs]', '/a', '/b'],
    );
    assert.strictEqual(cellValue(rows[0], 'tags'), 'sweep:beta, beta=0.04');
  });
});

describe('runs table: the stats cache', () => {
  function fakeSource(rows: MetricRow[]) {
    const run = summary('/r', { step: rows[rows.length - 1].step });
    const source = {
      run,
      rows,
      streamed: 0,
      get: (id: string) => (id === '/r' ? source.run : undefined),
      readAllMetrics: () => Promise.reject(new Error('the cache should stream, not open a session')),
      streamMetrics: async (_id: string, onRow: (row: MetricRow) => void) => {
        source.streamed++;
        currentRows(source.rows).forEach(onRow);
      },
    };
    return source;
  }

  it('reads each run once, then folds in the rows the store reports, a resume included', async () => {
    const source = fakeSource([1, 2, 3, 4].map((step) => ({ step, reward: step })));
    const cache = new RunStatsCache(source, { rereadMs: 0 });
    cache.want([source.run]);
    await cache.idle();
    assert.strictEqual(cache.get('/r')?.stats('reward', 10).best, 4);
    source.run = { ...source.run, step: 3 };
    cache.noteChanges([
      { runId: '/r', summary: true, supersededFrom: 3, newMetrics: [{ step: 3, reward: 0 }] },
    ]);
    assert.deepStrictEqual(cache.get('/r')?.stats('reward', 10), { last: 0, best: 2, mean: 1, count: 3 });
    cache.want([source.run]);
    await cache.idle();
    assert.strictEqual(source.streamed, 1, 'no second read: the rows came with the change');
    cache.dispose();
  });

  it('reads a run again when it moved without reporting rows (no session open)', async () => {
    const source = fakeSource([1, 2].map((step) => ({ step, reward: step })));
    const cache = new RunStatsCache(source, { rereadMs: 0 });
    cache.want([source.run]);
    await cache.idle();
    source.rows = [...source.rows, { step: 3, reward: 9 }];
    source.run = { ...source.run, step: 3 };
    cache.noteChanges([{ runId: '/r', summary: true }]);
    await new Promise((r) => setTimeout(r, 20));
    await cache.idle();
    assert.strictEqual(source.streamed, 2);
    assert.strictEqual(cache.get('/r')?.stats('reward', 10).best, 9);
    cache.dispose();
  });
});
