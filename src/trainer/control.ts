// The control mailbox: commands appended to control.jsonl, acknowledged by the
// trainer in events.jsonl with the same id.
import { randomUUID } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import type { ControlCommand } from '../runs/model';

export interface ControlRecord {
  id: string;
  command: ControlCommand;
  time: number;
}

export function controlRecord(command: ControlCommand, now = Date.now()): ControlRecord {
  return { id: randomUUID(), command, time: now / 1000 };
}

/** Appends one command line; a single write so that the trainer never sees half of it. */
export async function appendControl(runDir: string, record: ControlRecord): Promise<void> {
  await fs.promises.appendFile(path.join(runDir, 'control.jsonl'), JSON.stringify(record) + '\n', 'utf8');
}
