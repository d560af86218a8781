// Text summaries (add_text): TRL's TrainingArguments as tag "args", OpenRLHF's
// generated samples as "train/generated_samples". Text is rare among scalars, so a
// record is decoded only when its bytes contain the tag asked for.
import { type DecodedEvent, decodeEvent } from './events';
import { DEFAULT_DEPTH, listEventFiles } from './eventFiles';
import { scanFile } from './records';

export interface TextSummary {
  /** The tag given to add_text (without torch's "/text_summary" suffix). */
  tag: string;
  step: number;
  /** Unix seconds. */
  wallTime: number;
  text: string;
  /** The event file and the offset of the record, to read it again later. */
  file: string;
  offset: number;
}

export interface TextReadOptions {
  depth?: number;
  /** Stop at the first match (a config logged once at the start). */
  first?: boolean;
  /** Look only at the first bytes of each file (TRL logs "args" at on_train_begin): bounded even when absent. */
  headBytes?: number;
}

/** Every text summary under the logdirs (of one tag, if given), in file order. */
export async function readTextSummaries(
  logdirs: string[],
  tag?: string,
  options: TextReadOptions = {},
): Promise<TextSummary[]> {
  const found: TextSummary[] = [];
  const matcher = textMatcher(tag);
  for (const file of await listEventFiles(logdirs, options.depth ?? DEFAULT_DEPTH)) {
    const onRecord = (data: Buffer, offset: number) => {
      found.push(...matcher(data, file, offset));
      return !(options.first && found.length > 0);
    };
    await scanFile(file, onRecord, options.headBytes);
    if (options.first && found.length > 0) break;
  }
  return found;
}

/** Text summaries in one record's data, of one tag if given; cheap for records that cannot match. */
export function textMatcher(tag?: string): (data: Buffer, file: string, offset: number) => TextSummary[] {
  const needle = tag === undefined ? undefined : Buffer.from(tag, 'utf8');
  return (data, file, offset) => {
    if (needle && !data.includes(needle)) return [];
    const event = decodeEvent(data);
    return event ? textsOf(event, tag, file, offset) : [];
  };
}

function textsOf(event: DecodedEvent, tag: string | undefined, file: string, offset: number): TextSummary[] {
  return event.texts
    .filter((t) => tag === undefined || t.tag === tag)
    .map((t) => ({ tag: t.tag, step: event.step, wallTime: event.wallTime, text: t.text, file, offset }));
}
