// The runs table opened in a real VS Code (code-server, its extension host, headless
// Chromium) over a workspace of 500 run directories: from the Enter that runs GRPO: Show
// Runs Table in the palette to the rows drawn in the webview, read from the webview's own
// clock (its timeOrigin + its marks) against the time of the key press, the first open (cold)
// and the next ones (the panel closed and opened again). The part that is VS Code's alone,
// command → our HTML in the webview's frame (its first request, the stylesheets), is reported
// on its own: any webview pays it, and no code of the table can change it. The baseline,
// in the same run: VS Code's own Markdown preview opened and reopened the same way.
//
//   npx tsc -p tsconfig.test.json && node esbuild.js && node out/bench/runs_table_vscode.js [--runs 500] [--opens 5]
import type { Frame, Page } from 'playwright-core';
import { openCommandPalette, openViewContainer, runCommand, viewPane } from '../test/harness/ui';
import { launchWorkbench } from '../test/harness/workbench';
import { makeWorkspace } from '../test/harness/workspace';
import { writeRuns } from './runsTableFixture';

function arg(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
}

interface TableMarks {
  /** Epoch ms: our HTML's first request (VS Code wrote it into the frame), the table's ready, rows arrived, rows drawn. */
  html: number;
  ready: number;
  arrived: number;
  drawn: number;
}

/** The table's marks, from whichever frame holds the drawn rows. */
async function tableMarks(page: Page): Promise<TableMarks | undefined> {
  const read = (frame: Frame) =>
    frame
      .evaluate(() => {
        const at = (n: string) => performance.getEntriesByName(n)[0]?.startTime;
        if (at('runsTable:drawn') === undefined || !document.querySelector('.row.run')) return undefined;
        const requests = performance.getEntriesByType('resource').map((e) => e.startTime);
        return {
          html: performance.timeOrigin + Math.min(...requests),
          ready: performance.timeOrigin + at('runsTable:ready')!,
          arrived: performance.timeOrigin + at('runsTable:init')!,
          drawn: performance.timeOrigin + at('runsTable:drawn')!,
        };
      })
      .catch(() => undefined);
  for (const frame of page.frames()) {
    const marks = await read(frame);
    if (marks) return marks;
  }
  return undefined;
}

interface OpenFigures {
  commandToDrawnMs: number;
  commandToHtmlMs: number;
  htmlToReadyMs: number;
  readyToRowsMs: number;
  rowsToDrawnMs: number;
  renderedRows: number;
}

async function openOnce(page: Page): Promise<OpenFigures> {
  const quickInput = await openCommandPalette(page, 'GRPO: Show Runs Table');
  await quickInput
    .locator('.quick-input-list .monaco-list-row', { hasText: 'GRPO: Show Runs Table' })
    .first()
    .waitFor();
  const pressed = Date.now();
  await page.keyboard.press('Enter');
  const deadline = Date.now() + 60_000;
  let marks: TableMarks | undefined;
  while (!(marks = await tableMarks(page))) {
    if (Date.now() > deadline) throw new Error('the runs table did not draw its rows within 60 s');
    await page.waitForTimeout(50);
  }
  const rows = await page
    .frameLocator('iframe.webview.ready >> visible=true')
    .frameLocator('iframe#active-frame')
    .locator('.row.run')
    .count();
  await runCommand(page, 'View: Close All Editors');
  await page.waitForTimeout(arg('gap-ms', 500));
  return {
    commandToDrawnMs: Math.round(marks.drawn - pressed),
    commandToHtmlMs: Math.round(marks.html - pressed),
    htmlToReadyMs: Math.round(marks.ready - marks.html),
    readyToRowsMs: Math.round(marks.arrived - marks.ready),
    rowsToDrawnMs: Math.round(marks.drawn - marks.arrived),
    renderedRows: rows,
  };
}

