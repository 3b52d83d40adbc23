/**
 * One handler per supported ONNX operator: read the node (opset 11 to 21 differences
 * included), compute the output shape, and return the IR node that computes the same thing,
 * or reject with a reason. Attributes come out normalised as ops/attrs.ts defines them.
 */
import type { ActivationAttrs, ConvAttrs, ConvTransposeAttrs, PoolAttrs } from '../../ops/attrs.ts';
import { convOutputShape, convTransposeOutputShape, poolOutputShape } from '../../ops/output-size.ts';
import type { NodeContext, PendingNode } from './importContext.ts';
import { checkSizes, fill, rankOf, show, type Handler } from './importShapes.ts';
import { elu, gelu, hardSigmoid, hardSwish, prelu, swish } from './importActivations.ts';
import { binary, reduce } from './importElementwise.ts';
import { cast, foldConstantConcat, gather, shapeOf, squeeze, unsqueeze } from './importFold.ts';
import { resize } from './importResize.ts';
import { channelShuffle, pad, slice, split, transposedPadsForShape } from './importSpatial.ts';

const same = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((x, i) => x === b[i]);

function weightParam(data: Float32Array, dims: number[], source?: string, trainable = true) {
  return { data, shape: dims, trainable, source };
}

/** Begin and end padding per axis from `pads` or `auto_pad` (SAME_UPPER puts the odd one at the end). */
function spatialPads(ctx: NodeContext, rank: number, inSp: number[], kernel: number[], stride: number[], dilation: number[]): { begin: number[]; end: number[] } {
  const autoPad = ctx.attrString('auto_pad', 'NOTSET');
  if (autoPad === 'NOTSET') {
    const pads = ctx.attrInts('pads') ?? fill(2 * rank, 0);
    if (pads.length !== 2 * rank) ctx.reject(`pads has ${pads.length} entries, expected ${2 * rank}`);
    if (pads.some((p) => !Number.isSafeInteger(p) || p < 0)) ctx.reject(`pads ${show(pads)} must be non-negative`);
    return { begin: pads.slice(0, rank), end: pads.slice(rank) };
  }
  if (autoPad === 'VALID') return { begin: fill(rank, 0), end: fill(rank, 0) };
  if (autoPad !== 'SAME_UPPER' && autoPad !== 'SAME_LOWER') ctx.reject(`auto_pad ${autoPad} is not an ONNX padding mode`);
  const begin: number[] = [];
  const end: number[] = [];
  for (let a = 0; a < rank; a++) {
    const out = Math.ceil(inSp[a]! / stride[a]!);
    const total = Math.max(0, (out - 1) * stride[a]! + dilation[a]! * (kernel[a]! - 1) + 1 - inSp[a]!);
    const small = Math.floor(total / 2);
    begin.push(autoPad === 'SAME_UPPER' ? small : total - small);
    end.push(autoPad === 'SAME_UPPER' ? total - small : small);
  }
  return { begin, end };
}

function positiveInts(ctx: NodeContext, name: string, v: number[] | undefined, rank: number, dflt: number): number[] {
  const out = v ?? fill(rank, dflt);
  if (out.length !== rank) ctx.reject(`${name} has ${out.length} entries, expected ${rank}`);
  if (out.some((x) => !Number.isSafeInteger(x) || x < 1)) ctx.reject(`${name} ${show(out)} must be positive integers`);
  return out;
}

