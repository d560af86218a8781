// `npm run demo`: builds, writes a demo workspace (.demo/workspace) with the CPU demo
// config (reasoning-demo.grpo.json: the tiny model learns two-digit sums with a short
// scratchpad) and a second one to start by hand (battleship.grpo.json), opens VS Code on
// it with GRPO Lens loaded from this repository, and starts a demo run on the first so
// that the run explorer and the dashboard fill live.
//   desktop VS Code when `code` is on PATH, else code-server on http://127.0.0.1:8080
//   (or a free port), whose URL is printed.
// Flags:
//   --no-open        never start desktop VS Code or a browser: code-server only, URL printed
//   --exit-after N   stop after N seconds (for smoke tests); default: run until Ctrl-C
//   --port P         code-server port (default 8080, or a free one when 8080 is taken)
//   --no-build       reuse dist/ and out/
//   --no-run         do not start the demo run
//   --workspace DIR  write the demo workspace there instead of .demo/workspace
// On exit it stops code-server and asks the run to stop (it checkpoints and exits); the
// workspace and the run's files stay in .demo/workspace.
const { spawn, spawnSync } = require('child_process');
const fs = require('fs');
const net = require('net');
const path = require('path');

const root = path.resolve(__dirname, '..');
let workspace = path.join(root, '.demo', 'workspace');
const python = process.env.GRPO_LENS_PYTHON || '/usr/bin/python3';
const DEMO_CONFIG = 'reasoning-demo.grpo.json';

function parseArgs(argv) {
  const args = { open: true, exitAfter: 0, port: 0, build: true, run: true };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--no-open') args.open = false;
    else if (a === '--exit-after') args.exitAfter = Number(argv[++i]);
    else if (a === '--port') args.port = Number(argv[++i]);
    else if (a === '--no-build') args.build = false;
    else if (a === '--no-run') args.run = false;
    else if (a === '--workspace') workspace = path.resolve(argv[++i]);
    else throw new Error(`unknown argument ${a}`);
  }
  return args;
}

const say = (msg) => console.log(`[demo] ${msg}`);
/** A path as the user can find it: relative inside the repository, else absolute. */
const shown = (p) => (p.startsWith(root + path.sep) ? path.relative(root, p) : p);

