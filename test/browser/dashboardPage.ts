// The dashboard webview in headless Chromium, shared by its browser tests: Chromium, the
// fixture run, and what the page exposes for tests (window.__dashboard).
import * as path from 'path';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../harness/browser';
import { repoRoot } from '../harness/paths';
import { FixtureRun, readJsonl } from './fixtureHost';
import { openWebview, type WebviewPage } from './webviewPage';
import type { MetricRow } from '../../src/runs/model';

export const fixtureRun = path.join(repoRoot, 'test', 'fixtures', 'samples', 'run');
export const allRows = readJsonl<MetricRow>(path.join(fixtureRun, 'metrics.jsonl'));

export type Dash = {
  series: { lastStep: number; pointCount(): number };
  charts: Map<
    string,
    {
      uplot?: {
        data: unknown[][];
        series: { label: string }[];
        cursor: { left: number };
        scales: { x: { min: number; max: number } };
      };
    }
  >;
};

export interface ChartInfo {
  lastStep: number;
  charts: { id: string; labels: string[]; xs: number[]; ys: (number | null)[]; scale: number[] }[];
}

export interface DashboardTest {
  browser: Browser;
  wp: WebviewPage;
  run: FixtureRun;
  /** Opens the dashboard of the fixture run, its metrics up to step `upTo`. */
  open(theme?: 'light' | 'dark' | 'high-contrast', upTo?: number): Promise<void>;
  /** What each chart holds. */
  chartInfo(): Promise<ChartInfo>;
  /** Fraction of canvas pixels that differ from the first pixel: a drawn chart is not blank. */
  inked(id: string): Promise<number>;
}

/** Registers the mocha hooks (Chromium per file, the page closed after each test). */
export function useDashboardPage(): DashboardTest {
  const t = {} as DashboardTest;
  before(async () => {
    t.browser = await launchChromium();
  });
  after(async () => t.browser?.close());
  afterEach(async () => t.wp?.close());

  t.open = async (theme = 'dark', upTo = 150) => {
    t.run = new FixtureRun(fixtureRun, { metricsUpTo: upTo });
    t.wp = await openWebview(t.browser, 'dashboard', t.run.host, { theme });
    await t.wp.page.waitForSelector('.chart canvas');
    await t.wp.page.waitForTimeout(100);
  };

  t.chartInfo = () =>
    t.wp.page.evaluate(() => {
      const d = (window as unknown as { __dashboard: Dash }).__dashboard;
      return {
        lastStep: d.series.lastStep,
        charts: [...d.charts.entries()].map(([id, c]) => ({
          id,
          labels: c.uplot?.series.map((s) => s.label) ?? [],
          xs: (c.uplot?.data[0] ?? []) as number[],
          ys: (c.uplot?.data[1] ?? []) as (number | null)[],
          scale: c.uplot ? [c.uplot.scales.x.min, c.uplot.scales.x.max] : [],
        })),
      };
    });

  t.inked = (id: string) =>
    t.wp.page.evaluate((id) => {
      const canvas = document.querySelector(`[data-chart="${id}"] canvas`) as HTMLCanvasElement;
      const ctx = canvas.getContext('2d') as CanvasRenderingContext2D;
      const px = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
      let differ = 0;
      for (let i = 0; i < px.length; i += 4) if (px[i + 3] !== px[3] || px[i] !== px[0]) differ++;
      return differ / (px.length / 4);
    }, id);
  return t;
}
