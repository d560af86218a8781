// Loads a BUNDLED webview (dist/webview/<app>.js) in headless Chromium through the same
// HTML shell and Content Security Policy the extension uses, with a stand-in for
// acquireVsCodeApi that hands every posted message to the test's fake host.
import * as fs from 'fs';
import * as path from 'path';
import type { Browser, Page } from 'playwright-core';
import type { AppName, HostToWebview, WebviewToHost } from '../../src/contract/messages';
import { webviewHtml } from '../../src/panels/webviewHtml';
import { repoRoot, screenshotDir } from '../harness/paths';
import { themes, type ThemeName } from './themes';

export const ORIGIN = 'https://webview.test';
const NONCE = 'TestNonce0123456789abcdefABCDEF0';

export interface WebviewPage {
  page: Page;
  posted: WebviewToHost[];
  /** Sends a message to the webview as the host would. */
  send(message: HostToWebview): Promise<void>;
  setTheme(theme: ThemeName): Promise<void>;
  screenshot(name: string): Promise<string>;
  /** CSP violations, page errors and console errors seen so far. */
  problems(): Promise<string[]>;
  pwned(): Promise<unknown>;
  close(): Promise<void>;
}

export type FakeHost = (message: WebviewToHost, page: WebviewPage) => void | Promise<void>;

const CONTENT_TYPES: Record<string, string> = {
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.ttf': 'font/ttf',
  '.html': 'text/html',
};

function stub(): void {
  const w = window as unknown as Record<string, unknown>;
  w.__cspViolations = [];
  document.addEventListener('securitypolicyviolation', (e) =>
    (w.__cspViolations as string[]).push(
      `${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}:${e.columnNumber} ${e.sample}`,
    ),
  );
  let state: unknown;
  w.acquireVsCodeApi = () => ({
    postMessage: (m: unknown) => (w.__toHost as (m: unknown) => void)(JSON.parse(JSON.stringify(m))),
    getState: () => state,
    setState: (s: unknown) => (state = s),
  });
}

export async function openWebview(
  browser: Browser,
  app: AppName,
  host: FakeHost,
  options: { theme?: ThemeName; width?: number; height?: number } = {},
): Promise<WebviewPage> {
  const page = await browser.newPage({
    viewport: { width: options.width ?? 1200, height: options.height ?? 900 },
  });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror ${e.message}`));
  page.on('console', (m) => m.type() === 'error' && errors.push(`console ${m.text()}`));
  const html = webviewHtml({
    app,
    title: app,
    cspSource: ORIGIN,
    nonce: NONCE,
    scriptUri: `${ORIGIN}/dist/webview/${app}.js`,
    styleUri: `${ORIGIN}/dist/webview/${app}.css`,
    codiconsUri: `${ORIGIN}/dist/codicons/codicon.css`,
  });
  await page.route(`${ORIGIN}/**`, (route) => {
    const url = new URL(route.request().url());
    if (url.pathname === '/index.html') return route.fulfill({ body: html, contentType: 'text/html' });
    const file = path.join(repoRoot, decodeURIComponent(url.pathname));
    if (!file.startsWith(path.join(repoRoot, 'dist')) || !fs.existsSync(file))
      return route.fulfill({ status: 404 });
    return route.fulfill({ body: fs.readFileSync(file), contentType: CONTENT_TYPES[path.extname(file)] });
  });
  const posted: WebviewToHost[] = [];
  const wp: WebviewPage = {
    page,
    posted,
    send: (message) => page.evaluate((m) => window.postMessage(m, '*'), message),
    setTheme: async (theme) => {
      const t = themes[theme];
      await page.evaluate((t) => {
        document.body.className = t.bodyClass;
        for (const [k, v] of Object.entries(t.vars)) document.documentElement.style.setProperty(k, v);
      }, t);
      await page.waitForTimeout(100);
    },
    screenshot: async (name) => {
      fs.mkdirSync(screenshotDir, { recursive: true });
      const file = path.join(screenshotDir, `${name}.png`);
      await page.screenshot({ path: file });
      return file;
    },
    problems: async () => [
      ...errors,
      ...((await page.evaluate(() => (window as unknown as { __cspViolations: string[] }).__cspViolations)) ??
        []),
    ],
    pwned: () => page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned),
    close: () => page.close(),
  };
  await page.exposeFunction('__toHost', (m: WebviewToHost) => {
    posted.push(m);
    return host(m, wp);
  });
  await page.addInitScript(stub);
  await page.addInitScript(
    (t) => {
      document.addEventListener('DOMContentLoaded', () => {
        document.body.className = t.bodyClass;
        for (const [k, v] of Object.entries(t.vars)) document.documentElement.style.setProperty(k, v);
      });
    },
    themes[options.theme ?? 'dark'],
  );
  await page.goto(`${ORIGIN}/index.html`);
  return wp;
}

/** Replies to a request the way PanelHost does. */
export function reply(seq: number, result: unknown): HostToWebview {
  return { kind: 'reply', seq, ok: true, result };
}
