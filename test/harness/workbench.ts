// Opens the code-server workbench in headless Chromium with GRPO Lens loaded from this
// repository (extensionDevelopmentPath), optionally running an integration suite inside
// its extension host (extensionTestsPath). The exit code comes from the workbench itself
// (window.codeAutomationExit), never from the server log.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as util from 'util';
import { Browser, Page, chromium } from 'playwright-core';
import { CodeServer, startCodeServer } from './codeServer';
import { chromiumArgs, chromiumPathOrThrow } from './browser';
import { repoRoot, screenshotDir } from './paths';
import { makeWorkspace, writeWorkspaceSettings } from './workspace';

export interface WorkbenchOptions {
  /** Folder to open; default a fresh temp workspace. A folder inside the repository is copied first. */
  workspace?: string;
  /** false opens the workspace in Restricted Mode (workspace trust on, not trusted). Default true. */
  trusted?: boolean;
  /** Workspace settings merged into <workspace>/.vscode/settings.json (pythonPath is set by default). */
  settings?: Record<string, unknown>;
  /** User settings. */
  userSettings?: Record<string, unknown>;
  /** Environment of code-server and so of the extension host. */
  env?: Record<string, string>;
  /** Absolute path of a compiled mocha run() module to run in the extension host. */
  extensionTestsPath?: string;
  /** Install this VSIX first (then pass loadExtension: false to test the package alone). */
  vsix?: string;
  /** Load GRPO Lens from this repository. Default true. */
  loadExtension?: boolean;
  viewport?: { width: number; height: number };
  /** Called with each console line of the extension host; default prints it. */
  onLog?: (line: string) => void;
}

export interface Workbench {
  page: Page;
  browser: Browser;
  server: CodeServer;
  /** The URL the page was opened at. */
  url: string;
  workspace: string;
  /** Console lines forwarded from the extension host so far. */
  logs: string[];
  /** Resolves with the code the workbench passes to codeAutomationExit (tests finished). */
  exited: Promise<number>;
  /** Saves .test-output/screenshots/<name>.png and returns its path. */
  screenshot(name: string): Promise<string>;
  close(): Promise<void>;
}

function prepareWorkspace(options: WorkbenchOptions): string {
  let workspace = options.workspace;
  if (!workspace) return makeWorkspace({ settings: options.settings });
  workspace = path.resolve(workspace);
  if (!path.relative(repoRoot, workspace).startsWith('..')) {
    // Never write .vscode/ or runs into a fixture that is checked in.
    workspace = makeWorkspace({ from: workspace, settings: options.settings });
  } else {
    writeWorkspaceSettings(workspace, options.settings);
  }
  return workspace;
}

/** Workbench chatter forwarded with the extension host's console; shown only with GRPO_LENS_DEBUG. */
const noise = [
  /^Resolv(ing|ed) connection token/,
  /^Creating a socket/,
  /^Ignoring fetching additional builtin extensions/,
  /^Updating additional builtin extensions cache/,
  /^\[Service Worker\]/,
  /^ChatSessionStore:/,
];

function formatArgs(args: unknown): string {
  if (Array.isArray(args)) return util.format(...args);
  return util.format(args);
}

export async function launchWorkbench(options: WorkbenchOptions = {}): Promise<Workbench> {
  const workspace = prepareWorkspace(options);
  const server = await startCodeServer({
    workspace,
    trusted: options.trusted ?? true,
    env: options.env,
    userSettings: options.userSettings,
    vsix: options.vsix,
  });
  let browser: Browser | undefined;
  try {
    browser = await chromium.launch({ executablePath: chromiumPathOrThrow(), args: chromiumArgs });
    const context = await browser.newContext({ viewport: options.viewport ?? { width: 1400, height: 900 } });
    const page = await context.newPage();
    const logs: string[] = [];
    const onLog =
      options.onLog ??
      ((line: string) => {
        if (process.env.GRPO_LENS_DEBUG || !noise.some((re) => re.test(line))) console.log(line);
      });
    let resolveExit: (code: number) => void = () => undefined;
    const exited = new Promise<number>((resolve) => (resolveExit = resolve));
    // Both must exist before the workbench loads: it looks for them once.
    await page.exposeFunction('codeAutomationLog', (type: string, args: unknown) => {
      const line = formatArgs(args);
      logs.push(line);
      onLog(type === 'error' ? `[error] ${line}` : line);
    });
    await page.exposeFunction('codeAutomationExit', (code: number) => resolveExit(Number(code)));
    if (process.env.GRPO_LENS_DEBUG) {
      page.on('console', (msg) => console.log(`[browser ${msg.type()}] ${msg.text()}`));
      page.on('pageerror', (err) => console.log(`[browser pageerror] ${err.message}`));
    }

    const payload: [string, string][] = [];
    if (options.loadExtension ?? true) {
      payload.push(['extensionDevelopmentPath', `${server.remoteAuthority}${repoRoot}`]);
    }
    if (options.extensionTestsPath) {
      payload.push(['extensionTestsPath', `${server.remoteAuthority}${options.extensionTestsPath}`]);
    }
    const query = new URLSearchParams({ folder: workspace });
    if (payload.length) query.set('payload', JSON.stringify(payload));
    const url = `${server.baseUrl}/?${query.toString()}`;
    await page.goto(url, { waitUntil: 'domcontentloaded' });

    const openBrowser = browser;
    return {
      page,
      browser,
      server,
      url,
      workspace,
      logs,
      exited,
      async screenshot(name: string) {
        fs.mkdirSync(screenshotDir, { recursive: true });
        const file = path.join(screenshotDir, `${name.replace(/[^\w.-]+/g, '-')}.png`);
        await page.screenshot({ path: file });
        return file;
      },
      async close() {
        await openBrowser.close().catch(() => undefined);
        await server.close();
      },
    };
  } catch (err) {
    await browser?.close().catch(() => undefined);
    await server.close();
    throw err;
  }
}

