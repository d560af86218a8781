// What `npm test` runs after scripts/setup.sh: builds once, then runs every suite in order
// and prints one summary line per suite and a final 'N passed, N failed' line.
//   node scripts/test-all.js                    all suites
//   node scripts/test-all.js --only unit,host   some suites
//   node scripts/test-all.js --no-build         reuse dist/ and out/
// A suite fails when any of its tests fails or when it ran no test.
// GRPO_LENS_PYTHON picks the trainer's interpreter (default /usr/bin/python3).
const { spawn } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const root = path.resolve(__dirname, '..');
const python = process.env.GRPO_LENS_PYTHON || '/usr/bin/python3';
const bin = (name) => path.join(root, 'node_modules', '.bin', name);
const mochaBin = path.join(root, 'node_modules', 'mocha', 'bin', 'mocha.js');
const outputDir = path.join(root, '.test-output');
const SUITES = ['lint', 'unit', 'trainer', 'browser', 'host', 'ui'];

function parseArgs(argv) {
  const args = { only: SUITES, build: true };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--only' || a.startsWith('--only=')) {
      const list = a.includes('=') ? a.slice(7) : argv[++i];
      args.only = (list || '')
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
      const unknown = args.only.filter((s) => !SUITES.includes(s));
      if (unknown.length)
        throw new Error(`unknown suite(s): ${unknown.join(', ')}; known: ${SUITES.join(', ')}`);
    } else if (a === '--no-build') args.build = false;
    else
      throw new Error(
        `unknown argument ${a}. Usage: node scripts/test-all.js [--only ${SUITES.join(',')}] [--no-build]`,
      );
  }
  return args;
}

/** Runs a command with inherited output; resolves with its exit code. */
function run(cmd, args, options = {}) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, {
      cwd: root,
      stdio: 'inherit',
      ...options,
      env: { ...process.env, ...options.env },
    });
    child.on('error', (err) => {
      console.error(`[test-all] could not start ${cmd}: ${err.message}`);
      resolve(127);
    });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
}

function tempFile(name) {
  fs.mkdirSync(outputDir, { recursive: true });
  const file = path.join(outputDir, `${name}-${process.pid}.json`);
  fs.rmSync(file, { force: true });
  return file;
}

function readCounts(file) {
  try {
    const c = JSON.parse(fs.readFileSync(file, 'utf8'));
    fs.rmSync(file, { force: true });
    return { passed: c.passed || 0, failed: c.failed || 0, skipped: c.pending || c.skipped || 0 };
  } catch {
    return undefined;
  }
}

/** Compiled test files (relative to the repository) under out/test/<kind>. */
function compiledTests(kind) {
  const dir = path.join(root, 'out', 'test', kind);
  const found = [];
  const walk = (d) => {
    if (!fs.existsSync(d)) return;
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, e.name);
      if (e.isDirectory()) walk(full);
      else if (e.name.endsWith('.test.js')) found.push(path.relative(root, full));
    }
  };
  walk(dir);
  return found.sort();
}

async function mochaSuite(kind, timeoutMs) {
  const files = compiledTests(kind);
  if (files.length === 0) return { passed: 0, failed: 0, skipped: 0, note: `no test files in test/${kind}/` };
  const resultFile = tempFile(`mocha-${kind}`);
  const code = await run(
    process.execPath,
    [
      mochaBin,
      '--reporter',
      path.join(__dirname, 'mocha-reporter.js'),
      '--timeout',
      String(timeoutMs),
      ...files,
    ],
    { env: { GRPO_LENS_MOCHA_RESULT: resultFile } },
  );
  return countsOf(resultFile, code, 'mocha reported nothing');
}

/** A suite's counts from its result file; a non-zero exit with no failure counted is one failure. */
function countsOf(resultFile, code, silentNote) {
  const counts = readCounts(resultFile) ?? { passed: 0, failed: 0, skipped: 0, note: silentNote };
  if (code !== 0 && counts.failed === 0) counts.failed = 1;
  return counts;
}

// undefined until the build ran tsc; with --no-build the lint suite type-checks on its own.
const build = { tscErrors: undefined };

/** Source folders that hold something to lint (ESLint refuses a folder with nothing in it). */
function lintTargets() {
  return ['src', 'webview', 'test', 'bench', 'scripts'].filter((d) => {
    const dir = path.join(root, d);
    return (
      fs.existsSync(dir) && fs.readdirSync(dir, { recursive: true }).some((f) => /\.(ts|js)$/.test(String(f)))
    );
  });
}

