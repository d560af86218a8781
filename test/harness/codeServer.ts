// Starts a throw-away code-server: its own config, user data, extensions and XDG folders
// under a temp dir, no marketplace, a free port; killed (whole process group) on close
// and when this Node process exits.
import { ChildProcess, spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { codeServerDir, logDir } from './paths';

export interface CodeServerOptions {
  /** The folder to open. */
  workspace: string;
  /** false keeps workspace trust on, so the workspace opens in Restricted Mode. Default true. */
  trusted?: boolean;
  /** Extra environment for the server (and so for the extension host). */
  env?: Record<string, string>;
  /** User settings (User/settings.json). */
  userSettings?: Record<string, unknown>;
  /** A fixed port; default a free one. */
  port?: number;
  /** Bind address; default 127.0.0.1. */
  host?: string;
  /** A VSIX to install into the throw-away extensions dir before starting. */
  vsix?: string;
  /** Keep the temp dir after close (for debugging). */
  keepTemp?: boolean;
}

export interface CodeServer {
  port: number;
  /** http://127.0.0.1:PORT */
  baseUrl: string;
  /** vscode-remote://127.0.0.1:PORT — prefix for paths on this machine in payloads. */
  remoteAuthority: string;
  tempDir: string;
  logFile: string;
  process: ChildProcess;
  /** Last lines the server printed (for error messages). */
  logTail(lines?: number): string;
  close(): Promise<void>;
}

/** User settings that keep the workbench quiet and offline. */
export const quietUserSettings: Record<string, unknown> = {
  'workbench.startupEditor': 'none',
  // GRPO Lens's walkthrough opens once on a fresh profile; only its own UI test wants that.
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'git.enabled': false,
  'security.workspace.trust.startupPrompt': 'never',
  'security.workspace.trust.banner': 'never',
  'security.workspace.trust.emptyWindow': false,
  'chat.disableAIFeatures': true,
};

const running = new Set<ChildProcess>();
let exitHookInstalled = false;

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => running.forEach((child) => killGroup(child, 'SIGKILL')));
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    const onSignal = (): void => {
      running.forEach((child) => killGroup(child, 'SIGKILL'));
      // Exit as the signal would have, unless the program handles the signal itself.
      if (process.listenerCount(signal) === 1) process.exit(128 + (os.constants.signals[signal] ?? 1));
    };
    process.on(signal, onSignal);
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function get(url: string): Promise<number> {
  return new Promise((resolve) => {
    const req = http.get(url, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', () => resolve(0));
    req.setTimeout(2000, () => req.destroy());
  });
}

async function waitForHealthz(server: CodeServer, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (server.process.exitCode !== null) {
      throw new Error(
        `code-server exited with ${server.process.exitCode} before it was ready:\n${server.logTail()}`,
      );
    }
    if ((await get(`${server.baseUrl}/healthz`)) === 200) return;
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`code-server did not answer /healthz within ${timeoutMs} ms:\n${server.logTail()}`);
}

function entryPoint(): string {
  const entry = path.join(codeServerDir, 'out', 'node', 'entry.js');
  if (!fs.existsSync(path.join(codeServerDir, '.grpo-lens-complete')) || !fs.existsSync(entry)) {
    throw new Error(`code-server is not installed at ${codeServerDir}. Run: bash scripts/setup.sh`);
  }
  return entry;
}

let serial = 0;

export async function startCodeServer(options: CodeServerOptions): Promise<CodeServer> {
  const entry = entryPoint();
  const trusted = options.trusted ?? true;
  const host = options.host ?? '127.0.0.1';
  const port = options.port ?? (await freePort());
  const tempDir = fs.mkdtempSync(path.join(os.tmpdir(), 'grpo-lens-cs-'));
  const dirs = Object.fromEntries(
    ['user', 'ext', 'xdg-config', 'xdg-data', 'xdg-cache', 'xdg-runtime'].map((d) => {
      fs.mkdirSync(path.join(tempDir, d), { recursive: true, mode: 0o700 });
      return [d, path.join(tempDir, d)];
    }),
  );
  // The remote extension host reads machine-scoped settings (walkthroughs.openOnInstall is
  // one) from the server's Machine/settings.json, not from User/: write both, or the
  // walkthrough opens in every window and takes the focus from whatever a test is doing.
  for (const scope of ['User', 'Machine']) {
    fs.mkdirSync(path.join(dirs.user, scope), { recursive: true });
    fs.writeFileSync(
      path.join(dirs.user, scope, 'settings.json'),
      JSON.stringify({ ...quietUserSettings, ...options.userSettings }, null, 2),
    );
  }
  const config = path.join(tempDir, 'config.yaml');
  fs.writeFileSync(config, `bind-addr: ${host}:${port}\nauth: none\ncert: false\n`);

  if (options.vsix) {
    const r = spawnSync(
      process.execPath,
      [entry, '--extensions-dir', dirs.ext, '--install-extension', options.vsix],
      {
        encoding: 'utf8',
        env: { ...process.env, EXTENSIONS_GALLERY: '{}', XDG_CONFIG_HOME: dirs['xdg-config'] },
      },
    );
    if (r.status !== 0) throw new Error(`installing ${options.vsix} failed:\n${r.stdout}${r.stderr}`);
  }
  const args = [
    entry,
    '--config',
    config,
    '--user-data-dir',
    dirs.user,
    '--extensions-dir',
    dirs.ext,
    '--bind-addr',
    `${host}:${port}`,
    '--auth',
    'none',
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-getting-started-override',
    ...(trusted ? ['--disable-workspace-trust'] : []),
    options.workspace,
  ];
  fs.mkdirSync(logDir, { recursive: true });
  const logFile = path.join(logDir, `code-server-${process.pid}-${++serial}.log`);
  const log = fs.openSync(logFile, 'w');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    EXTENSIONS_GALLERY: '{}',
    XDG_CONFIG_HOME: dirs['xdg-config'],
    XDG_DATA_HOME: dirs['xdg-data'],
    XDG_CACHE_HOME: dirs['xdg-cache'],
    XDG_RUNTIME_DIR: dirs['xdg-runtime'],
    ...options.env,
  };
  // Variables of an enclosing VS Code would confuse the server.
  for (const key of Object.keys(env))
    if (/^VSCODE_/.test(key) || key === 'ELECTRON_RUN_AS_NODE') delete env[key];
  const child = spawn(process.execPath, args, {
    detached: true, // own process group, so close() reaches the extension host and its children
    stdio: ['ignore', log, log],
    env,
  });
  fs.closeSync(log);
  running.add(child);
  installExitHook();

  const server: CodeServer = {
    port,
    baseUrl: `http://${host}:${port}`,
    remoteAuthority: `vscode-remote://${host}:${port}`,
    tempDir,
    logFile,
    process: child,
    logTail(lines = 40) {
      try {
        return fs.readFileSync(logFile, 'utf8').split('\n').slice(-lines).join('\n');
      } catch {
        return '';
      }
    },
    async close() {
      if (running.has(child)) {
        const exited = new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) resolve();
          else child.once('exit', () => resolve());
        });
        killGroup(child, 'SIGTERM');
        const timer = setTimeout(() => killGroup(child, 'SIGKILL'), 3000);
        await exited;
        clearTimeout(timer);
        killGroup(child, 'SIGKILL'); // stragglers left in the group
        running.delete(child);
      }
      if (!options.keepTemp) fs.rmSync(tempDir, { recursive: true, force: true });
    },
  };
  try {
    await waitForHealthz(server, 60_000);
  } catch (err) {
    await server.close();
    throw err;
  }
  return server;
}
