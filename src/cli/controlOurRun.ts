// `grpo-lens pause|resume|stop RUN` for a run of our own trainer: a line in its control
// mailbox (control.jsonl), which the trainer reads between steps on every rank, as the
// extension's commands do. The acknowledgement shows in `grpo-lens show RUN`.
import * as fs from 'fs';
import * as path from 'path';
import { looksLikeRunDir } from '../runs/sources/grpoLens/files';
import { appendControl, controlRecord } from '../trainer/control';
import type { Output } from './main';

export function isOurRun(operand: string): boolean {
  try {
    return looksLikeRunDir(fs.readdirSync(path.resolve(operand)));
  } catch {
    return false;
  }
}

export async function controlOurRun(
  operand: string,
  command: 'pause' | 'resume' | 'stop',
  io: Output,
): Promise<number> {
  const record = controlRecord(command);
  await appendControl(path.resolve(operand), record);
  io.out(
    `sent ${command} (${record.id}) to ${path.resolve(operand)}; the trainer acts on it at its next step`,
  );
  return 0;
}