const suites = {
  async lint() {
    const checks = [
      [
        'tsc',
        () =>
          build.tscErrors === undefined
            ? run(bin('tsc'), ['-p', 'tsconfig.test.json', '--noEmit', '--pretty', 'false'])
            : Promise.resolve(build.tscErrors ? 1 : 0),
      ],
      [
        'eslint',
        () => run(bin('eslint'), ['--no-error-on-unmatched-pattern', ...lintTargets(), 'eslint.config.js']),
      ],
      [
        'prettier',
        () =>
          run(bin('prettier'), [
            '--check',
            '--log-level',
            'warn',
            '{src,webview,test,bench,scripts}/**/*.{ts,js}',
            'eslint.config.js',
          ]),
      ],
      [
        'flake8',
        () =>
          run(python, [
            '-m',
            'flake8',
            '--max-line-length',
            '110',
            '--exclude',
            '__pycache__,.pytest_cache',
            'trainer',
          ]),
      ],
    ];
    const counts = { passed: 0, failed: 0, skipped: 0 };
    for (const [name, check] of checks) {
      const code = await check();
      console.log(`[lint] ${name}: ${code === 0 ? 'ok' : `FAILED (exit ${code})`}`);
      counts[code === 0 ? 'passed' : 'failed']++;
    }
    return counts;
  },

  unit: () => mochaSuite('unit', 10_000),

  async trainer() {
    const tests = path.join(root, 'trainer', 'tests');
    if (!fs.existsSync(tests)) return { passed: 0, failed: 0, skipped: 0, note: 'no trainer/tests/' };
    const junit = path.join(outputDir, `pytest-${process.pid}.xml`);
    fs.mkdirSync(outputDir, { recursive: true });
    const pythonPath = [path.join(root, 'trainer'), process.env.PYTHONPATH]
      .filter(Boolean)
      .join(path.delimiter);
    const code = await run(
      python,
      ['-m', 'pytest', 'trainer/tests', '-q', '-p', 'no:cacheprovider', `--junitxml=${junit}`],
      {
        env: { PYTHONPATH: pythonPath, PYTHONDONTWRITEBYTECODE: '1' },
      },
    );
    let xml = '';
    try {
      xml = fs.readFileSync(junit, 'utf8');
      fs.rmSync(junit, { force: true });
    } catch {
      // pytest crashed before writing it
    }
    const counts = { passed: 0, failed: 0, skipped: 0 };
    for (const m of xml.matchAll(/<testsuite\b([^>]*)>/g)) {
      const attr = (name) => Number((new RegExp(`\\b${name}="(\\d+)"`).exec(m[1]) || [])[1] || 0);
      const failed = attr('failures') + attr('errors');
      counts.failed += failed;
      counts.skipped += attr('skipped');
      counts.passed += attr('tests') - failed - attr('skipped');
    }
    if (code !== 0 && code !== 5 && counts.failed === 0) counts.failed = 1;
    return counts;
  },

  browser: () => mochaSuite('browser', 60_000),

  async host() {
    if (compiledTests('suite').length === 0)
      return { passed: 0, failed: 0, skipped: 0, note: 'no test files in test/suite/' };
    const resultFile = tempFile('host');
    const code = await run(process.execPath, [
      path.join(root, 'out', 'test', 'harness', 'runHost.js'),
      '--result-file',
      resultFile,
    ]);
    return countsOf(resultFile, code, 'the host runner reported nothing');
  },

  ui: () => mochaSuite('ui', 180_000),
};

async function buildOnce() {
  console.log('\n=== build: esbuild + tsc -p tsconfig.test.json ===');
  const esbuildCode = await run(process.execPath, [path.join(root, 'esbuild.js')]);
  if (esbuildCode !== 0) throw new Error(`esbuild failed (exit ${esbuildCode})`);
  // tsc emits even with type errors; those fail the lint suite rather than every suite.
  const tscCode = await run(bin('tsc'), ['-p', 'tsconfig.test.json', '--pretty', 'false']);
  build.tscErrors = tscCode !== 0;
  removeStaleOutputs(path.join(root, 'out'));
  if (build.tscErrors) console.log('[build] tsc reported type errors (counted in the lint suite)');
}

// Deletes out/.../x.js whose x.ts is gone, so a deleted test does not keep running.
function removeStaleOutputs(dir) {
  if (!fs.existsSync(dir)) return;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) removeStaleOutputs(full);
    else if (/\.js(\.map)?$/.test(e.name)) {
      const source = path
        .join(root, path.relative(path.join(root, 'out'), full))
        .replace(/\.js(\.map)?$/, '.ts');
      if (!fs.existsSync(source)) fs.rmSync(full, { force: true });
    }
  }
}

function pad(s, n) {
  return String(s).padEnd(n);
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const started = Date.now();
  if (args.build) await buildOnce();
  const results = [];
  for (const name of SUITES.filter((s) => args.only.includes(s))) {
    console.log(`\n=== ${name} ===`);
    const t0 = Date.now();
    let counts;
    try {
      counts = await suites[name]();
    } catch (err) {
      console.error(`[test-all] ${name} crashed: ${err && err.stack ? err.stack : err}`);
      counts = { passed: 0, failed: 1, skipped: 0, note: 'crashed' };
    }
    const ranNone = counts.passed + counts.failed === 0;
    const ok = counts.failed === 0 && !ranNone;
    results.push({ name, ...counts, ok, ranNone, seconds: (Date.now() - t0) / 1000 });
  }

  console.log('\n=== summary ===');
  for (const r of results) {
    const status = r.ok ? 'PASS' : r.ranNone ? 'FAIL (ran no test)' : 'FAIL';
    const note = r.note ? `  [${r.note}]` : '';
    console.log(
      `${pad(r.name, 8)} ${pad(status, 19)} ${r.passed} passed, ${r.failed} failed, ${r.skipped} skipped  ` +
        `(${r.seconds.toFixed(1)} s)${note}`,
    );
  }
  // A suite that ran nothing counts as one failure in the totals too.
  const passed = results.reduce((n, r) => n + r.passed, 0);
  const failed = results.reduce((n, r) => n + r.failed + (r.ranNone ? 1 : 0), 0);
  console.log(`total: ${((Date.now() - started) / 1000).toFixed(1)} s on ${os.cpus().length} cores`);
  console.log(`${passed} passed, ${failed} failed`);
  return results.every((r) => r.ok) ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(`[test-all] ERROR: ${err && err.message ? err.message : err}`);
    console.log('0 passed, 1 failed');
    process.exit(1);
  },
);
