/**
 * ONNX bytes -> a validated, plain description of the graph: nodes in topological order with
 * decoded attributes, constant tensors (initializers) as float32 or integer arrays, and the
 * graph inputs and outputs. Everything that can be wrong with a file (bytes that are not
 * protobuf, wrong field types, tensors whose data does not match their dims, external data
 * that is missing, inputs nobody produces, cycles) becomes a NET5xxx diagnostic; nothing
 * throws, and no tensor is allocated before its size has been checked against the bytes that
 * hold it.
 */
import type { Diagnostic } from '../../diag/diagnostic.ts';
import { diag } from '../../diag/make.ts';
import type { DiagnosticCode } from '../../diag/catalogue.ts';
import { syntheticSpan } from '../../diag/span.ts';
import { decodeFloats, type FloatKind } from '../floatDecode.ts';
import {
  AttributeType, DataType, MAX_OPSET, MIN_OPSET, onnx, toNumber,
  type AttributeProto, type GraphProto, type ModelProto, type NodeProto, type TensorProto, type ValueInfoProto,
} from './proto.ts';

/** A constant tensor: floats for float types, integers (exact up to 2^53) for integer types. */
export interface OnnxConst {
  dims: number[];
  floats?: Float32Array;
  ints?: number[];
}

export type OnnxAttr =
  | { kind: 'int'; value: number }
  | { kind: 'ints'; value: number[] }
  | { kind: 'float'; value: number }
  | { kind: 'floats'; value: number[] }
  | { kind: 'string'; value: string }
  | { kind: 'tensor'; value: OnnxConst }
  | { kind: 'other'; type: string };

export interface OnnxNode {
  /** The node's name, or `<OpType>_<index>` when the file leaves it empty. */
  name: string;
  opType: string;
  /** Empty for the default domain. */
  domain: string;
  /** Input value names; an empty string is an omitted optional input. */
  inputs: string[];
  outputs: string[];
  attrs: Map<string, OnnxAttr>;
}

export interface OnnxValueInfo {
  name: string;
  /** Per axis: a size, or undefined for a symbolic or unknown dimension. Undefined when the file gives no shape. */
  shape?: (number | undefined)[];
  /** Per axis: the `dim_param` name of a symbolic dimension (`batch`), if the file gives one. */
  dimParams?: (string | undefined)[];
}

export interface OnnxModel {
  /** Opset of the default domain. */
  opset: number;
  graphName: string;
  /** The program that wrote the file, with its version (`pytorch 2.11.0`), if it says. */
  producer?: string;
  /** In topological order. */
  nodes: OnnxNode[];
  initializers: Map<string, OnnxConst>;
  /** Graph inputs that are not initializers. */
  inputs: OnnxValueInfo[];
  outputs: OnnxValueInfo[];
  /** Shapes the file records for intermediate values (may be empty). */
  valueInfo: Map<string, OnnxValueInfo>;
}

export interface ReadOnnxOptions {
  /** Name of the model file, for messages. */
  file: string;
  /** Bytes of an external data file, by its `location` relative to the model's folder. */
  readExternal?: (location: string) => Uint8Array | undefined;
  /** Largest element count of one tensor (default 2^28). */
  maxTensorElements?: number;
}

export const DEFAULT_MAX_TENSOR_ELEMENTS = 2 ** 28;

/** Thrown inside the reader only; readOnnx turns it into its diagnostic. */
class ReadFailure extends Error {
  constructor(readonly diagnostic: Diagnostic) {
    super(diagnostic.message);
  }
}

const floatKinds: Partial<Record<number, FloatKind>> = {
  [DataType.FLOAT]: 'f32', [DataType.DOUBLE]: 'f64', [DataType.FLOAT16]: 'f16', [DataType.BFLOAT16]: 'bf16',
};
const intBytes: Partial<Record<number, number>> = {
  [DataType.INT64]: 8, [DataType.INT32]: 4, [DataType.INT16]: 2, [DataType.INT8]: 1,
  [DataType.UINT8]: 1, [DataType.UINT16]: 2, [DataType.UINT32]: 4, [DataType.UINT64]: 8, [DataType.BOOL]: 1,
};
const elemBytes = (t: number): number | undefined => {
  const k = floatKinds[t];
  return k ? { f32: 4, f64: 8, f16: 2, bf16: 2 }[k] : intBytes[t];
};

class Reader {
  constructor(readonly options: ReadOnnxOptions) {}

  fail(code: DiagnosticCode, args: Record<string, string | number>, notes: string[] = []): never {
    throw new ReadFailure(diag(code, syntheticSpan(this.options.file), { file: this.options.file, ...args }, { notes }));
  }

