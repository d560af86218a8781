// Whether an interpreter can import torch, asked once per interpreter path.
import { execFile } from 'child_process';

export interface TorchCheck {
  ok: boolean;
  /** torch's version when ok; otherwise what went wrong, in a sentence. */
  detail: string;
}

const cache = new Map<string, Promise<TorchCheck>>();

export function checkTorch(python: string): Promise<TorchCheck> {
  let check = cache.get(python);
  if (!check) {
    check = runTorchImport(python);
    cache.set(python, check);
    // A failure may be fixed by installing torch: ask again next time.
    void check.then((result) => (result.ok ? undefined : cache.delete(python)));
  }
  return check;
}

function runTorchImport(python: string): Promise<TorchCheck> {
  return new Promise((resolve) => {
    execFile(
      python,
      ['-c', 'import torch; print(torch.__version__)'],
      { timeout: 120_000 },
      (err, stdout, stderr) => {
        if (!err) return resolve({ ok: true, detail: stdout.trim() });
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'ENOENT') return resolve({ ok: false, detail: `"${python}" was not found.` });
        const last = stderr.trim().split('\n').pop() ?? err.message;
        resolve({ ok: false, detail: `"${python}" cannot import torch (${last}).` });
      },
    );
  });
}
