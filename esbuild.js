// Bundles the extension host (Node, CommonJS), the grpo-lens command line (Node,
// CommonJS) and each webview app (browser, IIFE).
// Usage: node esbuild.js [--watch] [--production]
const esbuild = require('esbuild');
const fs = require('fs');
const path = require('path');

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const root = __dirname;

/** Webview apps live in webview/<app>/main.ts and bundle to dist/webview/<app>.js. */
function webviewEntries() {
  const dir = path.join(root, 'webview');
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((name) => fs.existsSync(path.join(dir, name, 'main.ts')))
    .map((name) => ({ in: path.join(dir, name, 'main.ts'), out: name }));
}

/** Worker threads of the extension host: src/**\/*.worker.ts bundle to dist/<name>.worker.js. */
function workerEntries(dir = path.join(root, 'src')) {
  const found = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) found.push(...workerEntries(full));
    else if (entry.name.endsWith('.worker.ts'))
      found.push({ in: full, out: entry.name.replace(/\.ts$/, '') });
  }
  return found;
}

/** Codicons ship with the extension so webviews need nothing from the network. */
function copyCodicons() {
  const from = path.join(root, 'node_modules', '@vscode', 'codicons', 'dist');
  const to = path.join(root, 'dist', 'codicons');
  if (!fs.existsSync(from)) return;
  fs.mkdirSync(to, { recursive: true });
  for (const file of ['codicon.css', 'codicon.ttf'])
    fs.copyFileSync(path.join(from, file), path.join(to, file));
}

const common = {
  bundle: true,
  minify: production,
  sourcemap: production ? false : 'linked',
  logLevel: 'info',
  legalComments: 'none',
};

/** The extension host and the command line: Node bundles in dist/. */
const nodeBundle = {
  ...common,
  outdir: path.join(root, 'dist'),
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  // jsonc-parser's UMD build (its "main") requires files dynamically, which a bundle
  // cannot follow; its ES module build bundles cleanly.
  mainFields: ['module', 'main'],
  external: ['vscode', 'onnxruntime-node'],
};

const builds = [
  {
    ...nodeBundle,
    entryPoints: [{ in: path.join(root, 'src', 'extension.ts'), out: 'extension' }, ...workerEntries()],
  },
  {
    // The grpo-lens command line: the run readers without the extension host. Neither
    // vscode nor onnxruntime-node may be reached from it; kept external like the
    // extension's so that a stray import shows as a require in the bundle, which
    // test/unit/cli checks, instead of being bundled.
    ...nodeBundle,
    entryPoints: [{ in: path.join(root, 'src', 'cli', 'main.ts'), out: 'cli' }],
    banner: { js: '#!/usr/bin/env node' },
  },
  {
    ...common,
    entryPoints: webviewEntries(),
    outdir: path.join(root, 'dist', 'webview'),
    platform: 'browser',
    format: 'iife',
    target: 'chrome120',
    loader: { '.ttf': 'file' },
  },
].filter((b) => b.entryPoints.length > 0);

async function main() {
  copyCodicons();
  if (watch) {
    for (const b of builds) await (await esbuild.context(b)).watch();
    console.log('[esbuild] watching for changes');
    return;
  }
  await Promise.all(builds.map((b) => esbuild.build(b)));
  // npm link and npm install make a bin executable; a clone's ./dist/cli.js should be too.
  fs.chmodSync(path.join(root, 'dist', 'cli.js'), 0o755);
}

main().catch((err) => {
  console.error(err.message || err);
  process.exit(1);
});