  tensorFail(name: string, detail: string): never {
    this.fail('NET5005', { tensor: name || '<unnamed>', detail });
  }

  dims(t: TensorProto, name: string): number[] {
    const dims = t.dims.map((d) => toNumber(d));
    const max = this.options.maxTensorElements ?? DEFAULT_MAX_TENSOR_ELEMENTS;
    let count = 1;
    for (const d of dims) {
      if (!Number.isInteger(d) || d < 0) this.tensorFail(name, `dimension ${d} is not a size`);
      count *= d;
      if (count > max) this.fail('NET5007', { detail: `tensor ${name} with dims [${dims.join(', ')}]`, limit: `${max} elements` });
    }
    return dims;
  }

  /** The bytes of an external tensor, after checking location, offset and length. */
  external(t: TensorProto, name: string, byteCount: number): Uint8Array {
    const entries = new Map(t.externalData.map((e) => [e.key, e.value]));
    const location = entries.get('location') ?? '';
    const fail = (detail: string): never => this.fail('NET5006', { tensor: name, location: location || '<no location>', detail });
    if (!location) fail('the external data entry has no location');
    if (location.startsWith('/') || /^[A-Za-z]:/.test(location) || location.split(/[\\/]/).includes('..')) {
      fail('the location must be a path inside the model folder');
    }
    const offset = Number(entries.get('offset') ?? '0');
    const length = entries.has('length') ? Number(entries.get('length')) : byteCount;
    if (!Number.isSafeInteger(offset) || offset < 0) fail(`offset ${entries.get('offset')} is not a byte offset`);
    if (length !== byteCount) fail(`length ${length} does not match the ${byteCount} bytes its dims need`);
    if (!this.options.readExternal) fail('no reader for external data files was given');
    let bytes: Uint8Array | undefined;
    try {
      bytes = this.options.readExternal!(location);
    } catch (e) {
      fail(`it cannot be read (${e instanceof Error ? e.message : String(e)})`);
    }
    if (!bytes) fail('the file is missing');
    if (offset + byteCount > bytes!.length) fail(`bytes ${offset} to ${offset + byteCount} lie past its end (${bytes!.length} bytes)`);
    return bytes!.subarray(offset, offset + byteCount);
  }

  tensor(t: TensorProto, fallbackName: string): OnnxConst {
    const name = t.name || fallbackName;
    const dims = this.dims(t, name);
    const count = dims.reduce((a, b) => a * b, 1);
    const size = elemBytes(t.dataType);
    if (size === undefined) {
      const typeName = onnx.TensorProto.DataType[t.dataType] ?? String(t.dataType);
      this.tensorFail(name, `element type ${typeName} is not supported (float, double, float16, bfloat16 and integer types are)`);
    }
    const kind = floatKinds[t.dataType];
    let raw: Uint8Array | undefined;
    if (t.dataLocation === onnx.TensorProto.DataLocation.EXTERNAL) raw = this.external(t, name, count * size);
    else if (t.rawData.length > 0 || count === 0) raw = t.rawData;
    if (raw) {
      if (raw.length !== count * size) {
        this.tensorFail(name, `raw data holds ${raw.length} bytes, dims [${dims.join(', ')}] need ${count * size}`);
      }
      if (kind) return { dims, floats: decodeFloats(raw, 0, count, kind) };
      return { dims, ints: readInts(raw, count, t.dataType) };
    }
    const typed = (have: number, field: string) => {
      if (have !== count) this.tensorFail(name, `${field} holds ${have} values, dims [${dims.join(', ')}] need ${count}`);
    };
    switch (t.dataType) {
      case DataType.FLOAT: typed(t.floatData.length, 'float_data'); return { dims, floats: Float32Array.from(t.floatData) };
      case DataType.DOUBLE: typed(t.doubleData.length, 'double_data'); return { dims, floats: Float32Array.from(t.doubleData) };
      case DataType.FLOAT16:
      case DataType.BFLOAT16: {
        // 16-bit floats travel as one int32_data entry each, holding the bits.
        typed(t.int32Data.length, 'int32_data');
        const bits = new Uint8Array(count * 2);
        const view = new DataView(bits.buffer);
        t.int32Data.forEach((v, i) => view.setUint16(2 * i, v & 0xffff, true));
        return { dims, floats: decodeFloats(bits, 0, count, kind!) };
      }
      case DataType.INT64: typed(t.int64Data.length, 'int64_data'); return { dims, ints: t.int64Data.map((v) => toNumber(v)) };
      case DataType.UINT64: typed(t.uint64Data.length, 'uint64_data'); return { dims, ints: t.uint64Data.map((v) => toNumber(v)) };
      default: typed(t.int32Data.length, 'int32_data'); return { dims, ints: [...t.int32Data] };
    }
  }