const conv: Handler = (ctx) => {
  const xs = ctx.shape(0);
  const rank = rankOf(ctx, xs);
  const w = ctx.floats(1, 'weight');
  if (w.dims.length !== rank + 2) ctx.mismatch(`weight ${show(w.dims)} must have rank ${rank + 2}`);
  const groups = ctx.attrInt('group', 1);
  const [out, cg] = [w.dims[0]!, w.dims[1]!];
  if (groups < 1 || xs[1]! !== cg * groups || out % groups !== 0) {
    ctx.mismatch(`weight ${show(w.dims)} with group=${groups} does not fit an input with ${xs[1]} channels`);
  }
  const kernel = positiveInts(ctx, 'kernel_shape', ctx.attrInts('kernel_shape'), rank, 1);
  if (!same(kernel, w.dims.slice(2))) ctx.mismatch(`kernel_shape ${show(kernel)} differs from the weight ${show(w.dims)}`);
  const stride = positiveInts(ctx, 'strides', ctx.attrInts('strides'), rank, 1);
  const dilation = positiveInts(ctx, 'dilations', ctx.attrInts('dilations'), rank, 1);
  const inSp = xs.slice(2);
  const { begin, end } = spatialPads(ctx, rank, inSp, kernel, stride, dilation);
  const params: PendingNode['params'] = { weight: weightParam(w.data, w.dims, w.name) };
  if (ctx.has(2)) {
    const b = ctx.floats(2, 'bias');
    if (!same(b.dims, [out])) ctx.mismatch(`bias ${show(b.dims)} must be [${out}]`);
    params['bias'] = weightParam(b.data, b.dims, b.name);
  }
  const attrs: ConvAttrs = {
    rank, outChannels: out, kernel, stride, padBegin: begin, padEnd: end, dilation, groups, bias: ctx.has(2),
  };
  return { op: 'conv', inputs: [ctx.tensor(0)], attrs, outShape: checkSizes(ctx, convOutputShape(xs, attrs)), params };
};

const convTranspose: Handler = (ctx) => {
  const xs = ctx.shape(0);
  const rank = rankOf(ctx, xs);
  const w = ctx.floats(1, 'weight');
  if (w.dims.length !== rank + 2) ctx.mismatch(`weight ${show(w.dims)} must have rank ${rank + 2}`);
  const groups = ctx.attrInt('group', 1);
  if (groups < 1 || w.dims[0] !== xs[1] || xs[1]! % groups !== 0) {
    ctx.mismatch(`weight ${show(w.dims)} with group=${groups} does not fit an input with ${xs[1]} channels`);
  }
  const out = w.dims[1]! * groups;
  const kernel = positiveInts(ctx, 'kernel_shape', ctx.attrInts('kernel_shape'), rank, 1);
  if (!same(kernel, w.dims.slice(2))) ctx.mismatch(`kernel_shape ${show(kernel)} differs from the weight ${show(w.dims)}`);
  const stride = positiveInts(ctx, 'strides', ctx.attrInts('strides'), rank, 1);
  const dilation = positiveInts(ctx, 'dilations', ctx.attrInts('dilations'), rank, 1);
  const autoPad = ctx.attrString('auto_pad', 'NOTSET');
  const outputShape = ctx.attrInts('output_shape');
  let pad: number[];
  let outputPad = ctx.attrInts('output_padding') ?? fill(rank, 0);
  if (outputShape) {
    ({ pad, outputPad } = transposedPadsForShape(ctx, xs.slice(2), outputShape, kernel, stride, dilation, outputPad, autoPad));
  } else {
    if (autoPad !== 'NOTSET' && autoPad !== 'VALID') ctx.reject(`auto_pad ${autoPad} is not supported for ConvTranspose`);
    const pads = autoPad === 'VALID' ? fill(2 * rank, 0) : ctx.attrInts('pads') ?? fill(2 * rank, 0);
    if (pads.length !== 2 * rank || pads.some((p) => p < 0)) ctx.reject(`pads ${show(pads)} must hold ${2 * rank} non-negative entries`);
    pad = pads.slice(0, rank);
    if (!same(pad, pads.slice(rank))) ctx.reject(`pads ${show(pads)} differ at the begin and end of an axis; PyTorch's transposed convolution pads both ends alike`);
  }
  if (outputPad.length !== rank || outputPad.some((p, a) => p < 0 || p >= Math.max(stride[a]!, dilation[a]!))) {
    ctx.reject(`output_padding ${show(outputPad)} must be below max(stride, dilation) on each axis`);
  }
  const params: PendingNode['params'] = { weight: weightParam(w.data, w.dims, w.name) };
  if (ctx.has(2)) {
    const b = ctx.floats(2, 'bias');
    if (!same(b.dims, [out])) ctx.mismatch(`bias ${show(b.dims)} must be [${out}]`);
    params['bias'] = weightParam(b.data, b.dims, b.name);
  }
  const attrs: ConvTransposeAttrs = { rank, outChannels: out, kernel, stride, pad, outputPad, dilation, groups, bias: ctx.has(2) };
  return { op: 'conv_transpose', inputs: [ctx.tensor(0)], attrs, outShape: checkSizes(ctx, convTransposeOutputShape(xs, attrs)), params };
};

