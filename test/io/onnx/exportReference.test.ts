/**
 * Export single-operator graphs built from the PyTorch op cases, run them with onnxruntime and
 * compare with PyTorch's output: checks the ONNX mapping of every attribute independently of
 * the interpreter.
 */
import { readFileSync } from 'node:fs';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { readSafetensors } from '../../../src/io/safetensors.ts';
import { exportOnnx } from '../../../src/io/onnx/export.ts';
import { isOnnxError } from '../../../src/io/onnx/errors.ts';
import { relativeL2, type Tensor } from '../../../src/ir/tensor.ts';
import { GraphBuilder } from './graphBuilder.ts';

const refDir = new URL('../../fixtures/reference/', import.meta.url);
const cases = JSON.parse(readFileSync(new URL('cases.json', refDir), 'utf8')) as Record<string, any>;
const tensors = readSafetensors(readFileSync(new URL('ops.safetensors', refDir)), 'ops.safetensors');

const axes = (v: unknown, rank: number, dflt: number): number[] =>
  Array.isArray(v) ? (v as number[]) : Array(rank).fill(v === undefined ? dflt : (v as number));

/** The IR node of an op case, or undefined when the case has no single-node form. */
function buildCase(name: string, c: any): GraphBuilder | undefined {
  const t = (k: string): Tensor => tensors.get(`${name}.${k}`)!;
  const b = new GraphBuilder(name);
  const x = b.input('x', c.x);
  const kw = c.kwargs as Record<string, any>;
  const rank = c.x.length - 2;
  let y: number;
  const op = c.op as string;
  if (op.startsWith('conv_transpose')) {
    const k = c.w.slice(2);
    const groups = kw.groups ?? 1;
    y = b.node('conv_transpose', 'up', [x], {
      rank, outChannels: c.w[1] * groups, kernel: k, stride: axes(kw.stride, rank, 1), pad: axes(kw.padding, rank, 0),
      outputPad: axes(kw.output_padding, rank, 0), dilation: axes(kw.dilation, rank, 1), groups, bias: c.bias,
    }, c.y, c.bias ? { weight: c.w, bias: [c.y[1]] } : { weight: c.w });
  } else if (op.startsWith('conv')) {
    const pad = axes(kw.padding, rank, 0);
    y = b.node('conv', 'c1', [x], {
      rank, outChannels: c.w[0], kernel: c.w.slice(2), stride: axes(kw.stride, rank, 1), padBegin: pad, padEnd: pad,
      dilation: axes(kw.dilation, rank, 1), groups: kw.groups ?? 1, bias: c.bias,
    }, c.y, c.bias ? { weight: c.w, bias: [c.w[0]] } : { weight: c.w });
  } else if (op.startsWith('max_pool') || op.startsWith('avg_pool')) {
    const k = axes(kw.kernel_size, rank, 1);
    y = b.node(op.startsWith('max') ? 'maxpool' : 'avgpool', 'pool', [x], {
      rank, kernel: k, stride: kw.stride === undefined ? k : axes(kw.stride, rank, 1), pad: axes(kw.padding, rank, 0),
      dilation: axes(kw.dilation, rank, 1), ceil: kw.ceil_mode ?? false, countIncludePad: kw.count_include_pad ?? true,
    }, c.y);
  } else if (op === 'adaptive_avg_pool2d') {
    y = b.node('adaptive_avgpool', 'pool', [x], { rank, size: axes(kw.output_size, rank, 1) }, c.y);
  } else if (op === 'interpolate') {
    y = b.node('upsample', 'up', [x], {
      rank, mode: kw.mode === 'nearest' ? 'nearest' : 'linear', size: c.y.slice(2),
      scale: axes(kw.scale_factor, rank, 1), alignCorners: kw.align_corners ?? false,
    }, c.y);
  } else if (op === 'batch_norm') {
    const C = [c.x[1]];
    y = b.node('batchnorm', 'bn', [x], { eps: kw.eps }, c.y, { weight: C, bias: C, running_mean: C, running_var: C });
    b.weights.set('bn.weight', t('gamma'));
    b.weights.set('bn.bias', t('beta'));
    b.weights.set('bn.running_mean', t('mean'));
    b.weights.set('bn.running_var', t('var'));
  } else if (op === 'leaky_relu') {
    y = b.node('leaky_relu', 'act', [x], { slope: kw.negative_slope }, c.y);
  } else if (op === 'sigmoid' || op === 'tanh') {
    y = b.node(op, 'act', [x], {}, c.y);
  } else if (op === 'softmax') {
    y = b.node('softmax', 'sm', [x], { axis: kw.dim }, c.y);
  } else if (op === 'linear') {
    y = b.node('linear', 'fc', [x], { outFeatures: c.w[0], bias: c.bias }, c.y, c.bias ? { weight: c.w, bias: [c.w[0]] } : { weight: c.w });
  } else {
    return undefined;
  }
  const node = b.nodes[0]!;
  if (node.params['weight'] && c.w) b.weights.set(node.params['weight'].name, t('w'));
  if (node.params['bias'] && c.bias) b.weights.set(node.params['bias'].name, t('b'));
  b.output('y', y);
  return b;
}

async function runOrt(bytes: Uint8Array, inputs: Record<string, Tensor>): Promise<Tensor> {
  const session = await ort.InferenceSession.create(bytes);
  const feeds: Record<string, ort.Tensor> = {};
  for (const [k, v] of Object.entries(inputs)) feeds[k] = new ort.Tensor('float32', v.data, v.shape);
  const out = await session.run(feeds);
  const first = out[session.outputNames[0]!]!;
  return { shape: [...first.dims], data: first.data as Float32Array };
}

const opCases = Object.entries(cases).filter(([k, c]) => k !== '_meta' && c.kind === 'op');

describe('ONNX export of single operators matches PyTorch through onnxruntime', () => {
  for (const [name, c] of opCases) {
    // Cases whose tensors the reference file does not hold are skipped.
    const b = tensors.has(`${name}.x`) ? buildCase(name, c) : undefined;
    if (!b) continue;
    if (name === 'adaptive_avg_7to3') {
      it(`${name}: uneven adaptive pooling is refused with NET5020`, () => {
        let code = '';
        try { exportOnnx(b.graph(), b.weights); } catch (e) { if (isOnnxError(e)) code = e.diagnostic.code; }
        expect(code).toBe('NET5020');
      });
      continue;
    }
    for (const opset of [11, 13, 17, 21]) {
      it(`${name} (opset ${opset})`, async () => {
        const bytes = exportOnnx(b.graph(), b.weights, { opset });
        const y = await runOrt(bytes, { x: tensors.get(`${name}.x`)! });
        const ref = tensors.get(`${name}.y`)!;
        expect(y.shape).toEqual(ref.shape);
        const err = relativeL2(y.data, ref.data);
        console.log(`export ${name} opset ${opset}: rel L2 ${err.toExponential(2)}`);
        expect(err).toBeLessThan(1e-5);
      });
    }
  }
});
