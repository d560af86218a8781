// The run doctor over a workspace of many runs: extension-host heap of the run store
// alone (its index of summaries, the baseline of docs/benchmarks.md) against the store
// plus the DoctorService once every run has been examined, how many sessions were open
// at most while it examined (one run at a time), and how long examining all runs took.
// Each measure in its own process after a forced GC.
//
//   npx tsc -p tsconfig.test.json
//   node out/bench/doctor_memory.js [--runs 100] [--steps 10000]
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { createRunDoctor } from '../src/doctor';
import { DoctorService } from '../src/doctor/vscode/doctorService';
import { examineStoredRun } from '../src/doctor/vscode/examineStored';
import { FindingsHub } from '../src/doctor/vscode/findingsHub';
import { RunIndexStore } from '../src/runs/store';
import { writeLargeRun } from './runFixture';

function arg(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
}

interface Measure {
  runs: number;
  heapMB: number;
  examineMs: number;
  mostSessions: number;
  sessionsAfter: number;
  findings: number;
}

function heapMB(): number {
  (global as unknown as { gc: () => void }).gc();
  return process.memoryUsage().heapUsed / 1024 ** 2;
}

async function measure(root: string, withDoctor: boolean): Promise<Measure> {
  const before = heapMB();
  const lingerMs = 500;
  const store = new RunIndexStore({ roots: () => [{ path: root, depth: 1 }], sessionLingerMs: lingerMs });
  await store.start();
  const hub = new FindingsHub();
  let mostSessions = 0;
  const started = performance.now();
  let service: DoctorService | undefined;
  if (withDoctor) {
    const watch = setInterval(() => (mostSessions = Math.max(mostSessions, store.openSessions())), 5);
    service = new DoctorService({
      store,
      hub,
      createDoctor: () => createRunDoctor(),
      examine: (runId) => examineStoredRun(store, runId, {}),
    });
    service.start();
    await service.whenIdle();
    clearInterval(watch);
  }
  const examineMs = performance.now() - started;
  await new Promise((r) => setTimeout(r, lingerMs * 3)); // sessions of examined runs close
  const heap = heapMB() - before;
  const m = {
    runs: store.runs().length,
    heapMB: heap,
    examineMs,
    mostSessions,
    sessionsAfter: store.openSessions(),
    findings: hub.runIds().reduce((n, id) => n + hub.get(id).length, 0),
  };
  service?.dispose();
  store.dispose();
  return m;
}

function inChild(mode: string, root: string): Measure {
  const out = execFileSync(process.execPath, ['--expose-gc', __filename, '--child', mode, root], {
    encoding: 'utf8',
    maxBuffer: 1 << 24,
  });
  return JSON.parse(out.trim().split('\n').pop()!) as Measure;
}

async function main(): Promise<void> {
  const runs = arg('runs', 100);
  const steps = arg('steps', 10_000);
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'grpo-lens-doctor-bench-'));
  try {
    for (let i = 0; i < runs; i++)
      writeLargeRun(path.join(root, `r${String(i).padStart(3, '0')}`), {
        steps,
        groupsPerStep: 1,
        samplesBytes: steps * 200,
      });
    const bytes = Number(execFileSync('du', ['-sb', root], { encoding: 'utf8' }).split('\t')[0]);
    console.log(`fixture: ${runs} runs of ${steps} steps, ${(bytes / 1024 ** 3).toFixed(2)} GB`);
    const index = inChild('index', root);
    const doctor = inChild('doctor', root);
    console.log(`heap, index alone: ${index.heapMB.toFixed(1)} MB`);
    console.log(
      `heap, index + run doctor (every run examined): ${doctor.heapMB.toFixed(1)} MB · ` +
        `${((doctor.heapMB - index.heapMB) / doctor.runs).toFixed(3)} MB more per run`,
    );
    console.log(
      `examined ${doctor.runs} runs in ${(doctor.examineMs / 1000).toFixed(1)} s ` +
        `(${(doctor.examineMs / doctor.runs).toFixed(0)} ms per run); sessions open at most ${doctor.mostSessions}, ` +
        `${doctor.sessionsAfter} after; ${doctor.findings} findings`,
    );
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--child') {
  void measure(process.argv[4], process.argv[3] === 'doctor').then((m) => console.log(JSON.stringify(m)));
} else {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
