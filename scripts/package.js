// Builds a platform-specific VSIX: `npm run package [-- --target <target>]`.
// The bundle keeps onnxruntime-node external (it is a native module), so the VSIX carries
// node_modules/onnxruntime-node with the native binary of the target platform only.
// Targets: linux-x64 (default), linux-arm64, darwin-arm64, win32-x64, win32-arm64.
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');
// vsce target -> onnxruntime-node's folder bin/napi-vN/<os>/<arch>.
const TARGETS = {
  'linux-x64': 'linux/x64',
  'linux-arm64': 'linux/arm64',
  'darwin-arm64': 'darwin/arm64',
  'win32-x64': 'win32/x64',
  'win32-arm64': 'win32/arm64',
};
const BINARY_LINE = /^!node_modules\/onnxruntime-node\/bin\/napi-v\*\/[^/]+\/[^/]+\/\*\*$/m;

function parseTarget(argv) {
  let target = process.env.npm_config_target || 'linux-x64';
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--target') target = argv[++i];
    else if (argv[i].startsWith('--target=')) target = argv[i].slice('--target='.length);
    else if (!argv[i].startsWith('-')) target = argv[i];
  }
  if (!TARGETS[target]) {
    throw new Error(`unknown target '${target}'. Use one of: ${Object.keys(TARGETS).join(', ')}`);
  }
  return target;
}

function step(cmd, args) {
  const show = (a) =>
    a.startsWith(root + path.sep) ? path.relative(root, a) : a === process.execPath ? 'node' : a;
  console.log(`[package] ${[cmd, ...args].map(show).join(' ')}`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`${path.basename(cmd)} failed (exit ${r.status})`);
}

function zipEntries(file) {
  const r = spawnSync(
    '/usr/bin/python3',
    ['-c', 'import json,sys,zipfile; print(json.dumps(zipfile.ZipFile(sys.argv[1]).namelist()))', file],
    { encoding: 'utf8' },
  );
  if (r.status !== 0) return undefined; // no python: skip the check
  return JSON.parse(r.stdout);
}

/** Fails when the VSIX lacks something the extension needs or carries what it must not. */
function verify(file, target) {
  const entries = zipEntries(file);
  if (!entries) return console.log('[package] (python3 missing: contents not checked)');
  const has = (re) => entries.some((e) => re.test(e));
  const platform = TARGETS[target];
  const problems = [];
  if (!has(/^extension\/dist\/extension\.js$/)) problems.push('dist/extension.js is missing');
  if (!has(/^extension\/trainer\/grpo_lens\/__main__\.py$/)) problems.push('trainer/grpo_lens is missing');
  if (!has(/^extension\/trainer\/grpo_lens\/config\.schema\.json$/))
    problems.push('config.schema.json is missing');
  if (
    !has(
      new RegExp(
        `^extension/node_modules/onnxruntime-node/bin/napi-v\\d+/${platform}/onnxruntime_binding\\.node$`,
      ),
    )
  )
    problems.push(`the ${platform} onnxruntime binding is missing`);
  if (!has(/^extension\/node_modules\/onnxruntime-common\/dist\/cjs\/index\.js$/))
    problems.push('onnxruntime-common');
  const others = entries.filter((e) => /onnxruntime-node\/bin\//.test(e) && !e.includes(`/${platform}/`));
  if (others.length) problems.push(`other platforms' binaries: ${others.slice(0, 3).join(', ')}`);
  const leaked = entries.filter((e) =>
    /^extension\/(src|test|out|webview|scripts|bench|docs|\.cache|\.demo|trainer\/tests)\//.test(e),
  );
  if (leaked.length) problems.push(`sources or tests leaked: ${leaked.slice(0, 3).join(', ')}`);
  if (!has(/^extension\/node_modules\/onnxruntime-common\/dist\/cjs\/package\.json$/))
    problems.push('onnxruntime-common/dist/cjs/package.json (marks it CommonJS)');
  if (problems.length) throw new Error(`the VSIX is wrong:\n  ${problems.join('\n  ')}`);
  console.log(`[package] checked: ${entries.length} files, ${platform} binary only, trainer included`);
}

/** On the build's own platform: unpack the VSIX and load onnxruntime-node from it. */
function loadsOnnxRuntime(file) {
  const dir = fs.mkdtempSync(path.join(require('os').tmpdir(), 'grpo-lens-vsix-'));
  try {
    const unzip = spawnSync('/usr/bin/python3', ['-m', 'zipfile', '-e', file, dir]);
    if (unzip.status !== 0) return;
    const ort = path.join(dir, 'extension', 'node_modules', 'onnxruntime-node');
    const r = spawnSync(process.execPath, ['-e', `require(${JSON.stringify(ort)}).InferenceSession`], {
      encoding: 'utf8',
    });
    if (r.status !== 0) throw new Error(`onnxruntime-node does not load from the VSIX:\n${r.stderr}`);
    console.log('[package] checked: onnxruntime-node loads from the unpacked VSIX');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function main() {
  const target = parseTarget(process.argv.slice(2));
  const { version, name } = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  const ignore = fs.readFileSync(path.join(root, '.vscodeignore'), 'utf8');
  if (!BINARY_LINE.test(ignore))
    throw new Error('.vscodeignore has no onnxruntime-node binary line to retarget');
  const ignoreFile = path.join(root, '.cache', `vscodeignore-${target}`);
  fs.mkdirSync(path.dirname(ignoreFile), { recursive: true });
  fs.writeFileSync(
    ignoreFile,
    ignore.replace(BINARY_LINE, `!node_modules/onnxruntime-node/bin/napi-v*/${TARGETS[target]}/**`),
  );
  const out = path.join(root, `${name}-${version}-${target}.vsix`);

  step(process.execPath, [path.join(root, 'esbuild.js'), '--production']);
  // Not --no-dependencies: with it vsce never looks inside node_modules at all, and the
  // VSIX would lack onnxruntime-node. With dependency detection on, .vscodeignore lets in
  // only onnxruntime-node (+ onnxruntime-common) from node_modules.
  step(process.execPath, [
    path.join(root, 'node_modules', '@vscode', 'vsce', 'vsce'),
    'package',
    '--target',
    target,
    '--ignoreFile',
    ignoreFile,
    '--allow-missing-repository',
    // README links point into this repository, which has no public URL to rewrite them to.
    '--no-rewrite-relative-links',
    '--out',
    out,
  ]);
  verify(out, target);
  if (target === `${process.platform}-${process.arch}`) loadsOnnxRuntime(out);
  const mb = (fs.statSync(out).size / 1024 / 1024).toFixed(1);
  console.log(`[package] ${path.relative(root, out)} (${mb} MB)`);
}

try {
  main();
} catch (err) {
  console.error(`[package] ERROR: ${err.message}`);
  process.exit(1);
}