function onPath(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

function build() {
  say('building (esbuild + tsc)');
  for (const [cmd, args] of [
    [process.execPath, [path.join(root, 'esbuild.js')]],
    [path.join(root, 'node_modules', '.bin', 'tsc'), ['-p', 'tsconfig.test.json']],
  ]) {
    const r = spawnSync(cmd, args, { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
    if (r.status !== 0 && cmd === process.execPath) throw new Error('esbuild failed');
  }
}

/** The demo config: the trainer's reasoning demo, else its one-digit demo or test config. */
function demoConfigSource() {
  for (const name of [DEMO_CONFIG, 'tiny-demo.grpo.json', 'tiny-test.grpo.json']) {
    const file = path.join(root, 'trainer', 'configs', name);
    if (fs.existsSync(file)) return file;
  }
  throw new Error(`trainer/configs/${DEMO_CONFIG} is missing`);
}

function writeWorkspace() {
  fs.mkdirSync(path.join(workspace, '.vscode'), { recursive: true });
  const source = demoConfigSource();
  const config = path.join(workspace, path.basename(source));
  fs.copyFileSync(source, config);
  // a second config the user can start: Battleship, an environment (games, not text)
  const battleship = path.join(root, 'trainer', 'configs', 'battleship.grpo.json');
  if (fs.existsSync(battleship)) fs.copyFileSync(battleship, path.join(workspace, 'battleship.grpo.json'));
  if (!source.endsWith(DEMO_CONFIG)) say(`(${DEMO_CONFIG} not found; using ${path.basename(source)})`);
  const settingsFile = path.join(workspace, '.vscode', 'settings.json');
  let settings = {};
  if (fs.existsSync(settingsFile)) settings = JSON.parse(fs.readFileSync(settingsFile, 'utf8'));
  fs.writeFileSync(settingsFile, JSON.stringify({ ...settings, 'grpoLens.pythonPath': python }, null, 2));
  say(`workspace: ${shown(workspace)} (config ${path.basename(config)})`);
  return config;
}

/** Starts the run detached, as the extension does, so it outlives this script. */
function startRun(config) {
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '').replace('T', '-');
  const runDir = path.join(workspace, 'runs', `demo-${stamp}`);
  fs.mkdirSync(runDir, { recursive: true });
  const log = fs.openSync(path.join(runDir, 'train.log'), 'a');
  const child = spawn(python, ['-m', 'grpo_lens', '--config', config, '--run-dir', runDir], {
    cwd: workspace,
    detached: true,
    stdio: ['ignore', log, log],
    env: {
      ...process.env,
      PYTHONPATH: [path.join(root, 'trainer'), process.env.PYTHONPATH].filter(Boolean).join(path.delimiter),
      GRPO_LENS_LOG_REDIRECTED: '1',
    },
  });
  fs.closeSync(log);
  child.unref();
  say(`run started: ${shown(runDir)} (pid ${child.pid}, output in train.log)`);
  return { runDir, pid: child.pid };
}

/** Asks the run to stop through its control mailbox (it checkpoints, then exits). */
function stopRun(run) {
  try {
    process.kill(run.pid, 0);
  } catch {
    return; // already finished
  }
  const command = { id: `demo-stop-${Date.now()}`, command: 'stop', time: new Date().toISOString() };
  fs.appendFileSync(path.join(run.runDir, 'control.jsonl'), `${JSON.stringify(command)}\n`);
  say(`asked the run to stop (pid ${run.pid}); its files stay in ${shown(run.runDir)}`);
}

function portFree(port) {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** The extension opens this run's dashboard when VS Code starts (src/commands/register.ts). */
function openDashboardEnv(run) {
  return run ? { GRPO_LENS_OPEN_DASHBOARD: run.runDir } : {};
}

async function startCodeServer(port, run) {
  const harness = path.join(root, 'out', 'test', 'harness', 'codeServer.js');
  if (!fs.existsSync(harness)) throw new Error('out/test/harness is missing: run without --no-build');
  const { startCodeServer: start, freePort } = require(harness);
  const chosen = port || ((await portFree(8080)) ? 8080 : await freePort());
  const server = await start({ workspace, trusted: true, port: chosen, env: openDashboardEnv(run) });
  const payload = JSON.stringify([['extensionDevelopmentPath', `${server.remoteAuthority}${root}`]]);
  const url = `${server.baseUrl}/?${new URLSearchParams({ folder: workspace, payload })}`;
  say(`code-server is running. Open this URL in a browser:\n\n    ${url}\n`);
  return server;
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  if (args.build) build();
  const config = writeWorkspace();
  const run = args.run ? startRun(config) : undefined;
  let server;
  if (args.open && onPath('code')) {
    say('opening desktop VS Code with GRPO Lens loaded from this repository');
    spawn('code', [`--extensionDevelopmentPath=${root}`, workspace], {
      stdio: 'ignore',
      detached: true,
      env: { ...process.env, ...openDashboardEnv(run) },
    }).unref();
  } else {
    server = await startCodeServer(args.port, run);
    if (args.open && process.env.DISPLAY && onPath('xdg-open')) {
      spawn('xdg-open', [server.baseUrl], { stdio: 'ignore', detached: true }).unref();
    }
  }

  let stopping = false;
  const stop = async (why) => {
    if (stopping) return;
    stopping = true;
    say(`${why}: stopping`);
    if (run) stopRun(run);
    if (server) {
      await server.close();
      say('code-server stopped');
    }
    process.exit(0);
  };
  process.on('SIGINT', () => stop('Ctrl-C'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  if (args.exitAfter > 0) setTimeout(() => stop(`--exit-after ${args.exitAfter}`), args.exitAfter * 1000);
  else say('press Ctrl-C to stop');
}

main().catch((err) => {
  console.error(`[demo] ERROR: ${err && err.message ? err.message : err}`);
  process.exit(1);
});
