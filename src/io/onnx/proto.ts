/**
 * The ONNX protobuf schema (the `onnx-proto` package, compiled from onnx.proto3) and the few
 * conversions every ONNX reader and writer needs: int64 fields arrive as `Long` objects.
 */
import onnxProto from 'onnx-proto';

/** The schema namespace: message classes as values (`onnx.ModelProto.decode`) and interfaces as types (`onnx.ITensorProto`). */
export import onnx = onnxProto.onnx;
export type ModelProto = onnxProto.onnx.ModelProto;
export type GraphProto = onnxProto.onnx.GraphProto;
export type NodeProto = onnxProto.onnx.NodeProto;
export type TensorProto = onnxProto.onnx.TensorProto;
export type AttributeProto = onnxProto.onnx.AttributeProto;
export type ValueInfoProto = onnxProto.onnx.ValueInfoProto;
export type IModelProto = onnxProto.onnx.IModelProto;
export type INodeProto = onnxProto.onnx.INodeProto;
export type ITensorProto = onnxProto.onnx.ITensorProto;
export type IAttributeProto = onnxProto.onnx.IAttributeProto;
export type IValueInfoProto = onnxProto.onnx.IValueInfoProto;

export const DataType = onnx.TensorProto.DataType;
export const AttributeType = onnx.AttributeProto.AttributeType;

interface LongLike {
  low: number;
  high: number;
  unsigned?: boolean;
}

/**
 * An int64 field as a number. Values beyond 2^53 cannot be sizes or attributes netc uses;
 * they come back as +-Infinity so range checks reject them instead of wrapping.
 */
export function toNumber(v: number | LongLike | null | undefined): number {
  if (v === null || v === undefined) return 0;
  if (typeof v === 'number') return v;
  const high = v.unsigned ? v.high >>> 0 : v.high | 0;
  const low = v.low >>> 0;
  const n = high * 4294967296 + low;
  if (!Number.isSafeInteger(n)) return n < 0 ? -Infinity : Infinity;
  return n;
}

/** IR version that goes with an opset of the default domain (onnx/helper.py VERSION_TABLE). */
export function irVersionForOpset(opset: number): number {
  if (opset <= 11) return 6;
  if (opset <= 14) return 7;
  if (opset <= 18) return 8;
  if (opset <= 20) return 9;
  return 10;
}

export const MIN_OPSET = 11;
export const MAX_OPSET = 21;