function pool(kind: 'maxpool' | 'avgpool'): Handler {
  return (ctx) => {
    ctx.onlyFirstOutput();
    const xs = ctx.shape(0);
    const rank = rankOf(ctx, xs);
    const kernel = positiveInts(ctx, 'kernel_shape', ctx.attrInts('kernel_shape'), rank, 1);
    if (!ctx.attrInts('kernel_shape')) ctx.reject('kernel_shape is required');
    const stride = positiveInts(ctx, 'strides', ctx.attrInts('strides'), rank, 1);
    const dilation = positiveInts(ctx, 'dilations', ctx.attrInts('dilations'), rank, 1);
    if (kind === 'avgpool' && dilation.some((d) => d !== 1)) ctx.reject('average pooling with dilation has no PyTorch equivalent');
    if (kind === 'maxpool' && ctx.attrInt('storage_order', 0) !== 0) ctx.reject('storage_order 1 (column-major indices) is not supported');
    const inSp = xs.slice(2);
    const { begin, end } = spatialPads(ctx, rank, inSp, kernel, stride, dilation);
    if (!same(begin, end)) ctx.reject(`padding ${show(begin)} before and ${show(end)} after differ; PyTorch pooling pads both ends alike`);
    if (begin.some((p, a) => p > Math.floor(kernel[a]! / 2))) ctx.reject(`padding ${show(begin)} exceeds half the window ${show(kernel)}, which PyTorch does not allow`);
    const ceil = ctx.attrInt('ceil_mode', 0) !== 0;
    const attrs: PoolAttrs = {
      rank, kernel, stride, pad: begin, dilation, ceil,
      countIncludePad: kind === 'avgpool' ? ctx.attrInt('count_include_pad', 0) !== 0 : false,
    };
    // The pool's own size rule drops, as PyTorch and onnxruntime do, a last ceil-mode window
    // that would start in the right padding.
    return { op: kind, inputs: [ctx.tensor(0)], attrs, outShape: checkSizes(ctx, poolOutputShape(xs, attrs)), params: {} };
  };
}

function globalPool(op: 'adaptive_avgpool' | 'adaptive_maxpool'): Handler {
  return (ctx) => {
    const xs = ctx.shape(0);
    const rank = rankOf(ctx, xs);
    return { op, inputs: [ctx.tensor(0)], attrs: { rank, size: fill(rank, 1) }, outShape: [xs[0]!, xs[1]!, ...fill(rank, 1)], params: {} };
  };
}

const batchNorm: Handler = (ctx) => {
  ctx.onlyFirstOutput();
  if (ctx.attrInt('training_mode', 0) !== 0) ctx.reject('training_mode=1 is not supported; netc runs batch norm in inference mode');
  const xs = ctx.shape(0);
  const C = xs[1]!;
  const roles = ['weight', 'bias', 'running_mean', 'running_var'] as const;
  const params: PendingNode['params'] = {};
  roles.forEach((role, k) => {
    const t = ctx.floats(k + 1, role);
    if (!same(t.dims, [C])) ctx.mismatch(`${role} ${show(t.dims)} must be [${C}]`);
    params[role] = weightParam(t.data, t.dims, t.name, !role.startsWith('running_'));
  });
  return { op: 'batchnorm', inputs: [ctx.tensor(0)], attrs: { eps: ctx.attrFloat('epsilon', 1e-5) }, outShape: xs, params };
};

