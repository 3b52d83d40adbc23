/**
 * ONNX handlers of the spatial and channel operators, and the constant folding of the shape
 * arithmetic exporters emit around them:
 * - Pad (pads and constant_value as attributes before opset 11, as inputs from 11; modes
 *   constant, reflect, edge) -> `pad`; all-zero pads are the identity.
 * - Slice of a computed tensor along one axis with step 1 -> `slice` (a channel range);
 *   Split -> one `slice` per output.
 * - Shape of a computed tensor (static sizes), and Slice, Gather and Concat of integer
 *   constants, fold to constants: segmentation heads compute their Resize `sizes` as
 *   Concat(Slice(Shape(x), 0, 2), [H, W]).
 * - Gather of a computed tensor with a constant index along one axis -> a `slice` of length
 *   1, when every reader is an Unsqueeze that puts the axis back (torchvision's
 *   `transform_input`: `torch.unsqueeze(x[:, 0], 1)`), or with consecutive 1-D indices.
 * - Reshape -> Transpose -> Reshape of a channel shuffle -> `channel_shuffle`.
 * - ConvTranspose's output_shape -> symmetric pads and output_padding.
 */
import type { PadAttrs, PadMode } from '../../ops/pad/def.ts';
import type { NodeContext, PendingNode } from './importContext.ts';
import type { OnnxNode } from './read.ts';
import { checkSizes, fill, rankOf, show, type Handler } from './importShapes.ts';

const PAD_MODES: Record<string, PadMode> = { constant: 'constant', reflect: 'reflect', edge: 'replicate' };

export const pad: Handler = (ctx) => {
  const xs = ctx.shape(0);
  const rank = rankOf(ctx, xs);
  const modeName = ctx.attrString('mode', 'constant');
  const mode = PAD_MODES[modeName] ?? ctx.reject(`mode ${modeName} is not supported (constant, reflect and edge are)`);
  let pads: number[];
  let value = 0;
  if (ctx.opset < 11) {
    pads = ctx.attrInts('pads') ?? ctx.reject('pads is required');
    value = ctx.attrFloat('value', 0);
  } else {
    pads = ctx.ints(1, 'pads');
    if (ctx.has(2)) {
      const v = ctx.floats(2, 'constant_value');
      if (v.data.length !== 1) ctx.reject(`the constant_value must be a scalar, found dims ${show(v.dims)}`);
      value = v.data[0]!;
    }
    if (ctx.has(3)) ctx.reject('the axes input (opset 18) is not supported; give pads for every axis');
  }
  const n = xs.length;
  if (pads.length !== 2 * n) ctx.reject(`pads has ${pads.length} entries, expected ${2 * n}`);
  if (pads[0] !== 0 || pads[1] !== 0 || pads[n] !== 0 || pads[n + 1] !== 0) ctx.reject(`pads ${show(pads)} pad the batch or channel axis; netc pads spatial axes only`);
  const begin = pads.slice(2, n);
  const end = pads.slice(n + 2);
  if (mode !== 'constant' && [...begin, ...end].some((p) => p < 0)) ctx.reject(`negative pads ${show(pads)} crop, which only constant mode does`);
  const sp = xs.slice(2).map((d, a) => d + begin[a]! + end[a]!);
  if (mode === 'reflect' && xs.slice(2).some((d, a) => begin[a]! >= d || end[a]! >= d)) ctx.mismatch(`reflect pads ${show(pads)} must be below the axis sizes of ${show(xs)}`);
  if ([...begin, ...end].every((p) => p === 0)) return { op: 'identity', inputs: [ctx.tensor(0)], attrs: {}, outShape: xs, params: {} };
  const attrs: PadAttrs = { rank, mode, begin, end, value: mode === 'constant' ? value : 0 };
  return { op: 'pad', inputs: [ctx.tensor(0)], attrs, outShape: checkSizes(ctx, [xs[0]!, xs[1]!, ...sp]), params: {} };
};

