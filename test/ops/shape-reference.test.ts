/**
 * Shape rules against PyTorch: every op case's output shape, and every model layer's input
 * and output shapes, weight shapes, MACs and parameter count (test/fixtures/reference).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { constValue } from '../../src/ir/dim/dim.ts';
import { numel } from '../../src/ir/tensor.ts';
import type { ScalarValue } from '../../src/ops/types.ts';
import { concrete, dims, infer } from './op-context.ts';

interface OpCase {
  kind: 'op';
  op: string;
  x: number[];
  w: number[] | null;
  bias: boolean;
  kwargs: Record<string, ScalarValue>;
  y: number[];
}
interface Layer { module: string; type: string; in: number[]; out: number[]; macs: number }
interface ModelCase {
  kind: 'model';
  output_shape: number[];
  params: number;
  macs: number;
  layers: Layer[];
  weights: { name: string; shape: number[] }[];
}

const cases = JSON.parse(readFileSync(new URL('../fixtures/reference/cases.json', import.meta.url), 'utf8')) as Record<string, OpCase | ModelCase | object>;
const opCases = Object.entries(cases).filter((e): e is [string, OpCase] => (e[1] as OpCase).kind === 'op');
const modelCases = Object.entries(cases).filter((e): e is [string, ModelCase] => (e[1] as ModelCase).kind === 'model');

/** The netc call for a torch.nn.functional call: spelling and arguments (PyTorch names kept). */
function netcCall(c: OpCase): [string, Record<string, ScalarValue>] {
  const kw = { ...c.kwargs };
  const w = c.w ?? [];
  switch (c.op) {
    case 'conv2d': case 'conv3d':
      return [c.op, { ...kw, out_channels: w[0]!, kernel_size: w.slice(2), bias: c.bias }];
    case 'conv_transpose2d': case 'conv_transpose3d': {
      const groups = (kw.groups as number | undefined) ?? 1;
      return [c.op, { ...kw, out_channels: w[1]! * groups, kernel_size: w.slice(2), bias: c.bias }];
    }
    case 'max_pool2d': case 'max_pool3d': return [c.op.replace('max_pool', 'maxpool'), kw];
    case 'avg_pool2d': return ['avgpool2d', kw];
    case 'adaptive_avg_pool2d': return ['adaptive_avgpool2d', kw];
    case 'interpolate': return ['upsample', kw];
    case 'batch_norm': return ['batchnorm', kw];
    case 'linear': return ['linear', { out_features: w[0]!, bias: c.bias }];
    default: return [c.op, kw];
  }
}

describe('op cases: output shapes match PyTorch', () => {
  it('covers every op case', () => expect(opCases.length).toBeGreaterThanOrEqual(27));
  it.each(opCases)('%s', (_name, c) => {
    const [spelling, args] = netcCall(c);
    const r = infer(spelling, [c.x], args);
    expect(r.ctx.reports).toEqual([]);
    expect(concrete(r.shape)).toEqual(c.y);
    if (c.w) {
      const weight = r.def.weights!(r.attrs, [dims(c.x)]).find((s) => s.role === 'weight')!;
      expect(weight.shape.map(constValue)).toEqual(c.w);
    }
  });
});

/** Module configuration from pytorch_models.py (the inputs of the rule; shapes come from the data). */
function layerCall(model: string, layer: Layer, weight: number[] | undefined, hasBias: boolean): [string, Record<string, ScalarValue>] {
  switch (layer.type) {
    case 'Conv2d': {
      const k = weight![2]!;
      // Every Conv2d in these models is stride 1 with padding (k - 1) / 2.
      return ['conv2d', { out: weight![0]!, k, pad: (k - 1) / 2, bias: hasBias }];
    }
    case 'ConvTranspose2d':
      // U-Net: k2 s2 with bias. DCGAN generator: the first layer is k4 s1 p0, the others k4 s2 p1; no bias.
      if (model === 'unet2d') return ['conv_transpose2d', { out: weight![1]!, k: 2, stride: 2, pad: 0, bias: hasBias }];
      return ['conv_transpose2d', layer.module === 'main.0'
        ? { out: weight![1]!, k: 4, stride: 1, pad: 0, bias: false }
        : { out: weight![1]!, k: 4, stride: 2, pad: 1, bias: false }];
    case 'MaxPool2d': return ['maxpool2d', { k: 3, stride: 1, pad: 1 }];
    case 'BatchNorm2d': return ['bn', {}];
    case 'ReLU': return ['relu', {}];
    case 'Tanh': return ['tanh', {}];
    default: throw new Error(`${model}: no netc operator for ${layer.type}`);
  }
}

describe('model cases: layer shapes, weights, MACs and parameters match PyTorch', () => {
  it.each(modelCases)('%s', (_name, m) => {
    let params = 0;
    let macs = 0;
    for (const layer of m.layers) {
      const weights = new Map(m.weights.filter((w) => w.name.startsWith(`${layer.module}.`)).map((w) => [w.name.slice(layer.module.length + 1), w.shape]));
      const [spelling, args] = layerCall(_name, layer, weights.get('weight'), weights.has('bias'));
      const r = infer(spelling, [layer.in], args);
      expect(r.ctx.reports, layer.module).toEqual([]);
      expect(concrete(r.shape), layer.module).toEqual(layer.out);
      const specs = r.def.weights?.(r.attrs, [dims(layer.in)]) ?? [];
      expect(new Map(specs.map((s) => [s.role, s.shape.map(constValue)])), layer.module).toEqual(weights);
      params += specs.filter((s) => s.trainable).reduce((n, s) => n + numel(s.shape.map((d) => constValue(d)!)), 0);
      const layerMacs = r.def.macs?.(r.attrs, [layer.in], layer.out) ?? 0;
      expect(layerMacs, layer.module).toBe(layer.macs);
      macs += layerMacs;
    }
    expect(params).toBe(m.params);
    expect(macs).toBe(m.macs);
  });
});
