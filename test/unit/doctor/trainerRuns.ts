// Real runs of our trainer (the CPU tiny model), provoked to show one problem each,
// for the doctor's tests. Configs are the tiny-test config with a few overrides; the
// test-only rewards are in test/fixtures/doctor/doctor_rewards.py, imported by the
// trainer from its working folder (it looks for "module:function" rewards there).
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { checkConfigText } from '../../../src/trainer/configValidation';
import { examineFoundRun } from '../../../src/cli/doctor';
import { resolveRun } from '../../../src/cli/findRun';
import type { Finding } from '../../../src/doctor/finding';

const ROOT = path.resolve(__dirname, '..', '..', '..', '..');
const PYTHON = process.env.GRPO_LENS_PYTHON || '/usr/bin/python3';
const REWARDS_DIR = path.join(ROOT, 'test', 'fixtures', 'doctor');
const SCHEMA = JSON.parse(
  fs.readFileSync(path.join(ROOT, 'trainer/grpo_lens/config.schema.json'), 'utf8'),
) as object;

/** Whether this machine can run the trainer (PyTorch for the interpreter the tests use). */
export function trainerAvailable(): boolean {
  return spawnSync(PYTHON, ['-c', 'import torch'], { stdio: 'ignore', timeout: 60_000 }).status === 0;
}

export function shippedConfig(name: 'tiny-test' | 'tiny-demo'): Record<string, unknown> {
  const text = fs.readFileSync(path.join(ROOT, 'trainer', 'configs', `${name}.grpo.json`), 'utf8');
  const config = checkConfigText(text, SCHEMA).config as Record<string, unknown>;
  delete config.$schema;
  return config;
}

/** Writes the config next to the run and trains it (or resumes `resume`); throws with the log on failure. */
export function train(root: string, name: string, config: Record<string, unknown>, resume?: string): string {
  const dir = path.join(root, name);
  const configFile = path.join(root, `${name}-${resume ? 'resume' : 'start'}.grpo.json`);
  fs.writeFileSync(configFile, JSON.stringify({ ...config, name }));
  const args = [
    '-m',
    'grpo_lens',
    '--config',
    configFile,
    ...(resume ? ['--resume', resume] : ['--run-dir', dir]),
  ];
  const result = spawnSync(PYTHON, args, {
    cwd: REWARDS_DIR,
    env: { ...process.env, PYTHONPATH: path.join(ROOT, 'trainer'), PYTHONDONTWRITEBYTECODE: '1' },
    encoding: 'utf8',
    timeout: 600_000,
  });
  // a run that fails after some steps is a result some tests want (a NaN reward); one that
  // never got to a step is a broken test
  const runDir = resume ? path.dirname(path.dirname(resume)) : dir;
  if (result.status !== 0 && !fs.existsSync(path.join(runDir, 'metrics.jsonl')))
    throw new Error(`trainer failed (${String(result.status)}): ${result.stderr}`);
  return runDir;
}

export async function examine(dir: string): Promise<Finding[]> {
  return examineFoundRun(await resolveRun(dir));
}

/** "error no-learning-signal" lines, for messages that say what was found. */
export function listed(findings: Finding[]): string {
  return findings.map((f) => `${f.severity} ${f.id} ${f.steps.join('-')}: ${f.message}`).join('\n');
}
