// The runs table's open as VS Code delivers it, for bench/runs_table.ts: a fresh page
// navigates to the webview shell (the same HTML and CSP), the table's script posts `ready`,
// and the rows come back as a message event posted by code already in the page (seeded
// before navigation by an init script, as the extension host's postMessage would deliver
// them), so no DevTools-protocol round trip sits between `ready` and the rows. Every time is
// read in the page, from its navigation start; the harness only waits for the mark.
import * as fs from 'fs';
import * as path from 'path';
import type { Browser } from 'playwright-core';
import { webviewHtml } from '../src/panels/webviewHtml';
import { themes } from '../test/browser/themes';
import { repoRoot } from '../test/harness/paths';

const SITE = 'https://bench.webview';
const TYPES: Record<string, string> = { '.js': 'text/javascript', '.css': 'text/css', '.ttf': 'font/ttf' };

export interface OpenTimes {
  /** In the page, from navigation start: the table's script posted `ready` (absent for the shell). */
  readyMs?: number;
  /** In the page, from navigation start: the rows posted (parsed and cloned), arrived in the table, drawn (DOM built). */
  postedMs?: number;
  arrivedMs?: number;
  drawnMs?: number;
  /** In the page, from navigation start: the rows drawn and the frame after them produced (the shell: its load, then a frame). */
  paintedMs: number;
  /** Outside: page.goto called → the mark seen (includes the harness's polling). */
  wallMs: number;
}

/** What runs in the page before its own script: the VS Code API stand-in and the marks. */
function seedPage(seed: { message?: string; vars: Record<string, string>; bodyClass: string }): void {
  const w = window as unknown as Record<string, unknown>;
  const afterNextFrame = (name: string) =>
    requestAnimationFrame(() => setTimeout(() => performance.mark(name), 0));
  let state: unknown;
  w.acquireVsCodeApi = () => ({
    postMessage: (m: { kind?: string }) => {
      if (m.kind !== 'ready' || !seed.message) return;
      performance.mark('bench:ready');
      // The host answers `ready` with the rows: a message event, parsed as a structured clone would be.
      setTimeout(() => {
        window.postMessage(JSON.parse(seed.message!), '*');
        performance.mark('bench:posted');
      }, 0);
    },
    getState: () => state,
    setState: (s: unknown) => (state = s),
  });
  // Registered before the app's listener: this runs first, its timeout after the app drew the rows.
  window.addEventListener('message', () => setTimeout(() => afterNextFrame('bench:painted'), 0), {
    once: true,
  });
  document.addEventListener('DOMContentLoaded', () => {
    document.body.className = seed.bodyClass;
    for (const [k, v] of Object.entries(seed.vars)) document.documentElement.style.setProperty(k, v);
  });
  if (!seed.message) window.addEventListener('load', () => afterNextFrame('bench:painted'));
}

/**
 * Opens the runs table with `message` delivered on `ready` (or, without one, the empty shell:
 * no app script) in a new page; `dist` is the folder whose webview bundle is served.
 */
export async function openAsVsCode(browser: Browser, message: unknown, dist: string): Promise<OpenTimes> {
  const app = message ? 'runsTable' : 'emptyShell';
  const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  const html = webviewHtml({
    app: 'runsTable',
    title: app,
    cspSource: SITE,
    nonce: 'BenchNonce0123456789abcdefABCDEF',
    scriptUri: `${SITE}/dist/webview/${app}.js`,
    styleUri: `${SITE}/dist/webview/${app}.css`,
    codiconsUri: `${SITE}/dist/codicons/codicon.css`,
  });
  await page.route(`${SITE}/**`, (route) => {
    const { pathname } = new URL(route.request().url());
    if (pathname === '/') return route.fulfill({ body: html, contentType: 'text/html' });
    const file = path.join(
      pathname.startsWith('/dist/codicons/') ? path.join(repoRoot, 'dist') : dist,
      pathname.slice(5),
    );
    return fs.existsSync(file)
      ? route.fulfill({ body: fs.readFileSync(file), contentType: TYPES[path.extname(file)] })
      : route.fulfill({ status: 404 });
  });
  const theme = themes.dark;
  await page.addInitScript(seedPage, {
    message: message ? JSON.stringify(message) : undefined,
    vars: theme.vars,
    bodyClass: theme.bodyClass,
  });
  const t0 = performance.now();
  await page.goto(`${SITE}/`);
  await page.waitForFunction(() => performance.getEntriesByName('bench:painted').length > 0, undefined, {
    polling: 20,
  });
  const wallMs = performance.now() - t0;
  const [readyMs, postedMs, arrivedMs, drawnMs, paintedMs] = await page.evaluate(() =>
    ['bench:ready', 'bench:posted', 'runsTable:init', 'runsTable:drawn', 'bench:painted'].map(
      (n) => performance.getEntriesByName(n)[0]?.startTime,
    ),
  );
  if (message && (await page.locator('.row.run').count()) === 0) throw new Error('no row was drawn');
  await page.close();
  return { readyMs, postedMs, arrivedMs, drawnMs, paintedMs: paintedMs!, wallMs };
}
