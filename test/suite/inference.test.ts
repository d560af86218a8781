// Inference inside a real extension host: a live tiny run (the real trainer, started
// here) exports ONNX with its checkpoints; the playground samples G completions from
// them and scores them with the trainer's reward functions; token details come back
// with alternatives under the policy and the reference.
import * as assert from 'assert';
import { spawn, type ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { PlaygroundResult } from '../../src/contract/playground';
import { InferenceClient } from '../../src/inference/client';
import { OnnxTokenDetailProvider } from '../../src/inference/tokenDetailProvider';
import type { SampleGroup } from '../../src/runs/model';
import { completionBodyOffset, hoverText, hoverTextAtBody } from './inspectHelpers';

const extensionId = 'grpo-lens.grpo-lens';

function extensionRoot(): string {
  return vscode.extensions.getExtension(extensionId)!.extensionPath;
}

async function waitFor<T>(what: string, probe: () => T | undefined, timeoutMs = 60_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Starts the tiny test config with a checkpoint (and export) every 2 steps. */
function startTinyRun(runDir: string): ChildProcess {
  const root = extensionRoot();
  const text = fs
    .readFileSync(path.join(root, 'trainer/configs/tiny-test.grpo.json'), 'utf8')
    .replace(/"\$schema":[^,]*,/, '')
    .replace(/"max_steps": \d+/, '"max_steps": 6')
    .replace(/"checkpoint_every": \d+/, '"checkpoint_every": 2')
    .replace(/"save_total_limit": \d+/, '"save_total_limit": 5');
  const config = path.join(path.dirname(runDir), 'live.grpo.json');
  fs.mkdirSync(path.dirname(runDir), { recursive: true });
  fs.writeFileSync(config, text);
  const python =
    vscode.workspace.getConfiguration('grpoLens').get<string>('pythonPath') || '/usr/bin/python3';
  return spawn(python, ['-m', 'grpo_lens', '--config', config, '--run-dir', runDir], {
    env: { ...process.env, PYTHONPATH: path.join(root, 'trainer') },
    stdio: 'ignore',
  });
}

function checkpointWithExport(runDir: string, step: number): string | undefined {
  const dir = path.join(runDir, 'checkpoints', `step-${String(step).padStart(6, '0')}`);
  return fs.existsSync(path.join(dir, 'policy.onnx')) ? dir : undefined;
}

function firstGroup(runDir: string): SampleGroup | undefined {
  const file = path.join(runDir, 'samples.jsonl');
  if (!fs.existsSync(file)) return undefined;
  const line = fs.readFileSync(file, 'utf8').split('\n')[0];
  return line ? (JSON.parse(line) as SampleGroup) : undefined;
}

/** The first logged group of a step (samples of step s were drawn by the policy of step s - 1). */
function groupAt(runDir: string, step: number): SampleGroup | undefined {
  const file = path.join(runDir, 'samples.jsonl');
  if (!fs.existsSync(file)) return undefined;
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as SampleGroup)
    .find((g) => g.step === step);
}

function hoverLogprob(text: string): number {
  const m = /Under the checkpoint's export: log-prob (\S+)/.exec(text);
  assert.ok(m, `no checkpoint log-prob in the hover:\n${text}`);
  return Number(m[1]);
}

/** The run store finds runs/live on its own; until it has, inspection has nothing to open. */
async function inspectWhenReady(address: object): Promise<{ editor: vscode.TextEditor }> {
  for (let i = 0; i < 100; i++) {
    await vscode.commands.executeCommand('grpoLens.refresh');
    const opened = await vscode.commands
      .executeCommand<{ editor: vscode.TextEditor } | undefined>('grpoLens.inspectCompletion', address)
      .then(undefined, () => undefined);
    if (opened?.editor) return opened;
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error('the live run never became inspectable');
}

describe('inference: live tiny run, playground and token details', function () {
  this.timeout(120_000);
  const workspace = vscode.workspace.workspaceFolders![0].uri.fsPath;
  const runDir = path.join(workspace, 'runs', 'live');
  let trainer: ChildProcess | undefined;
  let first: string;
  let second: string;
  let group: SampleGroup;

  before(async () => {
    await vscode.extensions.getExtension(extensionId)!.activate();
    trainer = startTinyRun(runDir);
    first = await waitFor('checkpoint step 2 with policy.onnx', () => checkpointWithExport(runDir, 2));
    group = await waitFor('a sample group', () => firstGroup(runDir));
    second = await waitFor('checkpoint step 4 with policy.onnx', () => checkpointWithExport(runDir, 4));
  });
  after(() => trainer?.exitCode === null && trainer.kill());

  it('the run exports the reference and the tokenizer beside the checkpoints', () => {
    assert.ok(fs.existsSync(path.join(runDir, 'reference.onnx')));
    assert.ok(fs.existsSync(path.join(runDir, 'tokenizer.json')));
  });

  it('the playground samples G completions from a checkpoint and scores them', async () => {
    const result = (await vscode.commands.executeCommand('grpoLens.sampleFromCheckpoint', {
      runDir,
      checkpoints: [first],
      prompt: group.prompt,
      reference: group.reference,
      settings: { count: 4, maxTokens: 6, seed: 1 },
    })) as PlaygroundResult;
    assert.ok(result, 'the command returned no result');
    const [g] = result.groups;
    assert.strictEqual(g.scoreError, undefined, g.scoreError);
    assert.strictEqual(g.completions.length, 4);
    for (const c of g.completions) {
      assert.strictEqual(typeof c.reward, 'number');
      assert.ok(c.rewards && 'accuracy' in c.rewards, JSON.stringify(c.rewards));
      assert.strictEqual(c.tokens.length, c.logprobs.length);
    }
    const advantageSum = g.completions.reduce((s, c) => s + c.advantage!, 0);
    assert.ok(Math.abs(advantageSum) < 1e-6, `advantages are group-centred (sum ${advantageSum})`);
  });

  it('compares two checkpoints on the same prompt side by side', async () => {
    const result = (await vscode.commands.executeCommand('grpoLens.sampleFromCheckpoint', {
      runDir,
      checkpoints: [first, second],
      prompt: group.prompt,
      reference: group.reference,
      settings: { count: 3, maxTokens: 6, seed: 2 },
    })) as PlaygroundResult;
    assert.deepStrictEqual(
      result.groups.map((g) => g.checkpoint.label),
      ['step 2', 'step 4'],
    );
    assert.ok(result.groups.every((g) => g.completions.length === 3 && g.meanReward !== undefined));
  });

  it('a hover on an inspected completion shows the alternatives under policy and reference', async () => {
    const address = { runId: runDir, step: group.step, group: group.group, index: 0 };
    const opened = await inspectWhenReady(address);
    const doc = opened.editor.document;
    const text = await hoverTextAtBody(doc);
    assert.match(text, /Under checkpoint step-\d{6}/);
    assert.match(text, /Under the checkpoint's export/);
    assert.match(text, /\| policy \| p \| reference \| p \|/);
    const rows = text.split('\n').filter((l) => /^\| `/.test(l));
    assert.strictEqual(rows.length, 5, 'top-5 alternatives');
  });

  it('the inspection checkpoint is the sampling policy by default, and can be chosen', async () => {
    const sampled = await waitFor('samples of step 3', () => groupAt(runDir, 3));
    const completion = sampled.completions[0];
    const opened = await inspectWhenReady({ runId: runDir, step: 3, group: sampled.group, index: 0 });
    const doc = opened.editor.document;
    const body = completionBodyOffset(doc);
    // directly from the provider, as the hover should have asked
    const client = new InferenceClient({
      executionProvider: 'cpu',
      cacheSize: 2,
      idleMs: 60_000,
      workerPath: path.join(extensionRoot(), 'dist', 'inference.worker.js'),
    });
    const direct = new OnnxTokenDetailProvider(client, () => ({ maxModelMB: 4096 }));
    const under = async (checkpointDir: string) =>
      (
        await direct.describeTokens({
          runDir,
          checkpointDir,
          prompt: sampled.prompt,
          tokens: (completion.tokens as string[]).map(String),
          topK: 5,
        })
      )[0].policyLogprob;
    try {
      // default: step 3 was sampled by the policy of step 2, whose log-probs are the logged ones
      let text = await hoverText(doc, body);
      assert.match(text, /\*\*Under checkpoint step-000002\*\* · the policy that sampled this completion/);
      const atSampler = hoverLogprob(text);
      assert.ok(Math.abs(atSampler - (await under(first))) < 1e-4, `${atSampler} vs describeTokens`);
      const logged = Number((completion.logprobs as number[])[0]);
      assert.ok(Math.abs(atSampler - logged) < 1e-3, `${atSampler} vs logged ${logged}`);

      // chosen: checkpoint step 4
      const chosen = await vscode.commands.executeCommand('grpoLens.chooseInspectionCheckpoint', {
        runDir,
        choice: second,
      });
      assert.strictEqual(chosen, second);
      text = await hoverText(doc, body);
      assert.match(text, /\*\*Under checkpoint step-000004\*\* · chosen/);
      const atSecond = hoverLogprob(text);
      assert.ok(Math.abs(atSecond - (await under(second))) < 1e-4, `${atSecond} vs describeTokens`);

      await vscode.commands.executeCommand('grpoLens.chooseInspectionCheckpoint', {
        runDir,
        choice: 'latest',
      });
      assert.match(await hoverText(doc, body), /\*\*Under checkpoint step-\d{6}\*\* · latest checkpoint/);
    } finally {
      await vscode.commands.executeCommand('grpoLens.chooseInspectionCheckpoint', {
        runDir,
        choice: 'sampling',
      });
      client.dispose();
    }
  });

  it('says so, and samples nothing, for a run without an export', async () => {
    const bare = path.join(workspace, 'runs', 'bare');
    fs.mkdirSync(bare, { recursive: true });
    const result = await vscode.commands.executeCommand('grpoLens.sampleFromCheckpoint', {
      runDir: bare,
      prompt: '1+1=',
    });
    assert.strictEqual(result, undefined);
  });
});
