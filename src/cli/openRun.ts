// Opening a found run the way the extension does: a RunReader for the summary, a
// RunSession for history and samples; both disposed when the command is done.
import type { RunSummary } from '../runs/model';
import type { FoundRun, RunReader, RunSession } from '../runs/sources/source';
import { sourceOf } from './findRun';

export async function readSummary(run: FoundRun): Promise<RunSummary> {
  return withReader(run, (reader) => Promise.resolve(reader.summary));
}

export async function withReader<T>(run: FoundRun, use: (reader: RunReader) => Promise<T>): Promise<T> {
  const reader = sourceOf(run).open(run);
  try {
    await reader.open();
    return await use(reader);
  } finally {
    reader.dispose();
  }
}

/** The summary and a session of one run, for commands that read more than the summary. */
export async function withSession<T>(
  run: FoundRun,
  use: (session: RunSession, summary: RunSummary) => Promise<T>,
): Promise<T> {
  return withReader(run, async (reader) => {
    const session = reader.openSession();
    try {
      await session.open();
      return await use(session, reader.summary);
    } finally {
      session.dispose();
    }
  });
}
