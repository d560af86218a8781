// Runs test/fixtures/writers/verl.py, which writes files the way verl writes them.
import { execFileSync } from 'child_process';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '../../../../..');
const WRITER = path.join(ROOT, 'test/fixtures/writers/verl.py');

export type Writer = 'json' | 'orjson';

export interface LogOp {
  op: 'log';
  path: string;
  writer: Writer;
  /** true: verl's truncating open (a run starting); false: the same run writing on. */
  open?: boolean;
  lines: { step: unknown; data?: unknown }[];
  first_bytes?: number;
  from_byte?: number;
}

export interface DumpOp {
  op: 'dump';
  dir: string;
  step: number;
  inputs: string[];
  outputs: string[];
  scores: (number | string)[];
  gts?: unknown[];
  extra?: Record<string, unknown[]>;
  first_bytes?: number;
}

export interface CheckpointOp {
  op: 'checkpoint';
  dir: string;
  step: number;
  in_progress?: boolean;
}

export function writeVerl(...ops: (LogOp | DumpOp | CheckpointOp)[]): void {
  execFileSync('/usr/bin/python3', [WRITER], { input: JSON.stringify(ops) });
}

/** A step's data as verl logs it (a few of its real names). */
export function stepData(step: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    'critic/score/mean': step / 10,
    'actor/kl_loss': step / 100,
    'actor/pg_loss': -step / 1000,
    'timing_s/gen': 1.5,
    ...extra,
  };
}

export function steps(from: number, to: number): { step: number; data: Record<string, unknown> }[] {
  return Array.from({ length: to - from + 1 }, (_, i) => ({ step: from + i, data: stepData(from + i) }));
}