/** Start and end of one sliced axis of size `size`, clamped as ONNX does (step 1). */
function sliceRange(start: number, end: number, size: number): [number, number] {
  const at = (v: number) => Math.min(Math.max(v < 0 ? v + size : v, 0), size);
  return [at(start), Math.max(at(start), at(end))];
}

export const slice: Handler = (ctx) => {
  const o = ctx.operand(0);
  const starts = ctx.ints(1, 'starts');
  const ends = ctx.ints(2, 'ends');
  const rankIn = o.kind === 'const' ? o.c.dims.length : ctx.shape(0).length;
  const axes = ctx.has(3) ? ctx.ints(3, 'axes') : [...starts.keys()];
  const steps = ctx.has(4) ? ctx.ints(4, 'steps') : fill(starts.length, 1);
  if (starts.length !== ends.length || axes.length !== starts.length || steps.length !== starts.length) ctx.reject('starts, ends, axes and steps differ in length');
  if (steps.some((s) => s !== 1)) ctx.reject(`steps ${show(steps)}: only step 1 is supported`);
  const norm = axes.map((a) => (a < 0 ? a + rankIn : a));
  if (o.kind === 'const') {
    if (o.c.dims.length !== 1 || !o.c.ints) ctx.reject('only 1-D integer constants are sliced at import');
    const [s, e] = sliceRange(starts[0]!, ends[0]!, o.c.ints!.length);
    const ints = o.c.ints!.slice(s, e);
    ctx.constantOutput({ dims: [ints.length], ints });
    return 'done';
  }
  const xs = ctx.shape(0);
  const ranges = norm.map((a, k) => [a, ...sliceRange(starts[k]!, ends[k]!, xs[a]!)] as const);
  const cut = ranges.filter(([a, s, e]) => s !== 0 || e !== xs[a]);
  if (cut.length === 0) return { op: 'identity', inputs: [ctx.tensor(0)], attrs: {}, outShape: xs, params: {} };
  if (cut.length > 1) ctx.reject(`it slices ${cut.length} axes; netc slices one axis`);
  const [axis, s, e] = cut[0]!;
  if (axis === 0) ctx.reject('slicing the batch axis is not supported');
  const outShape = [...xs];
  outShape[axis] = e - s;
  return { op: 'slice', inputs: [ctx.tensor(0)], attrs: { axis, start: s, length: e - s }, outShape: checkSizes(ctx, outShape), params: {} };
};

/**
 * Gather from a computed tensor along `axis` with constant indices, as a `slice`: consecutive
 * ascending 1-D indices keep the axis; a scalar index drops it, which netc supports when every
 * reader is an Unsqueeze of that same axis (absorbed: together they are a slice of length 1).
 */
