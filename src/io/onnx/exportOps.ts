/**
 * IR node -> ONNX node(s), one writer per operator of the table (EXPORTERS must name every
 * operator: a new operator without an ONNX mapping says so with NET5020, not silently).
 */
import type { Node, NodeOf, OpName } from '../../ir/graph.ts';
import { attr, float, int64Tensor, type OnnxWriter, unsupported } from './exportWriter.ts';
import { DataType, type IAttributeProto, type ITensorProto } from './proto.ts';

function exportConv(w: OnnxWriter, n: NodeOf<'conv'>): void {
  const a = n.attrs;
  const inputs = [w.name(n.inputs[0]!), w.param(n, 'weight')];
  if (a.bias) inputs.push(w.param(n, 'bias'));
  w.emit(n, 'Conv', inputs, [w.name(n.outputs[0]!)], [
    attr('dilations', a.dilation), attr('group', a.groups), attr('kernel_shape', a.kernel),
    attr('pads', [...a.padBegin, ...a.padEnd]), attr('strides', a.stride),
  ]);
}

function exportConvTranspose(w: OnnxWriter, n: NodeOf<'conv_transpose'>): void {
  const a = n.attrs;
  const inputs = [w.name(n.inputs[0]!), w.param(n, 'weight')];
  if (a.bias) inputs.push(w.param(n, 'bias'));
  const attrs = [
    attr('dilations', a.dilation), attr('group', a.groups), attr('kernel_shape', a.kernel),
    attr('pads', [...a.pad, ...a.pad]), attr('strides', a.stride),
  ];
  if (a.outputPad.some((p) => p !== 0)) attrs.push(attr('output_padding', a.outputPad));
  w.emit(n, 'ConvTranspose', inputs, [w.name(n.outputs[0]!)], attrs);
}

function exportPool(w: OnnxWriter, n: NodeOf<'maxpool' | 'avgpool'>): void {
  const a = n.attrs;
  const attrs = [
    attr('ceil_mode', a.ceil ? 1 : 0), attr('kernel_shape', a.kernel),
    attr('pads', [...a.pad, ...a.pad]), attr('strides', a.stride),
  ];
  if (n.op === 'maxpool') {
    attrs.push(attr('dilations', a.dilation));
    w.emit(n, 'MaxPool', [w.name(n.inputs[0]!)], [w.name(n.outputs[0]!)], attrs);
    return;
  }
  if (a.dilation.some((d) => d !== 1)) unsupported(n, 'average pooling with dilation has no PyTorch meaning');
  attrs.push(attr('count_include_pad', a.countIncludePad ? 1 : 0));
  w.emit(n, 'AveragePool', [w.name(n.inputs[0]!)], [w.name(n.outputs[0]!)], attrs);
}

/**
 * Adaptive pooling is exact as global pooling (output 1) or as a plain pool when every input
 * size is a multiple of the output size (window i then covers exactly [i*I/O, (i+1)*I/O)).
 */
function exportAdaptivePool(w: OnnxWriter, n: NodeOf<'adaptive_avgpool' | 'adaptive_maxpool'>): void {
  const a = n.attrs;
  const max = n.op === 'adaptive_maxpool';
  const spatial = w.value(n.inputs[0]!).shape.slice(2);
  const x = w.name(n.inputs[0]!);
  const y = w.name(n.outputs[0]!);
  if (a.size.every((s) => s === 1)) {
    w.emit(n, max ? 'GlobalMaxPool' : 'GlobalAveragePool', [x], [y]);
    return;
  }
  if (spatial.length === a.size.length && spatial.every((d, i) => d % a.size[i]! === 0)) {
    const k = spatial.map((d, i) => d / a.size[i]!);
    const attrs = [attr('kernel_shape', k), attr('strides', k)];
    w.emit(n, max ? 'MaxPool' : 'AveragePool', [x], [y], attrs);
    return;
  }
  unsupported(n, `output size [${a.size.join(', ')}] from input [${spatial.join(', ')}] has uneven windows; ONNX has no adaptive pooling (use global pooling or a size dividing the input)`);
}

