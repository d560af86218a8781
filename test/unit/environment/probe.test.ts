import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseProbeOutput, runProbe } from '../../../src/environment/probe';

function script(dir: string, name: string, body: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, `#!/bin/sh\n${body}\n`, { mode: 0o755 });
  return file;
}

/** Alive and not a zombie waiting for a parent that is gone (Linux's /proc). */
function running(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

describe('environment probe', () => {
  let dir: string;
  before(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'grpo-probe-'))));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('parses the probe line among other output', () => {
    const out =
      'some warning\nGRPO_LENS_PROBE {"python": "3.11.2", "executable": "/usr/bin/python3", "torch": "2.3.0", ' +
      '"cuda": true, "cudaVersion": "12.1", "gpus": [{"name": "A100", "memoryBytes": 42949672960}], ' +
      '"transformers": null, "peft": "0.12.0"}\n';
    assert.deepStrictEqual(parseProbeOutput(out), {
      python: '3.11.2',
      executable: '/usr/bin/python3',
      torch: '2.3.0',
      torchError: null,
      cuda: true,
      cudaVersion: '12.1',
      gpus: [{ name: 'A100', memoryBytes: 42949672960 }],
      transformers: null,
      peft: '0.12.0',
    });
  });

  it('gives nothing for output without a probe line or with a torn one', () => {
    assert.strictEqual(parseProbeOutput('Python 2.7\n'), undefined);
    assert.strictEqual(parseProbeOutput('GRPO_LENS_PROBE {"python": "3.1'), undefined);
  });

  it('runs the real probe script with a real Python', async function () {
    this.timeout(30_000);
    const python = fs.existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
    const result = await runProbe(python, 25_000);
    assert.strictEqual(result.kind, 'ok', JSON.stringify(result));
    if (result.kind === 'ok') assert.match(result.facts.python, /^3\.\d+\.\d+/);
  });

  it('says not-found for a path that does not exist', async () => {
    assert.deepStrictEqual(await runProbe(path.join(dir, 'no-such-python'), 5000), { kind: 'not-found' });
  });

  it('answers within the timeout for an interpreter that hangs, and kills what it started', async () => {
    const pidFile = path.join(dir, 'sleep.pid');
    const hanging = script(dir, 'hang', `sleep 60 & echo $! > ${pidFile}; wait`);
    const started = Date.now();
    const result = await runProbe(hanging, 1000);
    assert.deepStrictEqual(result, { kind: 'timed-out', seconds: 1 });
    assert.ok(Date.now() - started < 3000, `took ${Date.now() - started} ms`);
    const pid = Number(fs.readFileSync(pidFile, 'utf8'));
    await new Promise((r) => setTimeout(r, 200));
    assert.ok(!running(pid), 'the sleeping child was killed with its group');
  });

  it('reports the last stderr line of an interpreter that fails', async () => {
    const broken = script(dir, 'broken', 'echo "python: bad magic number" >&2; exit 3');
    assert.deepStrictEqual(await runProbe(broken, 5000), {
      kind: 'failed',
      detail: 'python: bad magic number',
    });
  });
});
