// One Python probe answers every question about the interpreter at once (versions, torch,
// CUDA, GPUs), so a broken or slow interpreter costs one timeout, never several.
import { spawn } from 'child_process';

/** What the probe script prints, parsed. Missing packages are null. */
export interface ProbeFacts {
  python: string;
  executable: string;
  torch: string | null;
  /** Why torch could not be imported, when it could not. */
  torchError: string | null;
  cuda: boolean;
  cudaVersion: string | null;
  gpus: { name: string; memoryBytes: number }[];
  transformers: string | null;
  peft: string | null;
}

export type ProbeResult =
  | { kind: 'ok'; facts: ProbeFacts }
  | { kind: 'not-found' }
  | { kind: 'timed-out'; seconds: number }
  | { kind: 'failed'; detail: string };

// transformers and peft are asked through their installed metadata: importing
// transformers takes seconds and is not needed to know its version.
export const PROBE_SCRIPT = `
import json, platform, sys
out = {"python": platform.python_version(), "executable": sys.executable}
try:
    import torch
    out["torch"] = torch.__version__
    out["cuda"] = bool(torch.cuda.is_available())
    out["cudaVersion"] = torch.version.cuda
    out["gpus"] = [
        {"name": torch.cuda.get_device_name(i), "memoryBytes": torch.cuda.get_device_properties(i).total_memory}
        for i in range(torch.cuda.device_count())
    ] if out["cuda"] else []
except Exception as e:
    out["torchError"] = type(e).__name__ + ": " + str(e)
for name in ("transformers", "peft"):
    try:
        from importlib.metadata import version
        out[name] = version(name)
    except Exception:
        out[name] = None
print("GRPO_LENS_PROBE " + json.dumps(out))
`;

const MARKER = 'GRPO_LENS_PROBE ';

/** The facts in the probe's stdout, or undefined when it printed no probe line. */
export function parseProbeOutput(stdout: string): ProbeFacts | undefined {
  const line = stdout.split('\n').find((l) => l.startsWith(MARKER));
  if (!line) return undefined;
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(line.slice(MARKER.length)) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  const text = (v: unknown) => (typeof v === 'string' ? v : null);
  const gpus = Array.isArray(raw.gpus) ? (raw.gpus as Record<string, unknown>[]) : [];
  return {
    python: text(raw.python) ?? 'unknown',
    executable: text(raw.executable) ?? '',
    torch: text(raw.torch),
    torchError: text(raw.torchError),
    cuda: raw.cuda === true,
    cudaVersion: text(raw.cudaVersion),
    gpus: gpus.map((g) => ({ name: text(g.name) ?? 'unknown GPU', memoryBytes: Number(g.memoryBytes) || 0 })),
    transformers: text(raw.transformers),
    peft: text(raw.peft),
  };
}

/**
 * Runs the probe with `python`. Answers within timeoutMs whatever the interpreter does:
 * on timeout its whole process group is killed (a wrapper script's children too) and
 * the answer does not wait for the pipes to close.
 */
export function runProbe(python: string, timeoutMs: number): Promise<ProbeResult> {
  return new Promise((resolve) => {
    let settled = false;
    const finish = (result: ProbeResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(result);
    };
    const child = spawn(python, ['-c', PROBE_SCRIPT], {
      detached: process.platform !== 'win32',
      stdio: ['ignore', 'pipe', 'pipe'],
      windowsHide: true,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      killTree(child.pid);
      finish({ kind: 'timed-out', seconds: Math.round(timeoutMs / 100) / 10 });
    }, timeoutMs);
    child.on('error', (err: NodeJS.ErrnoException) =>
      finish(err.code === 'ENOENT' ? { kind: 'not-found' } : { kind: 'failed', detail: err.message }),
    );
    child.on('close', (code) => {
      const facts = parseProbeOutput(stdout);
      if (facts) return finish({ kind: 'ok', facts });
      const last = stderr.trim().split('\n').pop() || `exit code ${code}`;
      finish({ kind: 'failed', detail: last });
    });
  });
}

function killTree(pid: number | undefined): void {
  if (!pid) return;
  try {
    if (process.platform === 'win32') process.kill(pid, 'SIGKILL');
    else process.kill(-pid, 'SIGKILL');
  } catch {
    // exited already
  }
}