function exportClip(w: OnnxWriter, n: Node<number>, min: number | undefined, max: number | undefined): void {
  const inputs = [w.name(n.inputs[0]!)];
  const scalar = (v: number): ITensorProto => ({ dims: [], dataType: DataType.FLOAT, floatData: [v] });
  inputs.push(min === undefined ? '' : w.constant(n, 'min', scalar(min)));
  if (max !== undefined) inputs.push(w.constant(n, 'max', scalar(max)));
  w.emit(n, 'Clip', inputs, [w.name(n.outputs[0]!)]);
}

/** x * gate(x) as two nodes: the gate's node (`opType` with `attributes`), then Mul. */
function exportGated(w: OnnxWriter, n: Node<number>, opType: string, attributes: IAttributeProto[] = []): void {
  const gate = w.fresh(`${y(w, n)}_${opType.toLowerCase()}`);
  w.emit(n, opType, [x(w, n)], [gate], attributes);
  w.emit(n, 'Mul', [x(w, n), gate], [y(w, n)]);
}

/**
 * GELU below opset 20, written out as torch.onnx does (import folds both forms back):
 * 0.5 x (1 + erf(x / sqrt 2)), or 0.5 (x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))).
 */
function exportGeluNodes(w: OnnxWriter, n: NodeOf<'gelu'>): void {
  const k = (what: string, v: number) => w.constant(n, what, { dims: [], dataType: DataType.FLOAT, floatData: [v] });
  const tmp = (what: string) => w.fresh(`${y(w, n)}_${what}`);
  const step = (opType: string, inputs: string[], out = tmp(opType.toLowerCase())): string => {
    w.emit(n, opType, inputs, [out]);
    return out;
  };
  const xn = x(w, n);
  if (n.attrs.approximate === 'tanh') {
    const cube = step('Mul', [xn, step('Mul', [xn, xn])]);
    const inner = step('Mul', [k('beta', Math.sqrt(2 / Math.PI)), step('Add', [xn, step('Mul', [k('kappa', 0.044715), cube])])]);
    const gate = step('Add', [k('one', 1), step('Tanh', [inner])]);
    step('Mul', [k('half', 0.5), step('Mul', [xn, gate])], y(w, n));
    return;
  }
  const gate = step('Add', [step('Erf', [step('Div', [xn, k('sqrt2', Math.SQRT2)])]), k('one', 1)]);
  step('Mul', [step('Mul', [xn, gate]), k('half', 0.5)], y(w, n));
}

const hardSigmoidAttrs = (alpha: number, beta: number) => [attr('alpha', float(alpha)), attr('beta', float(beta))];

/** PRelu's slope broadcasts from the right: per-channel slopes [C] become [C, 1, ...]. */
function exportPRelu(w: OnnxWriter, n: NodeOf<'prelu'>): void {
  let slope = w.param(n, 'weight');
  const rank = w.value(n.inputs[0]!).shape.length;
  if (n.attrs.slopes > 1 && rank > 2) {
    const axes = Array.from({ length: rank - 2 }, (_, i) => i + 1);
    const unsqueezed = w.fresh(`${slope}_unsqueezed`);
    if (w.opset < 13) w.emit(n, 'Unsqueeze', [slope], [unsqueezed], [attr('axes', axes)]);
    else w.emit(n, 'Unsqueeze', [slope, w.constant(n, 'axes', int64Tensor('', axes))], [unsqueezed]);
    slope = unsqueezed;
  }
  w.emit(n, 'PRelu', [x(w, n), slope], [y(w, n)]);
}

/** ReduceMean / ReduceMax: axes an attribute until opset 17, an input from 18. */
function exportReduce(w: OnnxWriter, n: NodeOf<'reduce_mean' | 'reduce_max'>): void {
  const { axes, keepdim } = n.attrs;
  const opType = n.op === 'reduce_mean' ? 'ReduceMean' : 'ReduceMax';
  const keep = attr('keepdims', keepdim ? 1 : 0);
  if (w.opset < 18) return w.emit(n, opType, [x(w, n)], [y(w, n)], [attr('axes', axes), keep]);
  w.emit(n, opType, [x(w, n), w.constant(n, 'axes', int64Tensor('', axes))], [y(w, n)], [keep]);
}