  attribute(a: AttributeProto, node: string): OnnxAttr {
    let type = a.type;
    if (type === AttributeType.UNDEFINED) {
      // Files from before IR version 3 leave the type out; infer it from the field that is set.
      if (a.ints.length) type = AttributeType.INTS;
      else if (a.floats.length) type = AttributeType.FLOATS;
      else if (a.t) type = AttributeType.TENSOR;
      else if (a.s.length) type = AttributeType.STRING;
      else if (a.f !== 0) type = AttributeType.FLOAT;
      else type = AttributeType.INT;
    }
    switch (type) {
      case AttributeType.INT: return { kind: 'int', value: toNumber(a.i) };
      case AttributeType.INTS: return { kind: 'ints', value: a.ints.map((v) => toNumber(v)) };
      case AttributeType.FLOAT: return { kind: 'float', value: a.f };
      case AttributeType.FLOATS: return { kind: 'floats', value: [...a.floats] };
      case AttributeType.STRING: return { kind: 'string', value: new TextDecoder().decode(a.s) };
      case AttributeType.TENSOR:
        if (!a.t) this.fail('NET5002', { detail: `node ${node}: attribute ${a.name} is a TENSOR without a tensor` });
        return { kind: 'tensor', value: this.tensor(a.t as TensorProto, `${node}.${a.name}`) };
      default: return { kind: 'other', type: onnx.AttributeProto.AttributeType[type] ?? String(type) };
    }
  }
}

function readInts(raw: Uint8Array, count: number, dataType: number): number[] {
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const out = new Array<number>(count);
  for (let i = 0; i < count; i++) {
    switch (dataType) {
      case DataType.INT64: {
        const n = Number(view.getBigInt64(8 * i, true));
        out[i] = Number.isSafeInteger(n) ? n : n < 0 ? -Infinity : Infinity;
        break;
      }
      case DataType.UINT64: { const n = Number(view.getBigUint64(8 * i, true)); out[i] = Number.isSafeInteger(n) ? n : Infinity; break; }
      case DataType.INT32: out[i] = view.getInt32(4 * i, true); break;
      case DataType.UINT32: out[i] = view.getUint32(4 * i, true); break;
      case DataType.INT16: out[i] = view.getInt16(2 * i, true); break;
      case DataType.UINT16: out[i] = view.getUint16(2 * i, true); break;
      case DataType.INT8: out[i] = view.getInt8(i); break;
      default: out[i] = view.getUint8(i);
    }
  }
  return out;
}

function valueInfoOf(v: ValueInfoProto): OnnxValueInfo {
  const shape = v.type?.tensorType?.shape;
  if (!shape) return { name: v.name };
  const dims = (shape as InstanceType<typeof onnx.TensorShapeProto>).dim as InstanceType<typeof onnx.TensorShapeProto.Dimension>[];
  const info: OnnxValueInfo = { name: v.name, shape: dims.map((d) => (d.value === 'dimValue' ? toNumber(d.dimValue) : undefined)) };
  if (dims.some((d) => d.value === 'dimParam' && d.dimParam)) info.dimParams = dims.map((d) => (d.value === 'dimParam' && d.dimParam ? d.dimParam : undefined));
  return info;
}

function opsetOf(r: Reader, m: ModelProto): number {
  let opset: number | undefined;
  for (const o of m.opsetImport) {
    if (o.domain === '' || o.domain === 'ai.onnx') opset = toNumber(o.version);
  }
  // IR version 3 files without an opset import are opset 1: outside the supported range anyway.
  if (opset === undefined) r.fail('NET5008', { domain: 'the default', opset: 'none' });
  if (opset! < MIN_OPSET || opset! > MAX_OPSET) r.fail('NET5008', { domain: 'the default', opset: opset! });
  return opset!;
}

