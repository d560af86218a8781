// A fake extension host for the runs table in the browser tests and the benchmark: rows
// built from run summaries by the same pure code the real panel uses (tableRow,
// availableColumns), sent as the panel sends them.
import type {
  HostToWebview,
  RunsTableRow,
  RunsTableViewState,
  WebviewToHost,
} from '../../src/contract/messages';
import type { RunSummary } from '../../src/runs/model';
import { availableColumns } from '../../src/runsTable/columns';
import { tableRow } from '../../src/runsTable/rows';
import { RunStats } from '../../src/runsTable/stats';
import type { FakeHost, WebviewPage } from './webviewPage';

const LOSSES = ['grpo', 'dr_grpo', 'bnpo'];
const BETAS = [0, 0.01, 0.04, 0.1];

/** Run i of a sweep-like workspace: config values, a reward curve, tags on some. */
export function fakeRun(i: number, patch: Partial<RunSummary> = {}): RunSummary {
  const reward = Math.round((((i * 37) % 100) / 100) * 1000) / 1000;
  return {
    id: `/ws/runs/run-${String(i).padStart(3, '0')}`,
    dir: `/ws/runs/run-${String(i).padStart(3, '0')}`,
    name: `run-${String(i).padStart(3, '0')}`,
    source: i % 5 === 4 ? 'trl' : 'grpo-lens',
    sourceLabel: i % 5 === 4 ? 'TRL' : 'GRPO Lens',
    capabilities: { control: i % 5 !== 4, tokenDetails: true, resume: true },
    problems: [],
    state: i % 7 === 0 ? 'running' : 'finished',
    step: 100 + i,
    totalSteps: 200,
    latest: {
      reward,
      'rewards/accuracy/mean': reward,
      kl: 0.001 * (i % 13),
      entropy: 1 - reward / 2,
      'completions/mean_length': 3 + (i % 4),
    },
    startedAt: Date.UTC(2026, 0, 1) + i * 60_000,
    updatedAt: Date.UTC(2026, 0, 1) + i * 60_000 + 300_000,
    checkpoints: [],
    badLines: {},
    config: {
      model: { type: 'tiny', n_layer: 2, n_embd: 64 },
      task: { name: 'arithmetic' },
      beta: BETAS[i % 4],
      num_generations: 8,
      loss_type: LOSSES[i % 3],
      learning_rate: 0.001,
    },
    ...patch,
  };
}

/** Stats as the host's cache would have them after reading a curve that rises to `latest.reward`. */
export function statsFor(run: RunSummary): RunStats {
  const stats = new RunStats(() => true);
  const final = run.latest.reward ?? 0;
  for (let s = 1; s <= run.step; s++)
    stats.add({ step: s, reward: (final * s) / run.step + (s % 10 === 0 ? 0.05 : 0) });
  return stats;
}

export function rowsOf(
  runs: RunSummary[],
  tags: (i: number) => string[] = () => [],
  withStats = true,
): RunsTableRow[] {
  return runs.map((run, i) =>
    tableRow(
      run,
      withStats ? statsFor(run) : undefined,
      { tags: tags(i), note: i === 1 ? '# Why\nbeta too high' : '' },
      {
        meanOf: 10,
        extraMetrics: [],
        extraConfig: [],
        now: Date.UTC(2026, 0, 2),
      },
    ),
  );
}

export class RunsTableHost {
  page?: WebviewPage;

  constructor(
    public rows: RunsTableRow[],
    public view: RunsTableViewState = {},
  ) {}

  readonly host: FakeHost = async (m: WebviewToHost, page: WebviewPage) => {
    this.page = page;
    if (m.kind === 'ready') {
      const message: HostToWebview = {
        kind: 'notification',
        type: 'tableInit',
        rows: this.rows,
        columns: availableColumns(this.rows, this.view),
        view: this.view,
      };
      await page.send(message);
    } else if (m.kind === 'command' && m.command === 'tableSaveView') this.view = m.view;
  };

  /** Rows that changed or appeared, as the panel sends them after a store change. */
  async update(rows: RunsTableRow[], removed: string[] = []): Promise<void> {
    for (const r of rows) {
      const i = this.rows.findIndex((x) => x.id === r.id);
      if (i >= 0) this.rows[i] = r;
      else this.rows.push(r);
    }
    this.rows = this.rows.filter((r) => !removed.includes(r.id));
    await this.page?.send({ kind: 'notification', type: 'tableUpdate', rows, removed });
  }
}
