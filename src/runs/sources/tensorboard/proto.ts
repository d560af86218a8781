// The parts of TensorBoard's protos that event files of scalars and text use, declared
// with protobufjs reflection. Field numbers as in tensorflow/tensorboard:
// tensorboard/compat/proto/event.proto, summary.proto, tensor.proto, tensor_shape.proto.
// Fields left out (graphs, images, histograms, audio…) are skipped by the decoder.
import { Field, Root, Type } from 'protobufjs';

type FieldSpec = [name: string, id: number, type: string, rule?: 'repeated'];

function message(name: string, fields: FieldSpec[]): Type {
  const type = new Type(name);
  for (const [fieldName, id, fieldType, rule] of fields) type.add(new Field(fieldName, id, fieldType, rule));
  return type;
}

const root = new Root()
  .add(
    message('PluginData', [
      ['pluginName', 1, 'string'],
      ['content', 2, 'bytes'],
    ]),
  )
  .add(message('SummaryMetadata', [['pluginData', 1, 'PluginData']]))
  .add(message('Dim', [['size', 1, 'int64']]))
  .add(message('TensorShapeProto', [['dim', 2, 'Dim', 'repeated']]))
  .add(
    message('TensorProto', [
      ['dtype', 1, 'int32'], // enum DataType: DT_FLOAT 1, DT_DOUBLE 2, DT_INT32 3, DT_STRING 7, DT_INT64 9
      ['tensorShape', 2, 'TensorShapeProto'],
      ['tensorContent', 4, 'bytes'],
      ['floatVal', 5, 'float', 'repeated'],
      ['doubleVal', 6, 'double', 'repeated'],
      ['intVal', 7, 'int32', 'repeated'],
      ['stringVal', 8, 'bytes', 'repeated'],
      ['int64Val', 10, 'int64', 'repeated'],
    ]),
  )
  .add(
    message('Value', [
      ['tag', 1, 'string'],
      ['simpleValue', 2, 'float'],
      ['tensor', 8, 'TensorProto'],
      ['metadata', 9, 'SummaryMetadata'],
    ]),
  )
  .add(message('Summary', [['value', 1, 'Value', 'repeated']]))
  .add(
    message('Event', [
      ['wallTime', 1, 'double'],
      ['step', 2, 'int64'],
      ['fileVersion', 3, 'string'],
      ['summary', 5, 'Summary'],
    ]),
  );
root.resolveAll();

export const EventMessage = root.lookupType('Event');

export const DT_FLOAT = 1;
export const DT_DOUBLE = 2;
export const DT_STRING = 7;

/** An int64 as protobufjs hands it out: a number, or a Long when long.js is installed. */
export type Int64 = number | { toNumber(): number };

export interface TensorProto {
  dtype?: number;
  tensorShape?: { dim?: { size?: Int64 }[] };
  tensorContent?: Uint8Array;
  floatVal?: number[];
  doubleVal?: number[];
  intVal?: number[];
  stringVal?: Uint8Array[];
  int64Val?: Int64[];
}

export interface SummaryValue {
  tag?: string;
  simpleValue?: number;
  tensor?: TensorProto;
  metadata?: { pluginData?: { pluginName?: string } };
}

export interface EventProto {
  wallTime?: number;
  step?: Int64;
  fileVersion?: string;
  summary?: { value?: SummaryValue[] };
}