export const gatherSlice: Handler = (ctx) => {
  const xs = ctx.shape(0);
  const index = ctx.constant(1, 'indices');
  let axis = ctx.attrInt('axis', 0);
  if (axis < -xs.length || axis >= xs.length) ctx.reject(`axis ${axis} is outside a rank-${xs.length} tensor`);
  if (axis < 0) axis += xs.length;
  if (axis === 0) ctx.reject('gathering along the batch axis is not supported');
  const size = xs[axis]!;
  const idx = (index.ints ?? ctx.reject('the indices must be an integer tensor')).map((i) => (i < 0 ? i + size : i));
  if (idx.some((i) => i < 0 || i >= size)) ctx.reject(`indices ${show(index.ints!)} are outside an axis of size ${size}`);
  const start = idx[0]!;
  const slice = (length: number): PendingNode => {
    const outShape = [...xs];
    outShape[axis] = length;
    return { op: 'slice', inputs: [ctx.tensor(0)], attrs: { axis, start, length }, outShape, params: {} };
  };
  if (index.dims.length === 1) {
    if (idx.length === 0 || idx.some((i, k) => i !== start + k)) ctx.reject(`indices ${show(index.ints!)} are not consecutive ascending positions; netc gathers a range as a slice`);
    return slice(idx.length);
  }
  if (index.dims.length !== 0) ctx.reject(`indices of rank ${index.dims.length} are not supported; netc gathers a scalar index or a range`);
  const out = ctx.node.outputs[0]!;
  const readers = ctx.consumers(out);
  // Unsqueeze's axes: an attribute before opset 13, a constant input from 13.
  const unsqueezeAxes = (n: OnnxNode): number[] | undefined => {
    if (ctx.opset < 13) {
      const a = n.attrs.get('axes');
      return a?.kind === 'ints' ? a.value : undefined;
    }
    const a = ctx.state.env.get(n.inputs[1] ?? '');
    return a?.kind === 'const' ? a.c.ints : undefined;
  };
  const restores = (n: OnnxNode) => {
    const axes = n.opType === 'Unsqueeze' ? unsqueezeAxes(n) : undefined;
    return axes?.length === 1 && (axes[0]! < 0 ? axes[0]! + xs.length : axes[0]) === axis;
  };
  if (readers.length === 0 || readers.length !== (ctx.state.uses.get(out) ?? 0) || !readers.every(restores)) {
    ctx.reject(`a scalar index drops axis ${axis}, and only an Unsqueeze that puts it back (a slice of length 1) is supported after it`);
  }
  for (const r of readers) ctx.state.absorbed.add(r);
  return slice(1);
};

/**
 * Reshape [N, C, ...] -> [N, g, C/g, ...], Transpose(0, 2, 1, ...), Reshape back to
 * [N, C, ...] (how torch exports channel_shuffle and ShuffleNet's inline form) as one
 * `channel_shuffle`; the Transpose and second Reshape are absorbed. Undefined when the
 * Reshape starts no such chain.
 */
export function channelShuffle(ctx: NodeContext): PendingNode | undefined {
  const { state, node } = ctx;
  const x = state.env.get(node.inputs[0] ?? '');
  const target = state.env.get(node.inputs[1] ?? '');
  if (x?.kind !== 'value' || target?.kind !== 'const' || !target.c.ints) return undefined;
  const xs = state.values[x.id]!.shape;
  const only = (value: string, opType: string) => {
    const readers = ctx.consumers(value);
    return readers.length === 1 && readers[0]!.opType === opType && (state.uses.get(value) ?? 0) === 1 ? readers[0]! : undefined;
  };
  const transpose = only(node.outputs[0]!, 'Transpose');
  const back = transpose && only(transpose.outputs[0]!, 'Reshape');
  if (!transpose || !back) return undefined;
  const [n, c, ...rest] = xs;
  const split = target.c.ints.map((d, i) => (d === 0 ? xs[i]! : d));
  const g = split[1]!;
  const perm = transpose.attrs.get('perm');
  const wantPerm = [0, 2, 1, ...rest.map((_, i) => i + 3)];
  const backShape = state.env.get(back.inputs[1] ?? '');
  if (xs.length < 3 || g < 1 || c! % g !== 0 || split.length !== xs.length + 1) return undefined;
  if (!sameInts(split, [n!, g, c! / g, ...rest].map((d, i) => (split[i] === -1 ? -1 : d)))) return undefined;
  if (perm?.kind !== 'ints' || !sameInts(perm.value, wantPerm)) return undefined;
  if (backShape?.kind !== 'const' || !backShape.c.ints) return undefined;
  const backDims = backShape.c.ints.map((d, i) => (d === 0 ? [n!, c! / g, g, ...rest][i]! : d));
  const total = xs.reduce((a, b) => a * b, 1);
  const known = backDims.filter((d) => d !== -1).reduce((a, b) => a * b, 1);
  if (!sameInts(backDims.map((d) => (d === -1 ? total / known : d)), xs)) return undefined;
  state.absorbed.add(transpose);
  state.absorbed.add(back);
  return { op: 'channel_shuffle', inputs: [x.id], attrs: { groups: g }, outShape: xs, params: {} };
}

