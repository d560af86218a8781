// A fake extension host for browser tests: reads a run directory the way the run store
// does (JSON Lines, invalid UTF-8 replaced, bad lines skipped) and answers the webview
// through the same pure transforms the real panels use.
import * as fs from 'fs';
import * as path from 'path';
import type { HostToWebview, RunHeader, WebviewToHost } from '../../src/contract/messages';
import { toLivePoint } from '../../src/panels/liveRows';
import { toGroupView } from '../../src/panels/samplesView';
import { clampWidth, SeriesWindowBuilder } from '../../src/panels/seriesWindow';
import type { MetricRow, SampleGroup } from '../../src/runs/model';
import { reply, type FakeHost, type WebviewPage } from './webviewPage';

export function readJsonl<T>(file: string): T[] {
  if (!fs.existsSync(file)) return [];
  const out: T[] = [];
  for (const line of fs.readFileSync(file).toString('utf8').split('\n')) {
    try {
      if (line.trim()) out.push(JSON.parse(line) as T);
    } catch {
      // a broken line is skipped, as the run store does
    }
  }
  return out;
}

export class FixtureRun {
  metrics: MetricRow[];
  samples: SampleGroup[];
  header: RunHeader;
  page?: WebviewPage;

  constructor(
    readonly dir: string,
    options: { metricsUpTo?: number } = {},
  ) {
    const all = readJsonl<MetricRow>(path.join(dir, 'metrics.jsonl'));
    this.metrics = all.filter((r) => r.step <= (options.metricsUpTo ?? Infinity));
    this.samples = readJsonl<SampleGroup>(path.join(dir, 'samples.jsonl'));
    const last = this.metrics.length ? this.metrics[this.metrics.length - 1].step : 0;
    this.header = {
      runId: dir,
      name: path.basename(dir),
      state: 'running',
      step: last,
      totalSteps: 200,
      etaSeconds: 125,
      controllable: true,
    };
  }

  get sampleSteps(): number[] {
    return [...new Set(this.samples.map((g) => g.step))].sort((a, b) => a - b);
  }

  window(width: number, from = 0, to?: number) {
    const last = this.metrics.length ? this.metrics[this.metrics.length - 1].step : 1;
    const b = new SeriesWindowBuilder(this.dir, from, to ?? last, clampWidth(width));
    for (const r of this.metrics) b.add(r);
    return b.result();
  }

  /** Appends rows as the run store would report them, and notifies the webview. */
  async append(rows: MetricRow[]): Promise<void> {
    this.metrics.push(...rows);
    this.header = { ...this.header, step: rows[rows.length - 1].step };
    await this.page?.send({
      kind: 'notification',
      type: 'append',
      runId: this.dir,
      points: rows.map(toLivePoint),
    });
    await this.page?.send({ kind: 'notification', type: 'header', header: this.header });
  }

  readonly host: FakeHost = async (m: WebviewToHost, page: WebviewPage) => {
    this.page = page;
    const send = (msg: HostToWebview) => page.send(msg);
    if (m.kind === 'ready') {
      await send({ kind: 'notification', type: 'init', app: m.app, runId: this.dir, header: this.header });
      if (m.app === 'dashboard')
        await send({ kind: 'notification', type: 'series', window: this.window(800) });
      else
        await send({ kind: 'notification', type: 'sampleSteps', runId: this.dir, steps: this.sampleSteps });
    } else if (m.kind === 'request') {
      if (m.method === 'samplesAt') {
        const groups = this.samples.filter((g) => g.step === m.params.step).map(toGroupView);
        await send(reply(m.seq, { runId: this.dir, step: m.params.step, groups }));
      } else if (m.method === 'sampleSteps') await send(reply(m.seq, this.sampleSteps));
      else if (m.method === 'seriesWindow')
        await send(reply(m.seq, this.window(m.params.width, m.params.fromStep, m.params.toStep)));
    }
  };
}