function exportSoftmax(w: OnnxWriter, n: NodeOf<'softmax'>): void {
  const { axis } = n.attrs;
  const rank = w.value(n.inputs[0]!).shape.length;
  // Before opset 13 Softmax flattens to 2-D at `axis`: it equals a softmax over one axis only
  // when that axis is the last.
  if (w.opset < 13 && axis !== rank - 1) {
    unsupported(n, `softmax over axis ${axis} of a rank-${rank} tensor needs opset 13 or later (earlier Softmax normalises over every axis from ${axis} on)`);
  }
  w.emit(n, 'Softmax', [w.name(n.inputs[0]!)], [w.name(n.outputs[0]!)], [attr('axis', axis)]);
}

function exportFlatten(w: OnnxWriter, n: NodeOf<'flatten'>): void {
  const a = n.attrs;
  const rank = w.value(n.inputs[0]!).shape.length;
  if (a.start === 1 && a.end === rank - 1) {
    w.emit(n, 'Flatten', [w.name(n.inputs[0]!)], [w.name(n.outputs[0]!)], [attr('axis', 1)]);
    return;
  }
  const shape = w.value(n.outputs[0]!).shape;
  const s = w.constant(n, 'shape', int64Tensor('', shape));
  w.emit(n, 'Reshape', [w.name(n.inputs[0]!), s], [w.name(n.outputs[0]!)]);
}

function exportLinear(w: OnnxWriter, n: NodeOf<'linear'>): void {
  const a = n.attrs;
  const x = w.name(n.inputs[0]!);
  const y = w.name(n.outputs[0]!);
  const weight = w.param(n, 'weight');
  if (w.value(n.inputs[0]!).shape.length === 2) {
    const inputs = [x, weight];
    if (a.bias) inputs.push(w.param(n, 'bias'));
    w.emit(n, 'Gemm', inputs, [y], [attr('alpha', float(1)), attr('beta', float(1)), attr('transB', 1)]);
    return;
  }
  // Gemm is 2-D only: x W^T over the last axis of a higher-rank input is Transpose + MatMul.
  const wt = w.fresh(`${weight}_T`);
  w.emit(n, 'Transpose', [weight], [wt], [attr('perm', [1, 0])]);
  if (!a.bias) {
    w.emit(n, 'MatMul', [x, wt], [y]);
    return;
  }
  const mm = w.fresh(`${w.name(n.outputs[0]!)}_matmul`);
  w.emit(n, 'MatMul', [x, wt], [mm]);
  w.emit(n, 'Add', [mm, w.param(n, 'bias')], [y]);
}

function exportUpsample(w: OnnxWriter, n: NodeOf<'upsample'>): void {
  const a = n.attrs;
  const inShape = w.value(n.inputs[0]!).shape;
  const outShape = w.value(n.outputs[0]!).shape;
  const attrs: IAttributeProto[] = [];
  if (a.mode === 'nearest') {
    attrs.push(attr('mode', 'nearest'), attr('coordinate_transformation_mode', 'asymmetric'), attr('nearest_mode', 'floor'));
  } else {
    // pytorch_half_pixel differs from half_pixel only for an output size of 1 (PyTorch samples 0).
    attrs.push(attr('mode', 'linear'), attr('coordinate_transformation_mode', a.alignCorners ? 'align_corners' : 'pytorch_half_pixel'));
  }
  const empty: ITensorProto = { dims: [0], dataType: DataType.FLOAT, floatData: [] };
  const inputs = [w.name(n.inputs[0]!)];
  // PyTorch maps coordinates by 1/scale when a scale was given, else by in/out: ONNX does the
  // same with `scales` and with `sizes` respectively.
  if (a.scale && !a.alignCorners) {
    const scales = [1, 1, ...a.scale];
    inputs.push(w.opset < 13 ? w.constant(n, 'roi', empty) : '');
    inputs.push(w.constant(n, 'scales', { dims: [scales.length], dataType: DataType.FLOAT, floatData: scales }));
  } else {
    inputs.push(w.opset < 13 ? w.constant(n, 'roi', empty) : '');
    inputs.push(w.opset < 13 ? w.constant(n, 'scales', empty) : '');
    inputs.push(w.constant(n, 'sizes', int64Tensor('', [...inShape.slice(0, 2), ...outShape.slice(2)])));
  }
  w.emit(n, 'Resize', inputs, [w.name(n.outputs[0]!)], attrs);
}

