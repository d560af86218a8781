import * as assert from 'assert';
import type { ProbeFacts } from '../../../src/environment/probe';
import {
  formatBytes,
  formatReport,
  pythonItems,
  type EnvironmentItem,
  type EnvironmentReport,
} from '../../../src/environment/report';

const facts = (over: Partial<ProbeFacts> = {}): ProbeFacts => ({
  python: '3.11.2',
  executable: '/usr/bin/python3',
  torch: '2.3.0',
  torchError: null,
  cuda: false,
  cudaVersion: null,
  gpus: [],
  transformers: null,
  peft: null,
  ...over,
});

const byName = (items: EnvironmentItem[], name: string) => items.find((i) => i.name === name);

describe('environment report', () => {
  it('says a CPU-only torch trains on the CPU, and what missing transformers/peft mean', () => {
    const items = pythonItems('/usr/bin/python3', { kind: 'ok', facts: facts() });
    assert.deepStrictEqual(
      items.map((i) => [i.name, i.status]),
      [
        ['Python', 'ok'],
        ['PyTorch', 'ok'],
        ['CUDA', 'warning'],
        ['transformers', 'warning'],
        ['peft', 'warning'],
      ],
    );
    assert.match(byName(items, 'CUDA')!.detail, /no GPU/);
    assert.match(byName(items, 'transformers')!.detail, /only the built-in tiny model/);
    assert.match(byName(items, 'peft')!.fix!, /pip install peft/);
  });

  it('lists GPUs with their memory when CUDA is available', () => {
    const items = pythonItems('python3', {
      kind: 'ok',
      facts: facts({
        cuda: true,
        cudaVersion: '12.1',
        gpus: [{ name: 'NVIDIA H200', memoryBytes: 150 * 1024 ** 3 }],
        transformers: '4.44.0',
        peft: '0.12.0',
      }),
    });
    assert.strictEqual(byName(items, 'CUDA')!.status, 'ok');
    assert.strictEqual(byName(items, 'CUDA')!.detail, 'available (CUDA 12.1): NVIDIA H200 (150.0 GiB)');
    assert.strictEqual(byName(items, 'transformers')!.detail, '4.44.0');
    assert.ok(items.every((i) => i.status === 'ok'));
  });

  it('a Python without torch fails PyTorch with the import error and a fix, and asks nothing of CUDA', () => {
    const items = pythonItems('python3', {
      kind: 'ok',
      facts: facts({ torch: null, torchError: "ModuleNotFoundError: No module named 'torch'" }),
    });
    const torch = byName(items, 'PyTorch')!;
    assert.strictEqual(torch.status, 'failed');
    assert.match(torch.detail, /No module named 'torch'/);
    assert.match(torch.fix!, /pytorch\.org/);
    assert.strictEqual(byName(items, 'CUDA'), undefined);
  });

  it('one failed Python line for a missing, hanging or broken interpreter', () => {
    const missing = pythonItems('/nope/python', { kind: 'not-found' });
    assert.strictEqual(missing.length, 1);
    assert.match(missing[0].detail, /"\/nope\/python" does not exist/);
    const hung = pythonItems('/slow/python', { kind: 'timed-out', seconds: 2 });
    assert.match(hung[0].detail, /did not answer within 2 s/);
    assert.match(hung[0].fix!, /-c 'import torch'/);
    const broken = pythonItems('/bad', { kind: 'failed', detail: 'Segmentation fault' });
    assert.match(broken[0].detail, /Segmentation fault/);
    assert.ok([missing, hung, broken].every((items) => items[0].status === 'failed' && items[0].fix));
  });

  it('formats one line per item, fixes indented below, and a closing count', () => {
    const report: EnvironmentReport = {
      interpreter: {
        path: '/usr/bin/python3',
        source: 'grpoLens.pythonPath',
        why: 'from the grpoLens.pythonPath setting',
      },
      items: [
        { name: 'PyTorch', status: 'ok', detail: '2.3.0' },
        { name: 'sbatch', status: 'failed', detail: 'not on the PATH', fix: 'use a login node' },
      ],
      host: 'ssh-remote',
      durationMs: 1234,
    };
    assert.deepStrictEqual(formatReport(report), [
      'GRPO Lens environment check, on the remote machine (ssh-remote), took 1234 ms',
      'Interpreter: /usr/bin/python3 — from the grpoLens.pythonPath setting',
      '✓ PyTorch: 2.3.0',
      '✗ sbatch: not on the PATH',
      '    fix: use a login node',
      '1 problem(s) to fix.',
    ]);
  });

  it('formats byte counts in binary units', () => {
    assert.strictEqual(formatBytes(512), '512 B');
    assert.strictEqual(formatBytes(3 * 1024 ** 3 + 512 * 1024 ** 2), '3.5 GiB');
  });
});