/**
 * The baseline: VS Code's own Markdown preview (a webview of VS Code's, no code of ours),
 * opened the same way on the workspace's README.md, closed, opened again. Enter → the
 * preview's first request in its frame, and → its heading drawn.
 */
async function openMarkdownPreviewOnce(
  page: Page,
): Promise<{ commandToHtmlMs: number; commandToDrawnMs: number }> {
  await page.keyboard.press('Control+P');
  await page.keyboard.type('README.md');
  await page.locator('.quick-input-list .monaco-list-row', { hasText: 'README.md' }).first().waitFor();
  await page.keyboard.press('Enter');
  await page.locator('.monaco-editor .view-lines', { hasText: 'Baseline' }).first().waitFor();
  const quickInput = await openCommandPalette(page, 'Markdown: Open Preview');
  await quickInput
    .locator('.quick-input-list .monaco-list-row', { hasText: 'Markdown: Open Preview' })
    .first()
    .waitFor();
  const pressed = Date.now();
  await page.keyboard.press('Enter');
  const deadline = Date.now() + 60_000;
  for (;;) {
    for (const frame of page.frames()) {
      const seen = await frame
        .evaluate(() => {
          const heading = [...document.querySelectorAll('h1')].find((e) => e.textContent === 'Baseline');
          if (!heading) return undefined;
          const requests = performance.getEntriesByType('resource').map((e) => e.startTime);
          return {
            html: performance.timeOrigin + Math.min(...requests),
            drawn: performance.timeOrigin + performance.now(),
          };
        })
        .catch(() => undefined);
      if (seen) {
        await runCommand(page, 'View: Close All Editors');
        await page.waitForTimeout(arg('gap-ms', 500));
        return {
          commandToHtmlMs: Math.round(seen.html - pressed),
          commandToDrawnMs: Math.round(seen.drawn - pressed),
        };
      }
    }
    if (Date.now() > deadline) throw new Error('the Markdown preview did not draw within 60 s');
    await page.waitForTimeout(50);
  }
}

async function main(): Promise<void> {
  const runs = arg('runs', 500);
  const opens = arg('opens', 5);
  // The table's own part: from its HTML in the frame to its rows drawn.
  const share = (r: OpenFigures) =>
    Number(((r.commandToDrawnMs - r.commandToHtmlMs) / r.commandToDrawnMs).toFixed(2));
  const workspace = makeWorkspace({ files: { 'README.md': "# Baseline\n\nVS Code's own webview.\n" } });
  writeRuns(workspace, runs, 200);
  const wb = await launchWorkbench({ workspace, settings: { 'grpoLens.openDashboardOnStart': false } });
  try {
    const page = wb.page;
    await openViewContainer(page, 'GRPO Lens');
    await viewPane(page, 'Runs')
      .getByRole('treeitem', { name: /run-\d+/ })
      .first()
      .waitFor({ timeout: 120_000 });
    const results: OpenFigures[] = [];
    for (let i = 0; i < opens; i++) results.push(await openOnce(page));
    const markdown = [];
    for (let i = 0; i < opens; i++) markdown.push(await openMarkdownPreviewOnce(page));
    const warm = results.slice(1);
    const median = (key: keyof OpenFigures) => {
      const xs = warm.map((r) => r[key]).sort((a, b) => a - b);
      return xs[Math.floor(xs.length / 2)];
    };
    const keys = Object.keys(results[0]) as (keyof OpenFigures)[];
    console.log(
      JSON.stringify(
        {
          runs,
          first: results[0],
          tableShareFirst: share(results[0]),
          warmMedian: Object.fromEntries(keys.map((k) => [k, median(k)])),
          tableShareWarm: Number((1 - median('commandToHtmlMs') / median('commandToDrawnMs')).toFixed(2)),
          all: results,
          // VS Code's own Markdown preview, opened the same way: first, then again
          markdownPreview: markdown,
        },
        null,
        1,
      ),
    );
  } finally {
    await wb.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
