// Runs the integration suite (out/test/suite) in desktop VS Code downloaded by
// @vscode/test-electron: the same files, grouped into the same launches as the code-server
// run (test/harness/hostGroups.ts). Needs internet access to download VS Code and, on Linux
// without a display, xvfb-run:  xvfb-run -a npm run test:electron
//   VSCODE_VERSION=1.100.3 (default 'stable')   which VS Code to download
// Build first (npm run test:electron does): node esbuild.js && tsc -p tsconfig.test.json
const { spawn } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { downloadAndUnzipVSCode } = require('@vscode/test-electron');

const root = path.resolve(__dirname, '..');
const harness = path.join(root, 'out', 'test', 'harness');

function requireBuilt(file) {
  const full = path.join(harness, file);
  if (!fs.existsSync(full))
    throw new Error(`${path.relative(root, full)} is missing: run tsc -p tsconfig.test.json`);
  return require(full);
}

/** One VS Code window: the suite's run() with this launch's files; resolves with counts. */
function runLaunch(executable, launch) {
  const { makeWorkspace } = requireBuilt('workspace.js');
  const { quietUserSettings } = requireBuilt('codeServer.js');
  const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'grpo-lens-electron-'));
  const userData = path.join(temp, 'user');
  fs.mkdirSync(path.join(userData, 'User'), { recursive: true });
  fs.writeFileSync(path.join(userData, 'User', 'settings.json'), JSON.stringify(quietUserSettings, null, 2));
  const workspace = makeWorkspace(launch.workspaceFrom ? { from: launch.workspaceFrom } : {});
  const resultFile = path.join(temp, 'result.json');
  // The arguments @vscode/test-electron's runTests passes, except that workspace trust
  // stays on for untrusted launches (runTests always disables it).
  const args = [
    workspace,
    '--no-sandbox',
    '--disable-gpu-sandbox',
    '--disable-updates',
    '--skip-welcome',
    '--skip-release-notes',
    '--disable-extensions',
    ...(launch.trusted ? ['--disable-workspace-trust'] : []),
    `--user-data-dir=${userData}`,
    `--extensions-dir=${path.join(temp, 'ext')}`,
    `--extensionDevelopmentPath=${root}`,
    `--extensionTestsPath=${path.join(root, 'out', 'test', 'suite', 'index')}`,
  ];
  const env = {
    ...process.env,
    GRPO_LENS_TEST_FILES: JSON.stringify(launch.files),
    GRPO_LENS_TEST_RESULT_FILE: resultFile,
  };
  console.log(`[electron] launch "${launch.label}": ${launch.files.join(', ')}`);
  return new Promise((resolve) => {
    const child = spawn(executable, args, { env, stdio: 'inherit' });
    child.on('exit', (code) => {
      let counts = { passed: 0, failed: 0, pending: 0 };
      try {
        counts = JSON.parse(fs.readFileSync(resultFile, 'utf8'));
      } catch {
        counts.failed = 1;
      }
      if (code !== 0 && counts.failed === 0) counts.failed = 1;
      fs.rmSync(temp, { recursive: true, force: true });
      resolve(counts);
    });
  });
}

async function main() {
  const { planLaunches, suiteFiles } = requireBuilt('hostGroups.js');
  const executable = await downloadAndUnzipVSCode(process.env.VSCODE_VERSION || 'stable');
  const total = { passed: 0, failed: 0, pending: 0 };
  for (const launch of planLaunches(suiteFiles())) {
    const counts = await runLaunch(executable, launch);
    for (const key of Object.keys(total)) total[key] += counts[key] || 0;
  }
  console.log(`${total.passed} passed, ${total.failed} failed`);
  return total.failed === 0 && total.passed > 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(`[electron] ERROR: ${err && err.message ? err.message : err}`);
    process.exit(1);
  },
);
