// Entry of the integration suite inside a VS Code extension host: the mocha run() that
// code-server (test/harness) and @vscode/test-electron (scripts/test-electron.js) call.
// Which files run is chosen by environment variables, so that one launch per workspace
// and trust state can run its own files (see test/harness/README.md):
//   GRPO_LENS_TEST_FILES  JSON list of files relative to out/test/suite (wins)
//   GRPO_LENS_TEST_GLOB   glob relative to out/test/suite
//   GRPO_LENS_TEST_GREP   mocha grep
// Without them it runs the default launch: every *.test.js that is not untrusted,
// isolated or driven.
import * as fs from 'fs';
import * as path from 'path';
import Mocha from 'mocha';
import { fileTraits, suiteFiles } from '../harness/hostGroups';

function selectFiles(): string[] {
  const dir = __dirname;
  if (process.env.GRPO_LENS_TEST_FILES) {
    return (JSON.parse(process.env.GRPO_LENS_TEST_FILES) as string[]).map((f) => path.resolve(dir, f));
  }
  if (process.env.GRPO_LENS_TEST_GLOB) {
    return suiteFiles(dir, process.env.GRPO_LENS_TEST_GLOB).map((f) => path.join(dir, f));
  }
  return suiteFiles(dir)
    .filter((rel) => {
      const t = fileTraits(rel, dir);
      return t.trusted && !t.isolated && !t.workspaceFrom;
    })
    .map((f) => path.join(dir, f));
}

export function run(): Promise<void> {
  const mocha = new Mocha({
    ui: 'bdd',
    color: false,
    reporter: 'spec',
    timeout: Number(process.env.GRPO_LENS_TEST_TIMEOUT_MS ?? 30_000),
    grep: process.env.GRPO_LENS_TEST_GREP || undefined,
  });
  const files = selectFiles();
  if (files.length === 0) return Promise.reject(new Error('no integration test files matched'));
  for (const file of files) mocha.addFile(file);

  const counts = { passed: 0, failed: 0, pending: 0 };
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      const resultFile = process.env.GRPO_LENS_TEST_RESULT_FILE;
      if (resultFile) fs.writeFileSync(resultFile, JSON.stringify(counts));
      console.log(`[suite] ${counts.passed} passed, ${counts.failed} failed, ${counts.pending} pending`);
      if (failures > 0) reject(new Error(`${failures} integration test(s) failed`));
      else if (counts.passed === 0) reject(new Error('no integration test ran'));
      else resolve();
    });
    runner.on('pass', () => counts.passed++);
    runner.on('fail', () => counts.failed++);
    runner.on('pending', () => counts.pending++);
  });
}