function unary<K extends 'relu' | 'leaky_relu' | 'sigmoid' | 'tanh'>(op: K, attrs: (ctx: NodeContext) => ActivationAttrs = () => ({})): Handler {
  return (ctx) => ({ op, inputs: [ctx.tensor(0)], attrs: attrs(ctx), outShape: ctx.shape(0), params: {} });
}

function scalarInput(ctx: NodeContext, i: number, what: string): number | undefined {
  if (!ctx.has(i)) return undefined;
  const c = ctx.floats(i, what);
  if (c.data.length !== 1) ctx.reject(`the ${what} must be a scalar, found dims ${show(c.dims)}`);
  return c.data[0];
}

const clip: Handler = (ctx) => {
  // Opset 11 moved min and max from attributes to optional inputs; accept either.
  const attrMin = ctx.node.attrs.has('min') ? ctx.attrFloat('min', 0) : undefined;
  const attrMax = ctx.node.attrs.has('max') ? ctx.attrFloat('max', 0) : undefined;
  const min = scalarInput(ctx, 1, 'min') ?? attrMin;
  const max = scalarInput(ctx, 2, 'max') ?? attrMax;
  if (min === 0 && max === 6) return { op: 'relu6', inputs: [ctx.tensor(0)], attrs: { min, max }, outShape: ctx.shape(0), params: {} };
  if (min === 0 && max === undefined) return { op: 'relu', inputs: [ctx.tensor(0)], attrs: {}, outShape: ctx.shape(0), params: {} };
  // Without either bound Clip is the identity (an exporter's clamp with neither given).
  if (min === undefined && max === undefined) return { op: 'identity', inputs: [ctx.tensor(0)], attrs: {}, outShape: ctx.shape(0), params: {} };
  return { op: 'clip', inputs: [ctx.tensor(0)], attrs: { min, max }, outShape: ctx.shape(0), params: {} };
};

const concat: Handler = (ctx) => {
  const shapes = ctx.node.inputs.map((_, i) => ctx.shape(i));
  const rank = shapes[0]!.length;
  let axis = ctx.attrInt('axis', 1);
  if (axis < -rank || axis >= rank) ctx.reject(`axis ${axis} is outside a rank-${rank} tensor`);
  if (axis < 0) axis += rank;
  const out = [...shapes[0]!];
  out[axis] = 0;
  for (const s of shapes) {
    if (s.length !== rank || s.some((d, i) => i !== axis && d !== out[i])) ctx.mismatch(`inputs ${shapes.map(show).join(', ')} differ outside axis ${axis}`);
    out[axis]! += s[axis]!;
  }
  return { op: 'concat', inputs: ctx.node.inputs.map((_, i) => ctx.tensor(i)), attrs: { axis }, outShape: out, params: {} };
};

