/**
 * The checker and summary on the reference models and the examples: shapes, weight names and
 * the parameter / MAC counts PyTorch reports (test/fixtures/reference/cases.json).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkProgram } from '../../src/check/check.ts';
import { fileSystemHost } from '../../src/check/host.ts';
import { summarize } from '../../src/check/summary.ts';
import { concretize } from '../../src/check/concretize.ts';
import { dumpGraph } from '../../src/ir/dump.ts';

interface ModelCase { kind: string; params: number; macs: number; weights: { name: string; shape: number[] }[] }
const cases = JSON.parse(readFileSync('test/fixtures/reference/cases.json', 'utf8')) as Record<string, ModelCase>;

function build(file: string, entry?: string, bindings = new Map<string, number>()) {
  const r = checkProgram(file, fileSystemHost(), { entry, bindings });
  const errors = r.diagnostics.filter((d) => d.severity !== 'note');
  expect(errors.map((d) => `${d.code} ${d.span.file}:${d.span.start.line}:${d.span.start.column} ${d.message}`)).toEqual([]);
  const c = concretize(r.graphs[0]!, bindings);
  expect(c.diagnostics).toEqual([]);
  return { result: r, graph: c.graph! };
}

describe('reference models reproduce PyTorch counts', () => {
  for (const name of ['inception_3a', 'inception_naive', 'bottleneck_s1', 'basic_block_256', 'convbn_leaky', 'dcgan_generator_ngf16']) {
    it(name, () => {
      const { graph } = build(`test/fixtures/models/${name}.net`);
      const s = summarize(graph);
      const ref = cases[name]!;
      expect(s.totals.params).toBe(ref.params);
      expect(s.totals.macs).toBe(ref.macs);
      // Every state_dict tensor exists with PyTorch's layout (names may be mapped by a weight name map).
      const ours = graph.nodes.flatMap((n) => Object.values(n.params)).map((p) => p.shape.join('x')).sort();
      expect(ours).toEqual(ref.weights.map((w) => w.shape.join('x')).sort());
    });
  }
  it('the figures named in the task', () => {
    expect(summarize(build('test/fixtures/models/inception_3a.net').graph).totals).toMatchObject({ params: 163_696, macs: 128_049_152 });
    expect(summarize(build('test/fixtures/models/bottleneck_s1.net').graph).totals).toMatchObject({ params: 70_400, macs: 218_365_952 });
    expect(summarize(build('test/fixtures/models/basic_block_256.net').graph).totals.params).toBe(1_180_672);
    expect(summarize(build('test/fixtures/models/dcgan_generator_ngf16.net').graph).totals).toMatchObject({ params: 378_080, macs: 14_565_376 });
  });
});

describe('examples', () => {
  it('resnet50 has torchvision parameter count and names', () => {
    const { graph } = build('examples/resnet50.net');
    const s = summarize(graph);
    expect(s.totals.params).toBe(25_557_032);
    expect(s.outputs).toEqual([{ name: 'logits', shape: [1, 1000] }]);
    const names = graph.nodes.flatMap((n) => Object.values(n.params).map((p) => p.name));
    expect(names).toContain('layer1.0.downsample.0.weight');
    expect(names).toContain('layer4.2.bn3.running_var');
    expect(names).toContain('fc.bias');
  });
  it('every example checks without errors', () => {
    for (const f of ['cnn3d_action', 'dcgan', 'fcn', 'googlenet', 'resnet50', 'unet3d']) {
      const r = checkProgram(`examples/${f}.net`, fileSystemHost(), {});
      expect(r.diagnostics.filter((d) => d.severity === 'error'), f).toEqual([]);
      expect(r.graphs.length).toBeGreaterThan(0);
    }
  });
  it('the symbolic U-Net records its divisibility requirements', () => {
    const r = checkProgram('examples/unet3d.net', fileSystemHost(), { entry: 'UNet3D' });
    expect(r.requirements.filter((q) => q.kind === 'divisible').map((q) => q.text)).toEqual([
      'D must be divisible by 8', 'H must be divisible by 8', 'W must be divisible by 8',
    ]);
    const bound = build('examples/unet3d.net', 'UNet3D', new Map([['D', 16], ['H', 32], ['W', 24]]));
    expect(summarize(bound.graph).outputs[0]!.shape).toEqual([1, 3, 16, 32, 24]);
  });
  it('peak activation memory counts live tensors only', () => {
    const { graph } = build('test/fixtures/models/inception_3a.net');
    const s = summarize(graph);
    // x (192*784) stays alive for all four branches; the peak is below the sum of every tensor.
    const all = graph.values.reduce((acc, v) => acc + v.shape.reduce((a, b) => a * b, 1) * 4, 0);
    expect(s.totals.peakActivationBytes).toBeGreaterThanOrEqual(192 * 784 * 4 + 256 * 784 * 4);
    expect(s.totals.peakActivationBytes).toBeLessThan(all);
  });
  it('dumps a stable IR text', () => {
    const { graph } = build('test/fixtures/models/inception_3a.net');
    const text = dumpGraph(graph);
    expect(text.split('\n')[0]).toBe('graph Inception3a');
    expect(text).toContain('input %0 x [1, 192, 28, 28]');
    expect(text).toMatch(/%5 = conv\(%4\) name=p2_2 .*kernel=3x3 .*-> \[1, 128, 28, 28\] {2}@ std\/inception\.net:17:/);
    expect(text).toContain('output y = %14');
    expect(dumpGraph(graph)).toBe(text);
  });
});
