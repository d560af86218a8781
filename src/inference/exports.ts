// Where a run's ONNX exports are: checkpoints/step-NNNNNN/policy.onnx for each checkpoint,
// reference.onnx and tokenizer.json in the run directory (tokenizer.json may also sit in
// a checkpoint). Only file-system look-ups; nothing here loads a model.

import { promises as fs } from 'fs';
import * as path from 'path';
import { InferenceError } from './errors';
import { BpeTokenizer, isHfTokenizerJson, type HfTokenizerConfig } from './bpeTokenizer';
import { CharTokenizer, type RunTokenizer, type TokenizerJson } from './tokenizer';

export const POLICY_FILE = 'policy.onnx';
export const REFERENCE_FILE = 'reference.onnx';
export const TOKENIZER_FILE = 'tokenizer.json';
export const TOKENIZER_CONFIG_FILE = 'tokenizer_config.json';

export interface ExportedCheckpoint {
  step: number;
  dir: string;
  policy: string;
}

export async function exists(file: string): Promise<boolean> {
  return fs.stat(file).then(
    () => true,
    () => false,
  );
}

/** Checkpoints of the run that have policy.onnx, oldest first. */
export async function exportedCheckpoints(runDir: string): Promise<ExportedCheckpoint[]> {
  const root = path.join(runDir, 'checkpoints');
  const names = await fs.readdir(root).catch(() => [] as string[]);
  const found: ExportedCheckpoint[] = [];
  for (const name of names) {
    const match = /^step-(\d+)$/.exec(name);
    const policy = path.join(root, name, POLICY_FILE);
    if (match && (await exists(policy)))
      found.push({ step: Number(match[1]), dir: path.join(root, name), policy });
  }
  return found.sort((a, b) => a.step - b.step);
}

/** The policy.onnx of checkpointDir, or of the latest exported checkpoint; a clear error if none. */
export async function policyModel(runDir: string, checkpointDir?: string): Promise<string> {
  if (checkpointDir) {
    const file = path.join(checkpointDir, POLICY_FILE);
    if (await exists(file)) return file;
    throw new InferenceError(
      'no-export',
      `Checkpoint ${path.basename(checkpointDir)} has no ONNX export (${POLICY_FILE}). Exports are written with each checkpoint when the config's "export_onnx" is on.`,
    );
  }
  const latest = (await exportedCheckpoints(runDir)).pop();
  if (latest) return latest.policy;
  throw new InferenceError(
    'no-export',
    `Run ${path.basename(runDir)} has no ONNX export yet: token alternatives need a checkpoint with ${POLICY_FILE}. Save a checkpoint (GRPO: Checkpoint Now) with "export_onnx" on.`,
  );
}

/** The checkpoint whose policy sampled the completions logged at `step`: the latest before it. */
export async function samplingCheckpoint(runDir: string, step: number): Promise<string | undefined> {
  const before = (await exportedCheckpoints(runDir)).filter((c) => c.step < step);
  return before.pop()?.dir;
}

export async function referenceModel(runDir: string): Promise<string | undefined> {
  const file = path.join(runDir, REFERENCE_FILE);
  return (await exists(file)) ? file : undefined;
}

/** tokenizer.json of the run directory, else of the checkpoint: the tiny model's char
 * tokenizer, or a Hugging Face tokenizer.json (with tokenizer_config.json beside it). */
export async function loadTokenizer(runDir: string, checkpointDir?: string): Promise<RunTokenizer> {
  const candidates = [runDir, ...(checkpointDir ? [checkpointDir] : [])].map((d) =>
    path.join(d, TOKENIZER_FILE),
  );
  for (const file of candidates) {
    const text = await fs.readFile(file, 'utf8').catch(() => undefined);
    if (text === undefined) continue;
    try {
      const json: unknown = JSON.parse(text);
      if (!isHfTokenizerJson(json)) return new CharTokenizer(json as TokenizerJson);
      const config = await fs.readFile(path.join(path.dirname(file), TOKENIZER_CONFIG_FILE), 'utf8').then(
        (t) => JSON.parse(t) as HfTokenizerConfig,
        () => ({}),
      );
      return new BpeTokenizer(json as object, config);
    } catch (err) {
      throw new InferenceError('no-export', `${file} cannot be used: ${(err as Error).message}`);
    }
  }
  throw new InferenceError(
    'no-export',
    `Run ${path.basename(runDir)} has no ${TOKENIZER_FILE} beside its ONNX export.`,
  );
}

/** Refuses a model larger than the grpoLens.inference.maxModelMB setting (0 = no limit). */
export async function checkModelSize(model: string, maxModelMB: number): Promise<void> {
  if (!maxModelMB || maxModelMB <= 0) return;
  const sizes = await Promise.all(
    [model, `${model}.data`].map((f) =>
      fs.stat(f).then(
        (s) => s.size,
        () => 0,
      ),
    ),
  );
  const mb = sizes.reduce((a, b) => a + b, 0) / 1024 / 1024;
  if (mb > maxModelMB) {
    throw new InferenceError(
      'too-big',
      `${path.basename(path.dirname(model))}/${path.basename(model)} is ${Math.round(mb)} MB, over the ${maxModelMB} MB limit of grpoLens.inference.maxModelMB. Raise the setting to inspect it.`,
    );
  }
}

/** The resolved config in run.json (temperature, max_completion_length…), or {}. */
export async function runConfig(runDir: string): Promise<Record<string, unknown>> {
  const text = await fs.readFile(path.join(runDir, 'run.json'), 'utf8').catch(() => '{}');
  try {
    const run = JSON.parse(text) as { config?: Record<string, unknown> };
    return run.config ?? {};
  } catch {
    return {};
  }
}
