// Telling an OpenRLHF logdir from any other TensorBoard logdir, cheaply: the tags of
// the first records of its newest event files (the first logged step carries the
// whole status dict, so its tags are there within a few dozen records).
import { decodeEvent } from '../tensorboard/events';
import { listEventFiles } from '../tensorboard/eventFiles';
import { readHeadRecords } from '../tensorboard/records';
import { OPENRLHF_MARKERS } from './names';

const HEAD_RECORDS = 256;
const HEAD_BYTES = 1024 * 1024;
/** A newest file may hold only its file_version record yet (a process just started): look at a few. */
const FILES_LOOKED_AT = 3;
const MARKERS_NEEDED = 2;

export async function isOpenRlhfLogdir(dir: string): Promise<boolean> {
  const files = await listEventFiles([dir], 0);
  for (const file of files.reverse().slice(0, FILES_LOOKED_AT)) {
    const tags = await headTags(file);
    if (tags.size > 0) return countMarkers(tags) >= MARKERS_NEEDED;
  }
  return false;
}

async function headTags(file: string): Promise<Set<string>> {
  const tags = new Set<string>();
  for (const data of await readHeadRecords(file, HEAD_RECORDS, HEAD_BYTES)) {
    const event = decodeEvent(data);
    for (const [tag] of event?.scalars ?? []) tags.add(tag);
    for (const text of event?.texts ?? []) tags.add(text.tag);
  }
  return tags;
}

function countMarkers(tags: Set<string>): number {
  let count = 0;
  for (const tag of tags) if (OPENRLHF_MARKERS.has(tag)) count++;
  return count;
}