export interface HostSuiteOptions {
  /** Folder to open; default a fresh temp workspace (with .vscode/settings.json). */
  workspace?: string;
  /** Default true; false runs in Restricted Mode. */
  trusted?: boolean;
  /** Glob of test files relative to out/test/suite (e.g. '**\/runs.test.js'). */
  testsGlob?: string;
  /** Exact test files (relative to out/test/suite or absolute); wins over testsGlob. */
  files?: string[];
  /** mocha --grep inside the extension host. */
  grep?: string;
  env?: Record<string, string>;
  settings?: Record<string, unknown>;
  userSettings?: Record<string, unknown>;
  /** Whole-run limit; default 240 s (GRPO_LENS_HOST_TIMEOUT_MS). */
  timeoutMs?: number;
  /** Name used for the failure screenshot and log lines. */
  label?: string;
  onLog?: (line: string) => void;
}

export interface HostSuiteResult {
  exitCode: number;
  passed: number;
  failed: number;
  pending: number;
  durationMs: number;
  logs: string[];
  workspace: string;
}

interface SuiteCounts {
  passed: number;
  failed: number;
  pending: number;
}

/** Runs out/test/suite/index.js's run() inside code-server's extension host. */
export async function runHostSuite(options: HostSuiteOptions = {}): Promise<HostSuiteResult> {
  const started = Date.now();
  const resultFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'grpo-lens-result-')), 'result.json');
  const env: Record<string, string> = { ...options.env, GRPO_LENS_TEST_RESULT_FILE: resultFile };
  if (options.files) env.GRPO_LENS_TEST_FILES = JSON.stringify(options.files);
  else if (options.testsGlob) env.GRPO_LENS_TEST_GLOB = options.testsGlob;
  if (options.grep) env.GRPO_LENS_TEST_GREP = options.grep;
  const timeoutMs = options.timeoutMs ?? Number(process.env.GRPO_LENS_HOST_TIMEOUT_MS ?? 240_000);

  const workbench = await launchWorkbench({
    workspace: options.workspace,
    trusted: options.trusted,
    settings: options.settings,
    userSettings: options.userSettings,
    env,
    extensionTestsPath: path.join(repoRoot, 'out', 'test', 'suite', 'index'),
    onLog: options.onLog,
  });
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<number>((resolve) => (timer = setTimeout(() => resolve(124), timeoutMs)));
  let exitCode: number;
  try {
    exitCode = await Promise.race([workbench.exited, timedOut]);
    if (exitCode === 124) {
      console.error(`[harness] host suite ${options.label ?? ''} timed out after ${timeoutMs} ms`);
    }
    if (exitCode !== 0) {
      const shot = await workbench.screenshot(`host-${options.label ?? 'suite'}-failure`).catch(() => '');
      if (shot) console.error(`[harness] screenshot of the workbench: ${path.relative(repoRoot, shot)}`);
      printExtensionLog(workbench.server.tempDir);
    }
  } finally {
    clearTimeout(timer);
    await workbench.close();
  }
  let counts: SuiteCounts = { passed: 0, failed: 0, pending: 0 };
  try {
    counts = JSON.parse(fs.readFileSync(resultFile, 'utf8')) as SuiteCounts;
  } catch {
    // The suite never reported (crash, timeout, no tests): count the launch as one failure.
    if (exitCode !== 0) counts.failed = 1;
  }
  fs.rmSync(path.dirname(resultFile), { recursive: true, force: true });
  if (exitCode !== 0 && counts.failed === 0) counts.failed = 1;
  return {
    exitCode,
    ...counts,
    durationMs: Date.now() - started,
    logs: workbench.logs,
    workspace: workbench.workspace,
  };
}

/** The end of the extension's own log ("GRPO Lens" output channel): what a failure in CI left. */
function printExtensionLog(tempDir: string, lines = 60): void {
  const found: string[] = [];
  const walk = (dir: string, depth: number) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory() && depth < 6) walk(full, depth + 1);
      else if (/GRPO Lens\.log$/.test(entry.name)) found.push(full);
    }
  };
  try {
    walk(path.join(tempDir, 'user', 'logs'), 0);
  } catch {
    return;
  }
  for (const file of found) {
    const tail = fs.readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
    console.error(`[harness] the end of ${path.basename(file)}:\n${tail}`);
  }
}