/** channel_shuffle as torch exports it: Reshape [N, g, C/g, ...], Transpose(0, 2, 1, ...), Reshape back. */
function exportChannelShuffle(w: OnnxWriter, n: NodeOf<'channel_shuffle'>): void {
  const xs = w.value(n.inputs[0]!).shape;
  const [batch, c, ...rest] = xs;
  const g = n.attrs.groups;
  const grouped = w.fresh(`${y(w, n)}_grouped`);
  const swapped = w.fresh(`${y(w, n)}_transposed`);
  w.emit(n, 'Reshape', [x(w, n), w.constant(n, 'grouped_shape', int64Tensor('', [batch!, g, c! / g, ...rest]))], [grouped]);
  w.emit(n, 'Transpose', [grouped], [swapped], [attr('perm', [0, 2, 1, ...rest.map((_, i) => i + 3)])]);
  w.emit(n, 'Reshape', [swapped, w.constant(n, 'shape', int64Tensor('', xs))], [y(w, n)]);
}

function exportPad(w: OnnxWriter, n: NodeOf<'pad'>): void {
  const a = n.attrs;
  // ONNX pads cover every axis: all begins, then all ends; batch and channels get none.
  const pads = [0, 0, ...a.begin, 0, 0, ...a.end];
  const inputs = [w.name(n.inputs[0]!), w.constant(n, 'pads', int64Tensor('', pads))];
  if (a.value !== 0) inputs.push(w.constant(n, 'value', { dims: [], dataType: DataType.FLOAT, floatData: [a.value] }));
  const mode = a.mode === 'replicate' ? 'edge' : a.mode;
  w.emit(n, 'Pad', inputs, [w.name(n.outputs[0]!)], [attr('mode', mode)]);
}

/** How one operator is written; a method, so that the table below can hold each operator's own. */
type Exporter<K extends OpName> = { write(w: OnnxWriter, n: NodeOf<K>): void }['write'];

const x = (w: OnnxWriter, n: Node<number>) => w.name(n.inputs[0]!);
const y = (w: OnnxWriter, n: Node<number>) => w.name(n.outputs[0]!);
const operands = (w: OnnxWriter, n: Node<number>) => n.inputs.map((v) => w.name(v));
/** add/sub/mul/div: the inputs, then the constant operand (an initializer) when the node owns one. */
const elementwiseOperands = (w: OnnxWriter, n: Node<number>) => (n.params['value'] ? [...operands(w, n), w.param(n, 'value')] : operands(w, n));

/**
 * The ONNX form of every operator, one entry each (typed over OpName, so a new operator
 * without one is a compile error).
 */
