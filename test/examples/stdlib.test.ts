/**
 * The standard library's blocks, instantiated from small programs: the weight names they
 * produce, their shapes and the parameter counts of the classic networks they compose into.
 */
import { describe, expect, it } from 'vitest';
import { checkSource } from '../../src/check/check.ts';
import { summarize } from '../../src/check/summary.ts';
import { concretize } from '../../src/check/concretize.ts';
import type { Graph } from '../../src/ir/graph.ts';
import { formatPos } from '../../src/diag/span.ts';

function build(source: string): Graph<number> {
  const result = checkSource(source, 'main.net');
  expect(result.diagnostics.filter((d) => d.severity !== 'note').map((d) => `${formatPos(d.span)} ${d.code} ${d.message}`)).toEqual([]);
  expect(result.graphs.length).toBe(1);
  const c = concretize(result.graphs[0]!, new Map());
  expect(c.diagnostics).toEqual([]);
  return c.graph!;
}

const names = (g: Graph<number>): string[] => g.nodes.flatMap((n) => Object.values(n.params).map((p) => p.name));
const ops = (g: Graph<number>): string[] => g.nodes.map((n) => n.op);

describe('std/layers', () => {
  it('ConvBN, ConvBNReLU and ConvReLU name their layers conv and bn', () => {
    const g = build(`
      import { ConvBN, ConvBNReLU, ConvReLU } from "std/layers"
      network T {
        in x: f32[1, 8, 16, 16]
        out x |> a: ConvBN(16, k=3, stride=2, pad=1) |> b: ConvBNReLU(16, k=1, eps=0.001) |> c: ConvReLU(4, k=3, pad=1)
      }`);
    expect(names(g)).toEqual([
      'a.conv.weight', 'a.bn.weight', 'a.bn.bias', 'a.bn.running_mean', 'a.bn.running_var',
      'b.conv.weight', 'b.bn.weight', 'b.bn.bias', 'b.bn.running_mean', 'b.bn.running_var',
      'c.conv.weight', 'c.conv.bias',
    ]);
    expect(ops(g)).toEqual(['conv', 'batchnorm', 'conv', 'batchnorm', 'relu', 'conv', 'relu']);
    expect(summarize(g).outputs[0]!.shape).toEqual([1, 4, 8, 8]);
    const bn = g.nodes.find((n) => n.name === 'b.bn')!;
    expect((bn.attrs as { eps: number }).eps).toBe(0.001);
  });

  it('takes per-axis kernels, strides and paddings, in 2-D and 3-D', () => {
    const g = build(`
      import { ConvBNReLU3d } from "std/layers"
      network T {
        in x: f32[1, 4, 6, 16, 16]
        out x |> v: ConvBNReLU3d(8, k=(1, 3, 3), stride=(1, 2, 2), pad=(0, 1, 1))
      }`);
    expect(summarize(g).outputs[0]!.shape).toEqual([1, 8, 6, 8, 8]);
    expect(g.nodes.find((n) => n.name === 'v.conv')!.params['weight']!.shape).toEqual([8, 4, 1, 3, 3]);
    expect(names(g)).toEqual(['v.conv.weight', 'v.bn.weight', 'v.bn.bias', 'v.bn.running_mean', 'v.bn.running_var']);
    const g2 = build(`
      import { ConvBNReLU } from "std/layers"
      network T {
        in x: f32[1, 4, 17, 17]
        out x |> b7: ConvBNReLU(8, k=(1, 7), pad=(0, 3)) |> s: ConvBNReLU(8, k=3, pad="same")
      }`);
    expect(summarize(g2).outputs[0]!.shape).toEqual([1, 8, 17, 17]);
    expect(g2.nodes.find((n) => n.name === 'b7.conv')!.params['weight']!.shape).toEqual([8, 4, 1, 7]);
  });

  it('ConvBNAct picks its activation by name', () => {
    const acts = { relu: ['relu'], relu6: ['relu6'], leaky_relu: ['leaky_relu'], none: [] } as Record<string, string[]>;
    for (const [act, tail] of Object.entries(acts)) {
      const g = build(`
        import { ConvBNAct } from "std/layers"
        network T {
          in x: f32[1, 3, 8, 8]
          out x |> l: ConvBNAct(4, k=3, pad=1, act="${act}", slope=0.2)
        }`);
      expect(ops(g).filter((o) => o !== 'conv' && o !== 'batchnorm'), act).toEqual(tail);
    }
  });
});

