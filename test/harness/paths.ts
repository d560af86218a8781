// Where things are: the repository, the code-server build, the outputs of a test run.
import * as path from 'path';

/** The repository root (this file compiles to out/test/harness/paths.js). */
export const repoRoot = path.resolve(__dirname, '..', '..', '..');

export const codeServerVersion = '4.100.3';

/** code-server as scripts/setup.sh builds it; GRPO_LENS_CODE_SERVER points elsewhere. */
export const codeServerDir =
  process.env.GRPO_LENS_CODE_SERVER ?? path.join(repoRoot, '.cache', `code-server-${codeServerVersion}`);

/** Git-ignored outputs of test runs: screenshots/, logs/. */
export const testOutputDir = path.join(repoRoot, '.test-output');
export const screenshotDir = path.join(testOutputDir, 'screenshots');
export const logDir = path.join(testOutputDir, 'logs');

/** The compiled integration suite (what extensionTestsPath points at). */
export const suiteDir = path.join(repoRoot, 'out', 'test', 'suite');

export const chromiumPath = process.env.GRPO_LENS_CHROMIUM ?? '/usr/bin/chromium';
export const pythonPath = process.env.GRPO_LENS_PYTHON ?? '/usr/bin/python3';
