// The core's examination of a whole run, over the run store: the run's session is held
// while it is read (its recent events tell the doctor where resumes were; its reads share
// one follower), then let go, so a finished run's session closes after its linger time.
import type { RunStore } from '../../runs/model';
import type { RunSession } from '../../runs/sources/source';
import { examinedDoctor } from '../examineRun';
import type { DoctorThresholds } from '../finding';
import type { Examined } from './doctorService';

/** A store that can say a held run's recent events (RunIndexStore). */
export type ExaminableStore = RunStore & { recentEvents?(runId: string): Record<string, unknown>[] };

export async function examineStoredRun(
  store: ExaminableStore,
  runId: string,
  thresholds: Partial<DoctorThresholds>,
): Promise<Examined> {
  const lease = store.hold(runId);
  try {
    await lease.ready;
    let lastStep = -Infinity;
    const session: RunSession = {
      open: () => Promise.resolve(),
      update: () => Promise.resolve({}),
      recentMetrics: () => store.recentMetrics(runId),
      recentEvents: () => store.recentEvents?.(runId) ?? [],
      readAllMetrics: (onRow) =>
        store.readAllMetrics(runId, (row) => {
          lastStep = Math.max(lastStep, row.step);
          onRow(row);
        }),
      sampleSteps: () => store.sampleSteps(runId),
      samplesAt: (step) => store.samplesAt(runId, step),
      dispose: () => undefined,
    };
    const doctor = await examinedDoctor(session, { summary: store.get(runId), thresholds });
    return { doctor, lastStep };
  } finally {
    lease.dispose();
  }
}