/** Kahn's algorithm; nodes left over sit on or behind a cycle. */
function topoSort(r: Reader, nodes: OnnxNode[], available: Set<string>): OnnxNode[] {
  const producer = new Map<string, number>();
  nodes.forEach((n, i) => {
    for (const o of n.outputs) {
      if (o === '') continue;
      if (available.has(o) || producer.has(o)) r.fail('NET5002', { detail: `value ${o} is produced twice (by node ${n.name})` });
      producer.set(o, i);
    }
  });
  for (const n of nodes) {
    for (const i of n.inputs) {
      if (i !== '' && !available.has(i) && !producer.has(i)) r.fail('NET5003', { node: n.name, input: i });
    }
  }
  const waiting = nodes.map((n) => n.inputs.filter((i) => i !== '' && !available.has(i)).length);
  const consumers = new Map<string, number[]>();
  nodes.forEach((n, i) => {
    for (const v of n.inputs) if (v !== '' && !available.has(v)) consumers.set(v, [...(consumers.get(v) ?? []), i]);
  });
  const ready = nodes.map((_, i) => i).filter((i) => waiting[i] === 0);
  const order: OnnxNode[] = [];
  while (ready.length > 0) {
    const i = ready.shift()!;
    order.push(nodes[i]!);
    for (const o of nodes[i]!.outputs) {
      for (const c of consumers.get(o) ?? []) if (--waiting[c]! === 0) ready.push(c);
    }
  }
  if (order.length < nodes.length) {
    const stuck = nodes.filter((_, i) => waiting[i]! > 0).map((n) => n.name);
    r.fail('NET5004', { nodes: stuck.slice(0, 8).join(', ') + (stuck.length > 8 ? `, ... (${stuck.length} nodes)` : '') });
  }
  return order;
}

function readModel(r: Reader, bytes: Uint8Array): OnnxModel {
  let m: ModelProto;
  try {
    m = onnx.ModelProto.decode(bytes);
  } catch (e) {
    r.fail('NET5001', { detail: e instanceof Error ? e.message : String(e) });
  }
  if (!m.graph) r.fail('NET5001', { detail: 'the model has no graph' });
  const opset = opsetOf(r, m);
  const g = m.graph as GraphProto;
  const initializers = new Map<string, OnnxConst>();
  for (const t of g.initializer) {
    if (!t.name) r.fail('NET5005', { tensor: '<unnamed>', detail: 'an initializer has no name' });
    if (initializers.has(t.name)) r.fail('NET5002', { detail: `initializer ${t.name} is given twice` });
    initializers.set(t.name, r.tensor(t as TensorProto, t.name));
  }
  const inputs = g.input.filter((v) => !initializers.has(v.name ?? '')).map((v) => valueInfoOf(v as ValueInfoProto));
  if (inputs.some((v) => !v.name)) r.fail('NET5002', { detail: 'a graph input has no name' });
  const outputs = g.output.map((v) => valueInfoOf(v as ValueInfoProto));
  if (outputs.length === 0) r.fail('NET5002', { detail: 'the graph has no outputs' });
  const names = new Set<string>();
  const nodes: OnnxNode[] = (g.node as NodeProto[]).map((n, i) => {
    let name = n.name || `${n.opType}_${i}`;
    for (let k = 1; names.has(name); k++) name = `${n.name || n.opType}_${i}_${k}`;
    names.add(name);
    if (!n.opType) r.fail('NET5002', { detail: `node ${name} has no operator type` });
    const attrs = new Map<string, OnnxAttr>();
    for (const a of n.attribute) attrs.set(a.name ?? '', r.attribute(a as AttributeProto, name));
    const domain = !n.domain || n.domain === 'ai.onnx' ? '' : n.domain;
    return { name, opType: n.opType, domain, inputs: [...n.input], outputs: [...n.output], attrs };
  });
  const available = new Set<string>([...initializers.keys(), ...inputs.map((v) => v.name)]);
  const order = topoSort(r, nodes, available);
  const produced = new Set(nodes.flatMap((n) => n.outputs));
  for (const o of outputs) {
    if (!produced.has(o.name) && !available.has(o.name)) r.fail('NET5003', { node: '<graph output>', input: o.name });
  }
  const valueInfo = new Map(g.valueInfo.map((v) => [v.name ?? '', valueInfoOf(v as ValueInfoProto)]));
  const producer = [m.producerName, m.producerVersion].filter((x) => x).join(' ') || undefined;
  return { opset, graphName: g.name, producer, nodes: order, initializers, inputs, outputs, valueInfo };
}

/** Decode and validate an ONNX model; on failure `model` is undefined and one diagnostic says why. */
export function readOnnx(bytes: Uint8Array, options: ReadOnnxOptions): { model?: OnnxModel; diagnostics: Diagnostic[] } {
  const r = new Reader(options);
  try {
    return { model: readModel(r, bytes), diagnostics: [] };
  } catch (e) {
    if (e instanceof ReadFailure) return { diagnostics: [e.diagnostic] };
    // Anything else is a decoder failure on bytes protobuf accepted but the schema did not expect.
    const detail = e instanceof Error ? e.message : String(e);
    return { diagnostics: [diag('NET5001', syntheticSpan(options.file), { file: options.file, detail })] };
  }
}
