/**
 * One IR node -> the operator call that the checker turns back into the same node: the
 * spelling, and the arguments whose normalisation gives the node's attributes (defaults left
 * out, per-axis values collapsed to one number when they agree).
 */
import type {
  ActivationAttrs, AdaptivePoolAttrs, AxisAttrs, BatchNormAttrs, ConvAttrs, ConvTransposeAttrs,
  DropoutAttrs, FlattenAttrs, LinearAttrs, PoolAttrs, UpsampleAttrs,
} from '../../ops/attrs.ts';
import type { Graph, Node } from '../../ir/graph.ts';
import { opByName } from '../../ops/registry.ts';

/** An argument value as the language writes it. */
export type ArgValue =
  | { type: 'int'; v: number }
  | { type: 'float'; v: number }
  | { type: 'bool'; v: boolean }
  | { type: 'string'; v: string }
  | { type: 'ints'; v: number[] }
  | { type: 'floats'; v: number[] };

export interface CallArg {
  /** Undefined for a positional argument. */
  name?: string;
  value: ArgValue;
  /** The value the checker assumes when the argument is left out. */
  dflt?: ArgValue;
}

export interface OpCall {
  callee: string;
  args: CallArg[];
}

export class SourceProblem extends Error {}

/** The shortest decimal that reads back to the same float32 (eps 1e-5 stored as float32 prints as 0.00001). */
export function formatFloat(x: number): string {
  if (Number.isInteger(x) && Math.abs(x) < 1e15) return String(x);
  const f = Math.fround(x);
  for (let p = 1; p <= 17; p++) {
    const s = Number(x.toPrecision(p));
    if (Math.fround(s) === f) return String(s);
  }
  return String(x);
}

export function formatArg(v: ArgValue): string {
  switch (v.type) {
    case 'int': return String(v.v);
    case 'float': return formatFloat(v.v);
    case 'bool': return v.v ? 'true' : 'false';
    case 'string': return JSON.stringify(v.v);
    case 'ints':
    case 'floats': {
      const items = v.v.map((x) => (v.type === 'ints' ? String(x) : formatFloat(x)));
      if (items.every((s) => s === items[0])) return items[0]!;
      return items.length === 1 ? `(${items[0]},)` : `(${items.join(', ')})`;
    }
  }
}

const allEqual = (xs: readonly number[], v: number) => xs.every((x) => x === v);
const sameFloat = (a: number, b: number) => Math.fround(a) === Math.fround(b);

function ints(name: string, v: number[], dflt: number): CallArg[] {
  return [{ name, value: { type: 'ints', v }, dflt: { type: 'ints', v: v.map(() => dflt) } }];
}

const flag = (name: string, v: boolean, dflt: boolean): CallArg => ({ name, value: { type: 'bool', v }, dflt: { type: 'bool', v: dflt } });
const intArg = (name: string, v: number, dflt: number): CallArg => ({ name, value: { type: 'int', v }, dflt: { type: 'int', v: dflt } });
/** A float argument; the default is compared as float32, since ONNX stores 1e-5 as 0.0000099999997. */
const floatArg = (name: string, v: number, dflt: number): CallArg =>
  ({ name, value: { type: 'float', v: sameFloat(v, dflt) ? dflt : v }, dflt: { type: 'float', v: dflt } });

function convCall(n: Node<number>): OpCall {
  const a = n.attrs as unknown as ConvAttrs;
  const args: CallArg[] = [{ value: { type: 'int', v: a.outChannels } }, { name: 'k', value: { type: 'ints', v: a.kernel } }];
  args.push(...ints('stride', a.stride, 1));
  if (a.padBegin.every((p, i) => p === a.padEnd[i])) {
    args.push(...ints('pad', a.padBegin, 0));
  } else {
    // Unequal ends occur in the language only as "same" padding with stride 1.
    const same = a.stride.every((s) => s === 1) && a.kernel.every((k, i) => {
      const total = a.dilation[i]! * (k - 1);
      return a.padBegin[i] === Math.floor(total / 2) && a.padEnd[i] === total - Math.floor(total / 2);
    });
    if (!same) throw new SourceProblem(`${n.name} pads [${a.padBegin.join(', ')}] before and [${a.padEnd.join(', ')}] after, which only pad="same" (stride 1) can say`);
    args.push({ name: 'pad', value: { type: 'string', v: 'same' } });
  }
  args.push(...ints('dilation', a.dilation, 1));
  args.push(intArg('groups', a.groups, 1), flag('bias', a.bias, true));
  return { callee: 'conv', args };
}

function convTransposeCall(n: Node<number>): OpCall {
  const a = n.attrs as unknown as ConvTransposeAttrs;
  const args: CallArg[] = [{ value: { type: 'int', v: a.outChannels } }, { name: 'k', value: { type: 'ints', v: a.kernel } }];
  args.push(...ints('stride', a.stride, 1), ...ints('pad', a.pad, 0), ...ints('output_pad', a.outputPad, 0), ...ints('dilation', a.dilation, 1));
  args.push(intArg('groups', a.groups, 1), flag('bias', a.bias, true));
  return { callee: 'conv_transpose', args };
}