const EXPORTERS: { readonly [K in OpName]: Exporter<K> } = {
  conv: exportConv,
  conv_transpose: exportConvTranspose,
  maxpool: exportPool,
  avgpool: exportPool,
  adaptive_avgpool: exportAdaptivePool,
  adaptive_maxpool: exportAdaptivePool,
  reduce_mean: exportReduce,
  reduce_max: exportReduce,
  batchnorm(w, n) {
    const inputs = [x(w, n), w.param(n, 'weight'), w.param(n, 'bias'), w.param(n, 'running_mean'), w.param(n, 'running_var')];
    w.emit(n, 'BatchNormalization', inputs, [y(w, n)], [attr('epsilon', float(n.attrs.eps))]);
  },
  relu: (w, n) => w.emit(n, 'Relu', [x(w, n)], [y(w, n)]),
  relu6: (w, n) => exportClip(w, n, 0, 6),
  clip: (w, n) => exportClip(w, n, n.attrs.min, n.attrs.max),
  leaky_relu: (w, n) => w.emit(n, 'LeakyRelu', [x(w, n)], [y(w, n)], [attr('alpha', float(n.attrs.slope ?? 0.01))]),
  sigmoid: (w, n) => w.emit(n, 'Sigmoid', [x(w, n)], [y(w, n)]),
  tanh: (w, n) => w.emit(n, 'Tanh', [x(w, n)], [y(w, n)]),
  hardsigmoid: (w, n) => w.emit(n, 'HardSigmoid', [x(w, n)], [y(w, n)], hardSigmoidAttrs(n.attrs.alpha, n.attrs.beta)),
  // HardSwish is an operator from opset 14; before, x * HardSigmoid(x), which import folds back.
  hardswish: (w, n) => (w.opset >= 14 ? w.emit(n, 'HardSwish', [x(w, n)], [y(w, n)]) : exportGated(w, n, 'HardSigmoid', hardSigmoidAttrs(1 / 6, 0.5))),
  // ONNX has no SiLU below opset 24: x * Sigmoid(x), as torch exports it.
  silu: (w, n) => exportGated(w, n, 'Sigmoid'),
  // Gelu is an operator from opset 20; before, its formula as torch writes it.
  gelu: (w, n) => (w.opset >= 20 ? w.emit(n, 'Gelu', [x(w, n)], [y(w, n)], [attr('approximate', n.attrs.approximate)]) : exportGeluNodes(w, n)),
  elu: (w, n) => w.emit(n, 'Elu', [x(w, n)], [y(w, n)], [attr('alpha', float(n.attrs.alpha))]),
  prelu: exportPRelu,
  softmax: exportSoftmax,
  add: (w, n) => w.emit(n, 'Add', elementwiseOperands(w, n), [y(w, n)]),
  sub: (w, n) => w.emit(n, 'Sub', elementwiseOperands(w, n), [y(w, n)]),
  mul: (w, n) => w.emit(n, 'Mul', elementwiseOperands(w, n), [y(w, n)]),
  div: (w, n) => w.emit(n, 'Div', elementwiseOperands(w, n), [y(w, n)]),
  concat: (w, n) => w.emit(n, 'Concat', operands(w, n), [y(w, n)], [attr('axis', n.attrs.axis)]),
  channel_shuffle: exportChannelShuffle,
  flatten: exportFlatten,
  linear: exportLinear,
  // Dropout is the identity at inference (training_mode defaults to false); keeping the
  // operator keeps the layer visible and lets an import give the same graph back.
  dropout(w, n) {
    const { p } = n.attrs;
    if (w.opset < 12) return w.emit(n, 'Dropout', [x(w, n)], [y(w, n)], [attr('ratio', float(p))]);
    const ratio = w.constant(n, 'ratio', { dims: [], dataType: DataType.FLOAT, floatData: [p] });
    w.emit(n, 'Dropout', [x(w, n), ratio], [y(w, n)]);
  },
  identity: (w, n) => w.emit(n, 'Identity', [x(w, n)], [y(w, n)]),
  upsample: exportUpsample,
  pad: exportPad,
  slice(w, n) {
    const { axis, start, length } = n.attrs;
    const ints = (what: string, v: number) => w.constant(n, what, int64Tensor('', [v]));
    w.emit(n, 'Slice', [x(w, n), ints('starts', start), ints('ends', start + length), ints('axes', axis)], [y(w, n)]);
  },
};

export function exportNode(w: OnnxWriter, n: Node<number>): void {
  // An op name from outside the table (a graph built by hand) has no entry.
  if (!Object.hasOwn(EXPORTERS, n.op)) unsupported(n, 'the operator has no ONNX mapping');
  const exporter: Exporter<OpName> = EXPORTERS[n.op];
  exporter(w, n);
}

