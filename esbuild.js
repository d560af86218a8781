// Bundles the extension host (Node, CommonJS) and each webview app (browser, IIFE).
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

const builds = [
  {
    ...common,
    entryPoints: [{ in: path.join(root, 'src', 'extension.ts'), out: 'extension' }, ...workerEntries()],
    outdir: path.join(root, 'dist'),
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    // jsonc-parser's UMD build (its "main") requires files dynamically, which a bundle
    // cannot follow; its ES module build bundles cleanly.
    mainFields: ['module', 'main'],
    external: ['vscode', 'onnxruntime-node'],
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
}

main().catch((err) => {
  console.error(err.message || err);
  process.exit(1);
});