function poolCall(n: Node<number>): OpCall {
  const a = n.attrs as unknown as PoolAttrs;
  const args: CallArg[] = [{ name: 'k', value: { type: 'ints', v: a.kernel } }];
  args.push({ name: 'stride', value: { type: 'ints', v: a.stride }, dflt: { type: 'ints', v: a.kernel } });
  args.push(...ints('pad', a.pad, 0));
  if (n.op === 'maxpool') args.push(...ints('dilation', a.dilation, 1));
  args.push(flag('ceil', a.ceil, false));
  if (n.op === 'avgpool') args.push(flag('count_include_pad', a.countIncludePad, true));
  return { callee: n.op, args };
}

function upsampleCall(n: Node<number>): OpCall {
  const a = n.attrs as unknown as UpsampleAttrs;
  const args: CallArg[] = a.scale
    ? [{ name: 'scale', value: { type: 'floats', v: a.scale } }]
    : [{ name: 'size', value: { type: 'ints', v: a.size } }];
  const mode = a.mode === 'linear' ? ['linear', 'bilinear', 'trilinear'][a.rank - 1]! : 'nearest';
  args.push({ name: 'mode', value: { type: 'string', v: mode }, dflt: { type: 'string', v: 'nearest' } });
  args.push(flag('align_corners', a.alignCorners, false));
  return { callee: 'upsample', args };
}

/** The call for a single-input node; multi-input nodes (add, mul, concat) are written by the caller. */
export function opCall(n: Node<number>, graph: Graph<number>): OpCall {
  switch (n.op) {
    case 'conv': return convCall(n);
    case 'conv_transpose': return convTransposeCall(n);
    case 'maxpool':
    case 'avgpool': return poolCall(n);
    case 'adaptive_avgpool':
    case 'adaptive_maxpool': {
      const a = n.attrs as unknown as AdaptivePoolAttrs;
      const global = n.op === 'adaptive_avgpool' ? 'global_avgpool' : 'global_maxpool';
      return allEqual(a.size, 1) ? { callee: global, args: [] } : { callee: n.op, args: [{ name: 'size', value: { type: 'ints', v: a.size } }] };
    }
    case 'batchnorm': {
      const { eps } = n.attrs as unknown as BatchNormAttrs;
      return { callee: 'batchnorm', args: [floatArg('eps', eps, 1e-5)] };
    }
    case 'relu': case 'relu6': case 'sigmoid': case 'tanh': case 'identity':
      return { callee: n.op, args: [] };
    case 'clip': {
      const a = n.attrs as unknown as ActivationAttrs;
      const args: CallArg[] = [];
      if (a.min !== undefined) args.push({ name: 'min', value: { type: 'float', v: a.min } });
      if (a.max !== undefined) args.push({ name: 'max', value: { type: 'float', v: a.max } });
      return { callee: 'clip', args };
    }
    case 'leaky_relu': {
      const slope = (n.attrs as unknown as ActivationAttrs).slope ?? 0.01;
      return { callee: 'leaky_relu', args: [floatArg('slope', slope, 0.01)] };
    }
    case 'softmax': {
      const { axis } = n.attrs as unknown as AxisAttrs;
      return { callee: 'softmax', args: [intArg('axis', axis, 1)] };
    }
    case 'flatten': {
      const a = n.attrs as unknown as FlattenAttrs;
      const rank = graph.values[n.inputs[0]!]!.shape.length;
      // end is normalised; -1 (the default) says "the last axis" at any rank.
      const end = a.end === rank - 1 ? -1 : a.end;
      return { callee: 'flatten', args: [intArg('start', a.start, 1), intArg('end', end, -1)] };
    }
    case 'linear': {
      const a = n.attrs as unknown as LinearAttrs;
      return { callee: 'linear', args: [{ value: { type: 'int', v: a.outFeatures } }, flag('bias', a.bias, true)] };
    }
    case 'dropout': {
      const { p } = n.attrs as unknown as DropoutAttrs;
      return { callee: 'dropout', args: [floatArg('p', p, 0.5)] };
    }
    case 'upsample': return upsampleCall(n);
    case 'concat': {
      const { axis } = n.attrs as unknown as AxisAttrs;
      return { callee: 'concat', args: [intArg('axis', axis, 1)] };
    }
    case 'add': case 'sub': case 'mul': case 'div': case 'reduce_mean': case 'reduce_max':
      return opByName(n.op).call!(n.attrs as never, n.inputs.map((v) => graph.values[v]!.shape));
    default:
      throw new SourceProblem(`operator ${n.op} (${n.name}) has no spelling in the language`);
  }
}