function transpose2d(data: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(data.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = data[r * cols + c]!;
  return out;
}

function linearNode(ctx: NodeContext, x: number, inShape: number[], weight: Float32Array, out: number, inF: number, wSource: string | undefined, bias?: { data: Float32Array; source?: string }): PendingNode {
  if (inShape[inShape.length - 1] !== inF) ctx.mismatch(`the input ${show(inShape)} has ${inShape[inShape.length - 1]} features, the weight expects ${inF}`);
  const params: PendingNode['params'] = { weight: weightParam(weight, [out, inF], wSource) };
  if (bias) params['bias'] = weightParam(bias.data, [out], bias.source);
  return { op: 'linear', inputs: [x], attrs: { outFeatures: out, bias: !!bias }, outShape: [...inShape.slice(0, -1), out], params };
}

/** A bias operand of shape [O], [1, O] or a scalar, as [O] floats; undefined when it is anything else. */
function biasVector(dims: number[], data: Float32Array, out: number): Float32Array | undefined {
  const n = dims.reduce((a, b) => a * b, 1);
  if (n === 1) return new Float32Array(out).fill(data[0]!);
  if (n === out && dims[dims.length - 1] === out) return data;
  return undefined;
}

const gemm: Handler = (ctx) => {
  const xs = ctx.shape(0);
  if (xs.length !== 2) ctx.mismatch(`A ${show(xs)} must be 2-D`);
  if (ctx.attrInt('transA', 0) !== 0) ctx.reject('transA=1 is not supported: the first operand must be the [batch, features] activations');
  const w = ctx.floats(1, 'weight');
  if (w.dims.length !== 2) ctx.mismatch(`B ${show(w.dims)} must be 2-D`);
  const transB = ctx.attrInt('transB', 0) !== 0;
  const [out, inF] = transB ? [w.dims[0]!, w.dims[1]!] : [w.dims[1]!, w.dims[0]!];
  const alpha = ctx.attrFloat('alpha', 1);
  const beta = ctx.attrFloat('beta', 1);
  // y = alpha * A B + beta * C: a linear layer with weight alpha*B^T (PyTorch layout) and bias beta*C.
  let weight = transB ? w.data : transpose2d(w.data, w.dims[0]!, w.dims[1]!);
  if (alpha !== 1) weight = weight.map((v) => v * alpha);
  let bias: { data: Float32Array; source?: string } | undefined;
  if (ctx.has(2) && beta !== 0) {
    const c = ctx.floats(2, 'bias');
    const v = biasVector(c.dims, c.data, out);
    if (!v) ctx.reject(`C ${show(c.dims)} is not a bias vector of ${out} values`);
    bias = { data: beta === 1 ? v! : v!.map((x) => x * beta), source: beta === 1 && same(c.dims, [out]) ? c.name : undefined };
  }
  return linearNode(ctx, ctx.tensor(0), xs, weight, out, inF, transB && alpha === 1 ? w.name : undefined, bias);
};

const matmul: Handler = (ctx) => {
  const xs = ctx.shape(0);
  const w = ctx.floats(1, 'weight');
  if (w.dims.length !== 2) ctx.reject(`the second operand ${show(w.dims)} must be a 2-D constant (a linear layer's weight)`);
  const [inF, out] = [w.dims[0]!, w.dims[1]!];
  // MatMul followed by Add of a constant [O] vector (the only reader) is a linear layer with bias.
  const readers = ctx.consumers(ctx.node.outputs[0]!);
  let bias: { data: Float32Array; source?: string } | undefined;
  const add = readers.length === 1 && readers[0]!.opType === 'Add' ? readers[0]! : undefined;
  if (add && (ctx.state.uses.get(ctx.node.outputs[0]!) ?? 0) === 1) {
    const other = add.inputs[0] === ctx.node.outputs[0] ? add.inputs[1]! : add.inputs[0]!;
    const o = ctx.state.env.get(other);
    if (o?.kind === 'const' && o.c.floats && same(o.c.dims, [out])) {
      bias = { data: o.c.floats, source: o.name };
      ctx.state.absorbed.add(add);
    }
  }
  const node = linearNode(ctx, ctx.tensor(0), xs, transpose2d(w.data, inF, out), out, inF, undefined, bias);
  return node;
};

/** `[d0, d1, ..., dn]` -> the flatten of axes [start, end] that gives `target`, if one does. */
function flattenRange(input: number[], target: number[]): { start: number; end: number } | undefined {
  const merged = input.length - target.length + 1;
  if (merged < 1) return undefined;
  // Start at axis 1 first: keeping the batch axis is what PyTorch's flatten does by default.
  const starts = [...Array(input.length).keys()].map((i) => (i + 1) % input.length);
  for (const start of starts) {
    if (start + merged > input.length) continue;
    const end = start + merged - 1;
    const prod = input.slice(start, end + 1).reduce((a, b) => a * b, 1);
    const candidate = [...input.slice(0, start), prod, ...input.slice(end + 1)];
    if (same(candidate, target)) return { start, end };
  }
  return undefined;
}

function flattenNode(ctx: NodeContext, xs: number[], target: number[]): PendingNode {
  if (same(xs, target)) return { op: 'identity', inputs: [ctx.tensor(0)], attrs: {}, outShape: xs, params: {} };
  const r = flattenRange(xs, target);
  if (!r) ctx.reject(`reshaping ${show(xs)} to ${show(target)} is not a flatten of adjacent axes`);
  const { start, end } = r!;
  return { op: 'flatten', inputs: [ctx.tensor(0)], attrs: { start, end }, outShape: target, params: {} };
}

const flatten: Handler = (ctx) => {
  const xs = ctx.shape(0);
  let axis = ctx.attrInt('axis', 1);
  if (axis < -xs.length || axis > xs.length) ctx.reject(`axis ${axis} is outside a rank-${xs.length} tensor`);
  if (axis < 0) axis += xs.length;
  const prod = (s: number[]) => s.reduce((a, b) => a * b, 1);
  return flattenNode(ctx, xs, [prod(xs.slice(0, axis)), prod(xs.slice(axis))]);
};

const reshape: Handler = (ctx) => {
  const shuffle = channelShuffle(ctx);
  if (shuffle) return shuffle;
  const xs = ctx.shape(0);
  const spec = ctx.ints(1, 'shape');
  const allowZero = ctx.attrInt('allowzero', 0) !== 0;
  const target = spec.map((d, i) => (d === 0 && !allowZero ? xs[i] ?? 0 : d));
  const total = xs.reduce((a, b) => a * b, 1);
  const known = target.filter((d) => d !== -1).reduce((a, b) => a * b, 1);
  if (target.filter((d) => d === -1).length > 1 || target.some((d) => d < -1)) ctx.reject(`shape ${show(spec)} is not a valid reshape`);
  const full = target.map((d) => (d === -1 ? (known === 0 ? 0 : total / known) : d));
  if (full.reduce((a, b) => a * b, 1) !== total || full.some((d) => !Number.isInteger(d))) ctx.mismatch(`cannot reshape ${show(xs)} to ${show(spec)}`);
  return flattenNode(ctx, xs, full);
};

const softmax: Handler = (ctx) => {
  const xs = ctx.shape(0);
  const rank = xs.length;
  let axis = ctx.attrInt('axis', ctx.opset >= 13 ? -1 : 1);
  if (axis < -rank || axis >= rank) ctx.reject(`axis ${axis} is outside a rank-${rank} tensor`);
  if (axis < 0) axis += rank;
  if (ctx.opset < 13 && xs.slice(axis + 1).some((d) => d !== 1)) {
    // Before opset 13, Softmax normalises over all axes from `axis` on (the input flattened to 2-D).
    ctx.reject(`before opset 13 Softmax with axis=${axis} normalises over axes ${axis} to ${rank - 1} of ${show(xs)} together; netc's softmax normalises over one axis`);
  }
  return { op: 'softmax', inputs: [ctx.tensor(0)], attrs: { axis }, outShape: xs, params: {} };
};

const dropout: Handler = (ctx) => {
  ctx.onlyFirstOutput();
  if (ctx.has(2)) {
    const t = ctx.constant(2, 'training_mode');
    if ((t.ints ?? [0])[0] !== 0) ctx.reject('training_mode=true is not supported');
  }
  const p = ctx.has(1) ? scalarInput(ctx, 1, 'ratio')! : ctx.attrFloat('ratio', 0.5);
  return { op: 'dropout', inputs: [ctx.tensor(0)], attrs: { p }, outShape: ctx.shape(0), params: {} };
};

const identity: Handler = (ctx) => {
  const o = ctx.operand(0);
  if (o.kind === 'const') {
    ctx.constantOutput(o.c);
    return 'done';
  }
  return { op: 'identity', inputs: [o.id], attrs: {}, outShape: ctx.shape(0), params: {} };
};

/** Transpose of a constant (exporters write a linear weight as Transpose + MatMul) is folded. */
const transpose: Handler = (ctx) => {
  const c = ctx.constant(0, 'transposed tensor');
  const rank = c.dims.length;
  const perm = ctx.attrInts('perm') ?? [...Array(rank).keys()].reverse();
  if (perm.length !== rank || [...perm].sort((a, b) => a - b).some((p, i) => p !== i)) ctx.reject(`perm ${show(perm)} is not a permutation of ${rank} axes`);
  const dims = perm.map((p) => c.dims[p]!);
  const inStrides = c.dims.map((_, a) => c.dims.slice(a + 1).reduce((x, y) => x * y, 1));
  const total = dims.reduce((x, y) => x * y, 1);
  const src = c.floats ?? Float32Array.from(c.ints ?? []);
  const out = new Float32Array(total);
  const coord = new Array<number>(rank).fill(0);
  for (let i = 0; i < total; i++) {
    let from = 0;
    for (let a = 0; a < rank; a++) from += coord[a]! * inStrides[perm[a]!]!;
    out[i] = src[from]!;
    for (let a = rank - 1; a >= 0; a--) {
      if (++coord[a]! < dims[a]!) break;
      coord[a] = 0;
    }
  }
  ctx.constantOutput(c.floats ? { dims, floats: out } : { dims, ints: [...out] });
  return 'done';
};

const constant: Handler = (ctx) => {
  const a = ctx.node.attrs;
  const f = (v: number[], dims: number[]) => ctx.constantOutput({ dims, floats: Float32Array.from(v) });
  if (a.has('value')) {
    const v = a.get('value')!;
    if (v.kind !== 'tensor') return ctx.reject('attribute value must be a TENSOR');
    ctx.constantOutput(v.value);
  } else if (a.has('value_float')) f([ctx.attrFloat('value_float', 0)], []);
  else if (a.has('value_floats')) f(ctx.attrFloats('value_floats')!, [ctx.attrFloats('value_floats')!.length]);
  else if (a.has('value_int')) ctx.constantOutput({ dims: [], ints: [ctx.attrInt('value_int', 0)] });
  else if (a.has('value_ints')) ctx.constantOutput({ dims: [ctx.attrInts('value_ints')!.length], ints: ctx.attrInts('value_ints')! });
  else ctx.reject('only value, value_float(s) and value_int(s) constants are supported');
  return 'done';
};

export const handlers: Record<string, Handler> = {
  Conv: conv,
  ConvTranspose: convTranspose,
  BatchNormalization: batchNorm,
  Relu: unary('relu'),
  LeakyRelu: unary('leaky_relu', (ctx) => ({ slope: ctx.attrFloat('alpha', 0.01) })),
  Clip: clip,
  Sigmoid: unary('sigmoid'),
  Tanh: unary('tanh'),
  HardSigmoid: hardSigmoid,
  HardSwish: hardSwish,
  Swish: swish,
  Gelu: gelu,
  Elu: elu,
  PRelu: prelu,
  MaxPool: pool('maxpool'),
  AveragePool: pool('avgpool'),
  GlobalAveragePool: globalPool('adaptive_avgpool'),
  GlobalMaxPool: globalPool('adaptive_maxpool'),
  Concat: foldConstantConcat(concat),
  Add: binary('add'),
  Sub: binary('sub'),
  Mul: binary('mul'),
  Div: binary('div'),
  ReduceMean: reduce('reduce_mean'),
  ReduceMax: reduce('reduce_max'),
  Gemm: gemm,
  MatMul: matmul,
  Flatten: flatten,
  Reshape: reshape,
  Squeeze: squeeze,
  Unsqueeze: unsqueeze,
  Shape: shapeOf,
  Gather: gather,
  Cast: cast,
  Softmax: softmax,
  Resize: resize(false),
  Upsample: resize(true),
  Pad: pad,
  Slice: slice,
  Split: split,
  Dropout: dropout,
  Identity: identity,
  Constant: constant,
  Transpose: transpose,
};
