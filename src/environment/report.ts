// The environment report: one line per item, a fix for each failure. Pure, so the
// wording is tested without an extension host.
import type { ProbeFacts, ProbeResult } from './probe';

export type ItemStatus = 'ok' | 'warning' | 'failed' | 'skipped';

export interface EnvironmentItem {
  /** Short name of what was checked: 'Python', 'PyTorch', 'CUDA', 'torchrun'… */
  name: string;
  status: ItemStatus;
  detail: string;
  /** What to do about it, for warnings and failures. */
  fix?: string;
}

export interface EnvironmentReport {
  interpreter: { path: string; source: string; why: string };
  /** The probe's outcome; undefined when no interpreter was run (untrusted workspace). */
  probe?: ProbeResult;
  items: EnvironmentItem[];
  /** Where the extension host runs: 'local', or the remote's name (ssh-remote, wsl…). */
  host: string;
  durationMs: number;
}

const INSTALL_TORCH = 'Install PyTorch into this interpreter (https://pytorch.org/get-started/locally/)';
const PICK_PYTHON = 'Select another interpreter with the Python extension or the grpoLens.pythonPath setting';

/** The lines about Python, torch, CUDA and the optional packages, from the probe's outcome. */
export function pythonItems(python: string, probe: ProbeResult): EnvironmentItem[] {
  if (probe.kind === 'not-found')
    return [failed('Python', `"${python}" does not exist or is not on the PATH.`, PICK_PYTHON + '.')];
  if (probe.kind === 'timed-out')
    return [
      failed(
        'Python',
        `"${python}" did not answer within ${probe.seconds} s and was stopped.`,
        `Run "${python} -c 'import torch'" in a terminal to see where it hangs, or ${lower(PICK_PYTHON)}.`,
      ),
    ];
  if (probe.kind === 'failed')
    return [failed('Python', `"${python}" could not run the check: ${probe.detail}`, PICK_PYTHON + '.')];
  return factItems(probe.facts);
}

function factItems(facts: ProbeFacts): EnvironmentItem[] {
  const items: EnvironmentItem[] = [ok('Python', `${facts.python} (${facts.executable})`)];
  if (!facts.torch) {
    items.push(
      failed('PyTorch', `not importable: ${facts.torchError ?? 'unknown error'}`, INSTALL_TORCH + '.'),
    );
  } else {
    items.push(ok('PyTorch', facts.torch));
    items.push(cudaItem(facts));
  }
  items.push(optionalPackage('transformers', facts.transformers));
  items.push(optionalPackage('peft', facts.peft));
  return items;
}

function cudaItem(facts: ProbeFacts): EnvironmentItem {
  if (!facts.cuda)
    return warning(
      'CUDA',
      'no GPU available to torch: training runs on the CPU (fine for the tiny model, slow for real ones).',
      'Install a CUDA build of torch and check that nvidia-smi sees a GPU.',
    );
  const gpus = facts.gpus.map((g) => `${g.name} (${formatBytes(g.memoryBytes)})`).join(', ');
  return ok(
    'CUDA',
    `available${facts.cudaVersion ? ` (CUDA ${facts.cudaVersion})` : ''}: ${gpus || 'no devices listed'}`,
  );
}

function optionalPackage(name: string, version: string | null): EnvironmentItem {
  if (version) return ok(name, version);
  return warning(
    name,
    'not installed: only the built-in tiny model can be trained (Hugging Face models need transformers and peft).',
    `pip install ${name} in this interpreter to train Hugging Face models.`,
  );
}

export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(unit === 0 ? 0 : 1)} ${units[unit]}`;
}

const MARK: Record<ItemStatus, string> = { ok: '✓', warning: '!', failed: '✗', skipped: '–' };

/** The report as the output channel shows it: a header, then one line per item. */
export function formatReport(report: EnvironmentReport): string[] {
  const where = report.host === 'local' ? 'this machine' : `the remote machine (${report.host})`;
  const lines = [
    `GRPO Lens environment check, on ${where}, took ${report.durationMs} ms`,
    `Interpreter: ${report.interpreter.path} — ${report.interpreter.why}`,
  ];
  for (const item of report.items) {
    lines.push(`${MARK[item.status]} ${item.name}: ${item.detail}`);
    if (item.fix) lines.push(`    fix: ${item.fix}`);
  }
  const failures = report.items.filter((i) => i.status === 'failed').length;
  lines.push(failures ? `${failures} problem(s) to fix.` : 'Nothing blocks training.');
  return lines;
}

export function ok(name: string, detail: string): EnvironmentItem {
  return { name, status: 'ok', detail };
}
export function warning(name: string, detail: string, fix: string): EnvironmentItem {
  return { name, status: 'warning', detail, fix };
}
export function failed(name: string, detail: string, fix: string): EnvironmentItem {
  return { name, status: 'failed', detail, fix };
}
function lower(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}
