// Redraw of one chart with 1M points: uPlot in headless Chromium drawing the min/max
// downsampled series the host sends (src/panels/downsample.ts) against drawing all 1M
// raw points (the baseline), in the same run. Also times the host-side downsampling.
//
//   npx tsc -p tsconfig.test.json && node out/bench/chart_redraw.js [--points 1000000] [--width 800]
import * as path from 'path';
import { launchChromium } from '../test/harness/browser';
import { repoRoot } from '../test/harness/paths';
import { downsampleMinMax } from '../src/panels/downsample';

function arg(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** In the page: build a chart, then time setData + a pixel read (which waits for the draw). */
async function timeRedraws(
  page: import('playwright-core').Page,
  name: string,
  repeats: number,
): Promise<number[]> {
  return page.evaluate(
    async ({ name, repeats }) => {
      const w = window as unknown as Record<string, unknown>;
      const data = w[name] as [number[], number[]];
      const target = document.getElementById('chart') as HTMLElement;
      target.textContent = '';
      const UPlot = w.uPlot as new (
        o: unknown,
        d: unknown,
        t: HTMLElement,
      ) => {
        setData(d: unknown, reset: boolean): void;
        ctx: CanvasRenderingContext2D;
        destroy(): void;
      };
      const u = new UPlot(
        {
          width: 800,
          height: 200,
          series: [{}, { stroke: 'blue', width: 1 }],
          scales: { x: { time: false } },
        },
        data,
        target,
      );
      const times: number[] = [];
      for (let i = 0; i < repeats; i++) {
        const shifted = [data[0], data[1].map((v) => v + i * 1e-9)];
        const t0 = performance.now();
        u.setData(shifted, true);
        // uPlot commits the draw in a microtask: let it run, then read a pixel
        await Promise.resolve();
        await Promise.resolve();
        u.ctx.getImageData(0, 0, 1, 1);
        times.push(performance.now() - t0);
      }
      u.destroy();
      return times;
    },
    { name, repeats },
  );
}

async function main(): Promise<void> {
  const n = arg('points', 1_000_000);
  const width = arg('width', 800);
  const xs = Float64Array.from({ length: n }, (_, i) => i);
  const ys = Float64Array.from(
    xs,
    (x) => Math.sin(x / 5000) + 0.3 * Math.sin(x / 37) + (x % 997 === 0 ? 1 : 0),
  );
  const t0 = performance.now();
  const down = downsampleMinMax(xs, ys, width);
  const downsampleMs = performance.now() - t0;

  const browser = await launchChromium();
  const page = await browser.newPage({ viewport: { width: 1000, height: 400 } });
  await page.setContent('<div id="chart"></div>');
  await page.addScriptTag({ path: path.join(repoRoot, 'node_modules/uplot/dist/uPlot.iife.min.js') });
  await page.evaluate(
    ({ n, down }) => {
      const w = window as unknown as Record<string, unknown>;
      const xs = Array.from({ length: n }, (_, i) => i);
      w.raw = [xs, xs.map((x) => Math.sin(x / 5000) + 0.3 * Math.sin(x / 37) + (x % 997 === 0 ? 1 : 0))];
      w.down = [down.x, down.y];
    },
    { n, down },
  );
  const raw = await timeRedraws(page, 'raw', 7);
  const downsampled = await timeRedraws(page, 'down', 31);
  await browser.close();
  const r = median(raw);
  const d = median(downsampled);
  console.log(
    JSON.stringify(
      {
        points: n,
        downsampledPoints: down.x.length,
        hostDownsampleMs: Number(downsampleMs.toFixed(1)),
        rawRedrawMsMedian: Number(r.toFixed(1)),
        downsampledRedrawMsMedian: Number(d.toFixed(2)),
        speedup: Number((r / d).toFixed(1)),
      },
      null,
      1,
    ),
  );
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
