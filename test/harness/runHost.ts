// Runs the whole integration suite in code-server, one launch per workspace/trust group
// (see hostGroups.ts). Usage: node out/test/harness/runHost.js [--result-file F] [glob]
import * as fs from 'fs';
import { planLaunches, suiteFiles } from './hostGroups';
import { runHostSuite } from './workbench';

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const resultAt = args.indexOf('--result-file');
  const resultFile = resultAt >= 0 ? args.splice(resultAt, 2)[1] : undefined;
  const launches = planLaunches(suiteFiles(undefined, args[0] ?? '**/*.test.js'));
  const total = { passed: 0, failed: 0, pending: 0 };
  for (const launch of launches) {
    console.log(
      `[host] launch "${launch.label}" (${launch.trusted ? 'trusted' : 'untrusted'}): ${launch.files.join(', ')}`,
    );
    const result = await runHostSuite({
      label: launch.label,
      trusted: launch.trusted,
      workspace: launch.workspaceFrom,
      files: launch.files,
    });
    console.log(
      `[host] launch "${launch.label}": exit ${result.exitCode}, ${result.passed} passed, ` +
        `${result.failed} failed, ${result.pending} pending (${(result.durationMs / 1000).toFixed(1)} s)`,
    );
    total.passed += result.passed;
    total.failed += result.failed;
    total.pending += result.pending;
  }
  if (resultFile) fs.writeFileSync(resultFile, JSON.stringify(total));
  return total.failed > 0 || total.passed === 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err instanceof Error ? err.stack : err);
    process.exit(1);
  },
);
