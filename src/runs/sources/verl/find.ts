// Where verl's runs are found. verl writes two kinds of files we read:
// - the `file` logger: `$VERL_FILE_LOGGER_PATH`, else `${VERL_FILE_LOGGER_ROOT:-.}/<project>/<experiment>.jsonl`
//   (verl/utils/tracking.py): a folder holding such files has one run per file;
// - rollout dumps: `trainer.rollout_data_dir/<step>.jsonl` (no default: users pick the folder).
// A metrics file is linked to the dumps in its own folder, or in a subfolder holding dumps
// (rollout*/generation* first; val*/validation* hold validation dumps, shown as a run of
// their own); with several metrics files in one folder, the subfolder's name must contain
// the experiment's. Discovery does not look below a folder where runs were found, so a
// dumps subfolder is reached only this way.
// A folder of dumps with no metrics file is a run of its own.
import * as fs from 'fs';
import * as path from 'path';
import type { FoundRun } from '../source';
import { metricLine } from './fileLoggerFeed';
import { parseVerlLine } from './jsonLine';
import { readHead } from './lineRange';
import { dumpedResponse } from './rolloutDump';
import { dumpStep, listDumpSteps } from './rolloutFeed';

const FIRST_LINE_BYTES = 1024 * 1024;
const ROLLOUT_FOLDER = /^(rollout|generation)/i;
const OTHER_FOLDER = /^(?!rollout|generation|val)/i;
const VALIDATION_FOLDER = /^val/i;

/** The first complete line of a file, parsed (torn or unreadable: undefined). */
async function firstRecord(file: string): Promise<Record<string, unknown> | undefined> {
  const head = await readHead(file, FIRST_LINE_BYTES);
  const newline = head.indexOf(0x0a);
  return newline === -1 ? undefined : parseVerlLine(head.toString('utf8', 0, newline));
}

export async function isFileLoggerJsonl(file: string): Promise<boolean> {
  const record = await firstRecord(file);
  return record !== undefined && metricLine(record) !== undefined;
}

/** Whether a folder holds rollout dumps (its lowest-step dump starts with a response). */
export async function holdsDumps(dir: string): Promise<boolean> {
  const steps = await listDumpSteps(dir);
  if (steps.length === 0) return false;
  const record = await firstRecord(path.join(dir, `${steps[0]}.jsonl`));
  return record !== undefined && dumpedResponse(record) !== undefined;
}

async function isFolder(p: string): Promise<boolean> {
  return fs.promises.stat(p).then(
    (s) => s.isDirectory(),
    () => false,
  );
}

/** Subfolders whose names match, that hold dumps. */
async function dumpFolders(dir: string, entries: string[], name: RegExp): Promise<string[]> {
  const found: string[] = [];
  for (const entry of entries.filter((e) => name.test(e)).sort()) {
    const full = path.join(dir, entry);
    if ((await isFolder(full)) && (await holdsDumps(full))) found.push(full);
  }
  return found;
}

function linkedFolder(folders: string[], experiment: string, soleRun: boolean): string | undefined {
  return soleRun ? folders[0] : folders.find((f) => path.basename(f).includes(experiment));
}

function experimentOf(file: string): string {
  return path.basename(file, '.jsonl');
}

export async function findVerlRuns(dir: string, entries: string[]): Promise<FoundRun[]> {
  const metricFiles: string[] = [];
  for (const entry of entries.filter((e) => e.endsWith('.jsonl') && dumpStep(e) === undefined).sort()) {
    const full = path.join(dir, entry);
    if (await isFileLoggerJsonl(full)) metricFiles.push(full);
  }
  const hereHasDumps = entries.some((e) => dumpStep(e) !== undefined) && (await holdsDumps(dir));
  if (metricFiles.length === 0)
    return hereHasDumps ? [dumpsRun(dir, `${path.basename(dir)} (rollout dumps)`)] : [];
  const rollouts = [
    ...(hereHasDumps ? [dir] : []),
    ...(await dumpFolders(dir, entries, ROLLOUT_FOLDER)),
    ...(await dumpFolders(dir, entries, OTHER_FOLDER)),
  ];
  const validations = await dumpFolders(dir, entries, VALIDATION_FOLDER);
  const sole = metricFiles.length === 1;
  return metricFiles.flatMap((file) => {
    const experiment = experimentOf(file);
    const runs = [metricsRun(dir, file, linkedFolder(rollouts, experiment, sole))];
    const validation = linkedFolder(validations, experiment, sole);
    if (validation) runs.push(dumpsRun(validation, `${experiment} (validation)`));
    return runs;
  });
}

function metricsRun(dir: string, file: string, dumps: string | undefined): FoundRun {
  // watch = [metrics file, dumps folder?]: verlParts reads the dumps folder from there.
  return { id: file, dir, source: 'verl', name: experimentOf(file), watch: dumps ? [file, dumps] : [file] };
}

function dumpsRun(dumps: string, name: string): FoundRun {
  return { id: dumps, dir: dumps, source: 'verl', name, watch: [dumps] };
}

/** The files of a found run: its metrics file (if any) and its dumps folder (if any). */
export function verlRunFiles(run: FoundRun): { metricsFile?: string; dumpsDir?: string } {
  if (!run.id.endsWith('.jsonl')) return { dumpsDir: run.id };
  const dumpsDir = run.watch.find((p) => p !== run.id);
  return dumpsDir ? { metricsFile: run.id, dumpsDir } : { metricsFile: run.id };
}