function sameInts(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

/**
 * Split -> one `slice` per output. Sizes: the `split` attribute before opset 13, the optional
 * second input from 13; without them equal parts (opset 18's `num_outputs`: parts of
 * ceil(size / n), the last one shorter, as torch.chunk).
 */
export const split: Handler = (ctx) => {
  const xs = ctx.shape(0);
  let axis = ctx.attrInt('axis', 0);
  if (axis < -xs.length || axis >= xs.length) ctx.reject(`axis ${axis} is outside a rank-${xs.length} tensor`);
  if (axis < 0) axis += xs.length;
  if (axis === 0) ctx.reject('splitting the batch axis is not supported');
  const size = xs[axis]!;
  const outputs = ctx.node.outputs.length;
  let sizes = ctx.opset < 13 ? ctx.attrInts('split') : ctx.has(1) ? ctx.ints(1, 'split') : undefined;
  if (!sizes) {
    const n = ctx.node.attrs.has('num_outputs') ? ctx.attrInt('num_outputs', outputs) : outputs;
    const part = ctx.node.attrs.has('num_outputs') ? Math.ceil(size / n) : size / n;
    if (!Number.isInteger(part)) ctx.mismatch(`axis ${axis} of ${show(xs)} does not split into ${n} equal parts`);
    sizes = Array.from({ length: n }, (_, k) => Math.max(0, Math.min(part, size - k * part)));
  }
  if (sizes.length !== outputs) ctx.mismatch(`${sizes.length} split sizes for ${outputs} outputs`);
  if (sizes.reduce((a, b) => a + b, 0) !== size || sizes.some((s) => s < 1)) ctx.mismatch(`split sizes ${show(sizes)} do not cover axis ${axis} of ${show(xs)} with non-empty parts`);
  let start = 0;
  return sizes.map((length) => {
    const outShape = [...xs];
    outShape[axis] = length;
    const node = { op: 'slice' as const, inputs: [ctx.tensor(0)], attrs: { axis, start, length }, outShape, params: {} };
    start += length;
    return node;
  });
};

/**
 * ConvTranspose with `output_shape`: ONNX pads total = stride*(in-1) + output_padding +
 * dilation*(k-1) + 1 - out, the odd one at the begin (SAME_UPPER: at the end). PyTorch pads
 * both ends alike, so the begin pad is taken on both ends and the end's shortfall becomes
 * output_padding, which must then be 0 (SAME_UPPER) or below max(stride, dilation).
 */
export function transposedPadsForShape(
  ctx: NodeContext, inSp: number[], outputShape: number[], kernel: number[], stride: number[], dilation: number[], outputPadding: number[], autoPad: string,
): { pad: number[]; outputPad: number[] } {
  const rank = inSp.length;
  const out = outputShape.length === rank + 2 ? outputShape.slice(2) : outputShape;
  if (out.length !== rank) ctx.reject(`output_shape ${show(outputShape)} does not give ${rank} spatial sizes`);
  const pad: number[] = [];
  const outputPad: number[] = [];
  for (let a = 0; a < rank; a++) {
    const total = stride[a]! * (inSp[a]! - 1) + (outputPadding[a] ?? 0) + dilation[a]! * (kernel[a]! - 1) + 1 - out[a]!;
    if (total < 0) ctx.reject(`output_shape ${show(outputShape)} is larger than the transposed convolution can produce without padding`);
    const small = Math.floor(total / 2);
    const [begin, end] = autoPad === 'SAME_UPPER' ? [small, total - small] : [total - small, small];
    if (begin < end) ctx.reject(`output_shape ${show(outputShape)} needs more padding at the end than at the begin, which PyTorch cannot express`);
    pad.push(begin);
    outputPad.push(begin - end);
  }
  return { pad, outputPad };
}
