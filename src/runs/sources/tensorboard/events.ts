// What an event record means: its step and time, the scalars it carries (simple_value,
// or a one-element numeric tensor as new-style writers log them) and the text it
// carries (a string tensor of the "text" plugin).
import {
  DT_DOUBLE,
  DT_FLOAT,
  DT_STRING,
  EventMessage,
  type EventProto,
  type Int64,
  type SummaryValue,
  type TensorProto,
} from './proto';

/** torch.utils.tensorboard's add_text appends this to the tag (summary.text); we show the tag as it was given. */
export const TEXT_TAG_SUFFIX = '/text_summary';

export interface TextValue {
  tag: string;
  text: string;
}

export interface DecodedEvent {
  /** Unix seconds. */
  wallTime: number;
  step: number;
  /** Set on the first event of a file ("brain.Event:2"). */
  fileVersion?: string;
  scalars: [tag: string, value: number][];
  texts: TextValue[];
}

/**
 * The event in a record's data; undefined when the data is not an Event. `withTexts`
 * false leaves text out (metric scans skip turning kilobytes of samples into strings).
 */
export function decodeEvent(data: Uint8Array, withTexts = true): DecodedEvent | undefined {
  let event: EventProto;
  try {
    event = EventMessage.decode(data) as EventProto;
  } catch {
    return undefined;
  }
  const decoded: DecodedEvent = {
    wallTime: event.wallTime ?? 0,
    step: toNumber(event.step),
    scalars: [],
    texts: [],
  };
  if (event.fileVersion) decoded.fileVersion = event.fileVersion;
  for (const value of event.summary?.value ?? []) addValue(decoded, value, withTexts);
  return decoded;
}

function addValue(into: DecodedEvent, value: SummaryValue, withTexts: boolean): void {
  const tag = value.tag ?? '';
  // Presence, not the prototype's default 0: protobufjs sets only fields on the wire.
  if (Object.hasOwn(value, 'simpleValue')) {
    into.scalars.push([tag, value.simpleValue ?? 0]);
    return;
  }
  const tensor = value.tensor;
  if (!tensor) return;
  if (tensor.dtype === DT_STRING) {
    if (!withTexts) return;
    const plugin = value.metadata?.pluginData?.pluginName;
    // Writers may keep the metadata only on a tag's first value: a string tensor without any is text too.
    if (plugin === undefined || plugin === 'text')
      into.texts.push({ tag: textTag(tag), text: tensorText(tensor) });
    return;
  }
  const scalar = scalarOf(tensor);
  if (scalar !== undefined) into.scalars.push([tag, scalar]);
}

function textTag(tag: string): string {
  return tag.endsWith(TEXT_TAG_SUFFIX) ? tag.slice(0, -TEXT_TAG_SUFFIX.length) : tag;
}

function tensorText(tensor: TensorProto): string {
  return (tensor.stringVal ?? []).map((bytes) => Buffer.from(bytes).toString('utf8')).join('\n');
}

/** Per floating dtype (tf.summary.scalar and torch's new-style scalars write float32 or float64): its repeated field, and its raw form. */
const FLOATING: Record<
  number,
  { values: (t: TensorProto) => number[] | undefined; read: (raw: Buffer) => number; bytes: number }
> = {
  [DT_FLOAT]: { values: (t) => t.floatVal, read: (raw) => raw.readFloatLE(0), bytes: 4 },
  [DT_DOUBLE]: { values: (t) => t.doubleVal, read: (raw) => raw.readDoubleLE(0), bytes: 8 },
};

/** The value of a one-element float tensor, from float_val/double_val or tensor_content; undefined otherwise. */
export function scalarOf(tensor: TensorProto): number | undefined {
  const size = (tensor.tensorShape?.dim ?? []).reduce((n, dim) => n * toNumber(dim.size), 1);
  const kind = FLOATING[tensor.dtype ?? 0];
  if (size !== 1 || !kind) return undefined;
  const values = kind.values(tensor);
  if (values && values.length > 0) return values[0];
  const content = tensor.tensorContent;
  if (!content || content.length < kind.bytes) return undefined;
  return kind.read(Buffer.from(content.buffer, content.byteOffset, content.length));
}

function toNumber(value: Int64 | undefined): number {
  if (value === undefined) return 0;
  return typeof value === 'number' ? value : value.toNumber();
}
