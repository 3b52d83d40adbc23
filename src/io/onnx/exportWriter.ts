/**
 * What the ONNX writers share: attribute and tensor protos, value infos, and the writer that
 * collects nodes and initializers with PyTorch-style unique names (export.ts assembles the
 * model, exportOps.ts writes each operator).
 */
import type { Graph, Node, Value, WeightStore } from '../../ir/graph.ts';
import { numel, type Tensor } from '../../ir/tensor.ts';
import { OnnxError } from './errors.ts';
import {
  AttributeType, DataType,
  type IAttributeProto, type INodeProto, type ITensorProto, type IValueInfoProto,
} from './proto.ts';

export type AttrValue = number | number[] | string | { floats: number[] } | { float: number };

/** An integer attribute list is written as INTS; `float()` marks a float. */
export function attr(name: string, v: AttrValue): IAttributeProto {
  if (typeof v === 'string') return { name, type: AttributeType.STRING, s: new TextEncoder().encode(v) };
  if (typeof v === 'number') return { name, type: AttributeType.INT, i: v };
  if (Array.isArray(v)) return { name, type: AttributeType.INTS, ints: v };
  if ('floats' in v) return { name, type: AttributeType.FLOATS, floats: v.floats };
  return { name, type: AttributeType.FLOAT, f: v.float };
}

export const float = (x: number) => ({ float: x });

export function floatTensor(name: string, shape: number[], data: Float32Array): ITensorProto {
  const raw = new Uint8Array(data.byteLength);
  const view = new DataView(raw.buffer);
  for (let i = 0; i < data.length; i++) view.setFloat32(4 * i, data[i]!, true);
  return { name, dims: shape, dataType: DataType.FLOAT, rawData: raw };
}

export function int64Tensor(name: string, values: number[]): ITensorProto {
  return { name, dims: [values.length], dataType: DataType.INT64, int64Data: values };
}

export function valueInfo(name: string, shape: number[], params?: readonly (string | undefined)[]): IValueInfoProto {
  return {
    name,
    type: { tensorType: { elemType: DataType.FLOAT, shape: { dim: shape.map((d, i) => (params?.[i] !== undefined ? { dimParam: params[i] } : { dimValue: d })) } } },
  };
}

export class OnnxWriter {
  readonly nodes: INodeProto[] = [];
  readonly initializers: ITensorProto[] = [];
  private readonly initNames = new Set<string>();
  private readonly nodeNames = new Set<string>();
  /** ONNX name of every IR value. */
  readonly valueNames = new Map<number, string>();
  /** Every value name given out, IR values and values added by multi-node lowerings. */
  readonly usedValueNames = new Set<string>();

  constructor(
    readonly graph: Graph<number>,
    readonly weights: WeightStore,
    readonly opset: number,
  ) {}

  value(id: number): Value<number> {
    return this.graph.values[id]!;
  }

  name(id: number): string {
    return this.valueNames.get(id)!;
  }

  /** `inception3a.p2_2` + `Conv` -> `/inception3a/p2_2/Conv`, unique in the model. */
  nodeName(n: Node<number>, opType: string): string {
    const path = n.name.split('.').filter((s) => s.length > 0);
    const base = `/${[...path, opType].join('/')}`;
    let name = base;
    for (let i = 1; this.nodeNames.has(name); i++) name = `${base}_${i}`;
    this.nodeNames.add(name);
    return name;
  }

  emit(n: Node<number>, opType: string, inputs: string[], outputs: string[], attributes: IAttributeProto[] = []): void {
    this.nodes.push({ name: this.nodeName(n, opType), opType, input: inputs, output: outputs, attribute: attributes });
  }

  /** The initializer of a node's weight `role`, added once even when several nodes share it. */
  param(n: Node<number>, role: string): string {
    const ref = n.params[role];
    if (!ref) throw new OnnxError('NET5020', { node: n.name, op: n.op, detail: `it has no ${role} weight` });
    if (!this.initNames.has(ref.name)) {
      const t: Tensor | undefined = this.weights.get(ref.name);
      if (!t) throw new OnnxError('NET5020', { node: n.name, op: n.op, detail: `weight ${ref.name} is not in the weight store` });
      if (t.shape.length !== ref.shape.length || t.shape.some((d, i) => d !== ref.shape[i]) || t.data.length !== numel(t.shape)) {
        throw new OnnxError('NET5020', {
          node: n.name, op: n.op,
          detail: `weight ${ref.name} is [${t.shape.join(', ')}], the node expects [${ref.shape.join(', ')}]`,
        });
      }
      this.initializers.push(floatTensor(ref.name, t.shape, t.data));
      this.initNames.add(ref.name);
    }
    return ref.name;
  }

  /** A constant that is not a weight (clip bounds, reshape shapes, resize scales). */
  constant(n: Node<number>, what: string, t: ITensorProto): string {
    const base = `/${[...n.name.split('.').filter((s) => s.length > 0), what].join('/')}`;
    let name = base;
    for (let i = 1; this.initNames.has(name); i++) name = `${base}_${i}`;
    this.initNames.add(name);
    this.initializers.push({ ...t, name });
    return name;
  }

  /** A new value name not used by any value or initializer. */
  fresh(base: string): string {
    let name = base.length > 0 ? base : 'v';
    for (let i = 1; this.usedValueNames.has(name) || this.initNames.has(name); i++) name = `${base}_${i}`;
    this.usedValueNames.add(name);
    return name;
  }
}

export function unsupported(n: Node<number>, detail: string): never {
  throw new OnnxError('NET5020', { node: n.name, op: n.op, detail });
}
