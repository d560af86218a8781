// A real one-node Slurm cluster for the launcher's tests (see docs/launching.md): munged,
// slurmctld and slurmd started on this machine as root, with no cgroups, and stopped
// again by their pids when the tests end. Where that cannot be done (not root, no
// slurm-wlm) the tests that need it are skipped and say why; sbatch is never faked.
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ROOT } from '../cli/harness';

const BASE = '/tmp/grpo-lens-slurm';
const MUNGE_PID = '/run/munge/munged.pid';

export interface Cluster {
  /** Why there is none, when there is none. */
  missing?: string;
  stop(): void;
}

function run(command: string, args: string[]): boolean {
  return spawnSync(command, args, { stdio: 'ignore', timeout: 20_000 }).status === 0;
}

function works(): boolean {
  return (
    run('sinfo', ['-h']) &&
    /idle|mix|alloc/.test(spawnSync('sinfo', ['-h', '-o', '%t'], { encoding: 'utf8' }).stdout ?? '')
  );
}

function conf(host: string): string {
  const memory = Math.floor((os.totalmem() / 1024 / 1024) * 0.8);
  return [
    'ClusterName=lens',
    `SlurmctldHost=${host}`,
    'AuthType=auth/munge',
    'ProctrackType=proctrack/linuxproc',
    'TaskPlugin=task/none',
    'JobAcctGatherType=jobacct_gather/none',
    'SelectType=select/cons_tres',
    'SelectTypeParameters=CR_Core',
    `StateSaveLocation=${BASE}/state`,
    `SlurmdSpoolDir=${BASE}/spool`,
    `SlurmctldPidFile=${BASE}/slurmctld.pid`,
    `SlurmdPidFile=${BASE}/slurmd.pid`,
    `SlurmctldLogFile=${BASE}/log/slurmctld.log`,
    `SlurmdLogFile=${BASE}/log/slurmd.log`,
    'SlurmUser=root',
    'ReturnToService=2',
    `NodeName=${host} CPUs=${os.cpus().length} RealMemory=${memory} State=UNKNOWN`,
    `PartitionName=debug Nodes=${host} Default=YES MaxTime=INFINITE State=UP`,
    '',
  ].join('\n');
}

/** SIGTERM, then a wait (up to 10 s) until it is gone, so no daemon outlives the tests. */
function killPidFile(file: string): void {
  let pid: number;
  try {
    pid = Number(fs.readFileSync(file, 'utf8').trim());
    process.kill(pid, 'SIGTERM');
  } catch {
    return; // already gone
  }
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (let i = 0; i < 100; i++) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    Atomics.wait(pause, 0, 0, 100);
  }
  process.kill(pid, 'SIGKILL');
}

/** Starts the cluster (or finds one running); stop() ends only what it started. */
/**
 * Mocha hooks for a suite that needs the cluster: started before it (its tests skipped, saying
 * why, where none can be started) and stopped after it.
 */
export function useCluster(): void {
  let cluster: Cluster | undefined;
  before(async function () {
    cluster = await startCluster();
    if (cluster.missing) {
      console.log(`    skipped: ${cluster.missing}`);
      this.skip();
    }
  });
  after(() => cluster?.stop());
}

export async function startCluster(): Promise<Cluster> {
  const none = (missing: string): Cluster => ({ missing, stop: () => undefined });
  if (works()) return { stop: () => undefined };
  if (process.getuid?.() !== 0) return none('starting a Slurm cluster needs root');
  for (const daemon of ['/usr/sbin/slurmctld', '/usr/sbin/slurmd', '/usr/sbin/munged', '/usr/bin/sbatch'])
    if (!fs.existsSync(daemon))
      return none(`${daemon} is missing (scripts/setup.sh installs slurm-wlm and munge)`);
  const started: string[] = [];
  for (const dir of ['/run/munge', '/var/log/munge', '/var/lib/munge', '/etc/munge'])
    fs.mkdirSync(dir, { recursive: true });
  if (!fs.existsSync('/etc/munge/munge.key'))
    fs.writeFileSync(
      '/etc/munge/munge.key',
      Buffer.alloc(1024).map(() => Math.floor(Math.random() * 256)),
      { mode: 0o400 },
    );
  execFileSync('chown', [
    '-R',
    'munge:munge',
    '/etc/munge',
    '/run/munge',
    '/var/log/munge',
    '/var/lib/munge',
  ]);
  if (!run('munge', ['-n'])) {
    if (!run('su', ['-s', '/bin/sh', 'munge', '-c', '/usr/sbin/munged'])) return none('munged did not start');
    started.push(MUNGE_PID);
  }
  const host = os.hostname().split('.')[0];
  for (const dir of ['state', 'spool', 'log']) fs.mkdirSync(path.join(BASE, dir), { recursive: true });
  fs.writeFileSync('/etc/slurm/slurm.conf', conf(host));
  if (!run('/usr/sbin/slurmctld', []) || !run('/usr/sbin/slurmd', [])) {
    stopStarted([...started, `${BASE}/slurmctld.pid`, `${BASE}/slurmd.pid`]);
    return none(`slurmctld or slurmd did not start (see ${BASE}/log)`);
  }
  started.push(`${BASE}/slurmd.pid`, `${BASE}/slurmctld.pid`);
  for (let i = 0; i < 100 && !works(); i++) await new Promise((resolve) => setTimeout(resolve, 200));
  if (!works()) {
    stopStarted(started);
    return none(`the node did not become idle (see ${BASE}/log)`);
  }
  return { stop: () => stopStarted(started) };
}

function stopStarted(pidFiles: string[]): void {
  for (const file of pidFiles) killPidFile(file);
}

/** tiny-test with steps enough to outlast a test (the shipped one ends in seconds). */
export function longTinyConfig(root: string): string {
  const text = fs.readFileSync(path.join(ROOT, 'trainer', 'configs', 'tiny-test.grpo.json'), 'utf8');
  const file = path.join(root, 'long.grpo.json');
  fs.writeFileSync(
    file,
    text.replace(/"\$schema": "[^"]*",/, '').replace('"max_steps": 200', '"max_steps": 100000'),
  );
  return file;
}