describe('std/resnet', () => {
  it('Stage builds torchvision ResNet-50 stages: 25,557,032 parameters with the stem and fc', () => {
    const g = build(`
      import { Stage } from "std/resnet"
      network R {
        in x: f32[1, 3, 224, 224]
        out x |> conv1: conv(64, k=7, stride=2, pad=3, bias=false) |> bn1: bn |> relu
              |> maxpool(k=3, stride=2, pad=1)
              |> layer1: Stage(64, 3) |> layer2: Stage(128, 4, stride=2)
              |> layer3: Stage(256, 6, stride=2) |> layer4: Stage(512, 3, stride=2)
              |> global_avgpool |> flatten |> fc: linear(1000)
      }`);
    expect(summarize(g).totals.params).toBe(25_557_032);
    expect(names(g)).toContain('layer3.5.bn3.running_var');
    expect(names(g)).toContain('layer2.0.downsample.1.weight');
    expect(names(g).filter((n) => n.includes('downsample.0.weight'))).toEqual([
      'layer1.0.downsample.0.weight', 'layer2.0.downsample.0.weight',
      'layer3.0.downsample.0.weight', 'layer4.0.downsample.0.weight',
    ]);
  });

  it('BasicStage builds torchvision ResNet-18: 11,689,512 parameters, no projection in layer1', () => {
    const g = build(`
      import { BasicStage } from "std/resnet"
      network R {
        in x: f32[1, 3, 224, 224]
        out x |> conv1: conv(64, k=7, stride=2, pad=3, bias=false) |> bn1: bn |> relu
              |> maxpool(k=3, stride=2, pad=1)
              |> layer1: BasicStage(64, 2, project=false) |> layer2: BasicStage(128, 2, stride=2)
              |> layer3: BasicStage(256, 2, stride=2) |> layer4: BasicStage(512, 2, stride=2)
              |> global_avgpool |> flatten |> fc: linear(1000)
      }`);
    expect(summarize(g).totals.params).toBe(11_689_512);
    expect(summarize(g).outputs[0]!.shape).toEqual([1, 1000]);
    expect(names(g).filter((n) => n.includes('downsample.0.weight'))).toEqual([
      'layer2.0.downsample.0.weight', 'layer3.0.downsample.0.weight', 'layer4.0.downsample.0.weight',
    ]);
    expect(names(g)).toContain('layer1.1.conv2.weight');
  });
});

describe('std/inception', () => {
  it('Inception has the paper/d2l names and 256 channels for module 3a', () => {
    const g = build(`
      import { Inception } from "std/inception"
      network I {
        in x: f32[1, 192, 28, 28]
        out x |> inception3a: Inception(64, (96, 128), (16, 32), 32)
      }`);
    expect(summarize(g).outputs[0]!.shape).toEqual([1, 256, 28, 28]);
    expect(summarize(g).totals.params).toBe(163_696);
    expect(names(g)).toContain('inception3a.p3_2.weight');
  });
});

describe('std/unet', () => {
  it('Down3d halves, Up3d doubles and concatenates the skip', () => {
    const g = build(`
      import { DoubleConv3d, Down3d, Up3d } from "std/unet"
      network U {
        in x: f32[1, 2, 8, 12, 16]
        a = x |> enc: DoubleConv3d(4, 8)
        b: [1, 16, 4, 6, 8] = a |> down: Down3d(8, 16)
        out b |> up: Up3d(a, 8)
      }`);
    expect(summarize(g).outputs[0]!.shape).toEqual([1, 8, 8, 12, 16]);
    expect(names(g)).toContain('up.upconv.weight');
    expect(names(g)).toContain('up.conv.conv1.weight');
    const conv1 = g.nodes.find((n) => n.name === 'up.conv.conv1')!;
    expect(conv1.params['weight']!.shape).toEqual([8, 24, 3, 3, 3]);
  });
});
