/**
 * The shipped networks check and mean what their comments say.
 *
 * Reference fixtures (test/fixtures/models/<case>.net): built from source, with the weight
 * name map <case>.weights.yaml where there is one, they expect exactly the tensors of the
 * PyTorch state_dict in cases.json (names after renaming, shapes), have its parameter and MAC
 * counts and output shape, and reproduce PyTorch's float64 output within 1e-5.
 *
 * Examples: they check without errors, have the parameter counts stated in their comments and
 * examples/README.md, and (where a torchvision or tutorial model exists) own exactly the
 * state_dict keys that an independent enumeration of that model's modules gives.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { checkProgram, checkSource } from '../../src/check/check.ts';
import { fileSystemHost } from '../../src/check/host.ts';
import { summarize } from '../../src/check/summary.ts';
import { concretize } from '../../src/check/concretize.ts';
import type { Graph, ParamRef } from '../../src/ir/graph.ts';
import { relativeL2, type Tensor } from '../../src/ir/tensor.ts';
import { detTensor } from '../../src/io/detTensor.ts';
import { readSafetensors } from '../../src/io/safetensors.ts';
import { bindWeights, parseWeightMap, renameTensor, type WeightMap } from '../../src/io/weightsMap.ts';
import { runGraph } from '../../src/interp/run.ts';
import { formatPos } from '../../src/diag/span.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const read = (rel: string): string => readFileSync(root + rel, 'utf8');

/** Check a file, require no errors or warnings, and bind its symbolic sizes. */
function build(rel: string, bindings: Record<string, number> = {}): Graph<number>[] {
  const result = checkProgram(rel, fileSystemHost());
  const problems = result.diagnostics
    .filter((d) => d.severity !== 'note')
    .map((d) => `${formatPos(d.span)} ${d.code} ${d.message}`);
  expect(problems).toEqual([]);
  return result.graphs.map((g) => {
    const c = concretize(g, new Map(Object.entries(bindings)));
    expect(c.diagnostics.map((d) => d.message)).toEqual([]);
    return c.graph!;
  });
}

function paramsOf(graph: Graph<number>): ParamRef[] {
  return graph.nodes.flatMap((n) => Object.values(n.params));
}

const keyList = (ps: { name: string; shape: readonly number[] }[]): string[] =>
  ps.map((p) => `${p.name} [${p.shape.join(', ')}]`).sort();

// ---------------------------------------------------------------- reference fixtures

interface Spec { name: string; gen: string; shape: number[]; lo: number; hi: number }
interface ModelCase {
  kind: 'model';
  input: Spec;
  weights: Spec[];
  output_shape: number[];
  params: number;
  macs: number;
}

const refDir = 'test/fixtures/reference/';
const cases = JSON.parse(read(refDir + 'cases.json')) as Record<string, { kind?: string }>;
const modelCases = Object.entries(cases)
  .filter(([, c]) => c.kind === 'model')
  .map(([name, c]) => [name, c as ModelCase] as const);
const expectedOutputs = readSafetensors(
  new Uint8Array(readFileSync(root + refDir + 'model_outputs.safetensors')),
  'model_outputs.safetensors',
);

function weightMapOf(name: string): WeightMap | undefined {
  const rel = `test/fixtures/models/${name}.weights.yaml`;
  return existsSync(root + rel) ? parseWeightMap(read(rel), rel) : undefined;
}

describe('reference fixtures against the PyTorch cases', () => {
  it('there is a source for every model case, and at least two use a weight name map', () => {
    expect(modelCases.length).toBe(7);
    for (const [name] of modelCases) expect(existsSync(`${root}test/fixtures/models/${name}.net`), name).toBe(true);
    expect(modelCases.filter(([name]) => weightMapOf(name) !== undefined).length).toBeGreaterThanOrEqual(2);
  });

  for (const [name, c] of modelCases) {
    describe(name, () => {
      const graphs = build(`test/fixtures/models/${name}.net`);
      const graph = graphs[0]!;
      const map = weightMapOf(name);

      it('has one network with the case input and output shapes', () => {
        expect(graphs.length).toBe(1);
        const s = summarize(graph);
        expect(s.inputs.map((i) => i.shape)).toEqual([c.input.shape]);
        expect(s.outputs.map((o) => o.shape)).toEqual([c.output_shape]);
      });

      it('has the parameter and MAC counts of the PyTorch module', () => {
        const s = summarize(graph);
        expect(s.totals.params).toBe(c.params);
        expect(s.totals.macs).toBe(c.macs);
      });

      it(map ? 'expects the state_dict tensors once renamed by its map' : 'expects the state_dict tensors by their PyTorch names', () => {
        const renamed = c.weights.map((w) => ({ name: renameTensor(w.name, map), shape: w.shape }));
        expect(keyList(paramsOf(graph))).toEqual(keyList(renamed));
        if (map) expect(renamed.some((w, i) => w.name !== c.weights[i]!.name)).toBe(true);
      });

      it('reproduces the PyTorch float64 output within 1e-5', () => {
        const file = new Map<string, Tensor>(c.weights.map((w) => [w.name, detTensor(w.gen, w.shape, w.lo, w.hi)]));
        const { weights, problems } = bindWeights(paramsOf(graph), file, map);
        expect(problems).toEqual({ missing: [], unexpected: [], misshaped: [] });
        const input = detTensor(c.input.gen, c.input.shape, c.input.lo, c.input.hi);
        const out = [...runGraph(graph, weights, [input]).values()][0]!;
        expect(out.shape).toEqual(c.output_shape);
        expect(relativeL2(out.data, expectedOutputs.get(name)!.data)).toBeLessThan(1e-5);
      });
    });
  }

  it('a map drops PyTorch num_batches_tracked counters', () => {
    const map = weightMapOf('bottleneck_s1')!;
    expect(map.ignore.some((r) => r.test('conv0._batch_norm.num_batches_tracked'))).toBe(true);
    expect(renameTensor('conv2._batch_norm.running_var', map)).toBe('conv2.bn.running_var');
  });
});

// ---------------------------------------------------------------- examples

/** torchvision's resnet50 state_dict keys (num_batches_tracked left out) and shapes. */
function torchvisionResNet50Keys(): { name: string; shape: number[] }[] {
  const keys: { name: string; shape: number[] }[] = [];
  const conv = (n: string, o: number, i: number, k: number) => keys.push({ name: `${n}.weight`, shape: [o, i, k, k] });
  const bn = (n: string, c: number) => {
    for (const r of ['weight', 'bias', 'running_mean', 'running_var']) keys.push({ name: `${n}.${r}`, shape: [c] });
  };
  conv('conv1', 64, 3, 7);
  bn('bn1', 64);
  let inplanes = 64;
  [[64, 3], [128, 4], [256, 6], [512, 3]].forEach(([planes, blocks], s) => {
    for (let b = 0; b < blocks!; b++) {
      const p = `layer${s + 1}.${b}`;
      conv(`${p}.conv1`, planes!, inplanes, 1);
      bn(`${p}.bn1`, planes!);
      conv(`${p}.conv2`, planes!, planes!, 3);
      bn(`${p}.bn2`, planes!);
      conv(`${p}.conv3`, planes! * 4, planes!, 1);
      bn(`${p}.bn3`, planes! * 4);
      if (b === 0) {
        conv(`${p}.downsample.0`, planes! * 4, inplanes, 1);
        bn(`${p}.downsample.1`, planes! * 4);
      }
      inplanes = planes! * 4;
    }
  });
  keys.push({ name: 'fc.weight', shape: [1000, 2048] }, { name: 'fc.bias', shape: [1000] });
  return keys;
}

/** torchvision's googlenet (aux_logits=False) keys, with `k5` as the kernel of branch3.1. */
function torchvisionGoogLeNetKeys(k5: number): { name: string; shape: number[] }[] {
  const keys: { name: string; shape: number[] }[] = [];
  const basic = (n: string, o: number, i: number, k: number) => {
    keys.push({ name: `${n}.conv.weight`, shape: [o, i, k, k] });
    for (const r of ['weight', 'bias', 'running_mean', 'running_var']) keys.push({ name: `${n}.bn.${r}`, shape: [o] });
  };
  basic('conv1', 64, 3, 7);
  basic('conv2', 64, 64, 1);
  basic('conv3', 192, 64, 3);
  const table: [string, number, number, number, number, number, number][] = [
    ['3a', 64, 96, 128, 16, 32, 32], ['3b', 128, 128, 192, 32, 96, 64],
    ['4a', 192, 96, 208, 16, 48, 64], ['4b', 160, 112, 224, 24, 64, 64],
    ['4c', 128, 128, 256, 24, 64, 64], ['4d', 112, 144, 288, 32, 64, 64],
    ['4e', 256, 160, 320, 32, 128, 128], ['5a', 256, 160, 320, 32, 128, 128],
    ['5b', 384, 192, 384, 48, 128, 128],
  ];
  let cin = 192;
  for (const [id, c1, r3, c3, r5, c5, pp] of table) {
    const p = `inception${id}`;
    basic(`${p}.branch1`, c1, cin, 1);
    basic(`${p}.branch2.0`, r3, cin, 1);
    basic(`${p}.branch2.1`, c3, r3, 3);
    basic(`${p}.branch3.0`, r5, cin, 1);
    basic(`${p}.branch3.1`, c5, r5, k5);
    basic(`${p}.branch4.1`, pp, cin, 1);
    cin = c1 + c3 + c5 + pp;
  }
  keys.push({ name: 'fc.weight', shape: [1000, 1024] }, { name: 'fc.bias', shape: [1000] });
  return keys;
}

/** The PyTorch DCGAN tutorial generator's keys: main.{0,3,6,9,12} transposed convs, BN between. */
function dcganTutorialKeys(nz: number, ngf: number, nc: number): { name: string; shape: number[] }[] {
  const ch = [nz, ngf * 8, ngf * 4, ngf * 2, ngf, nc];
  const keys: { name: string; shape: number[] }[] = [];
  for (let l = 0; l < 5; l++) {
    keys.push({ name: `main.${3 * l}.weight`, shape: [ch[l]!, ch[l + 1]!, 4, 4] });
    if (l < 4) {
      for (const r of ['weight', 'bias', 'running_mean', 'running_var']) keys.push({ name: `main.${3 * l + 1}.${r}`, shape: [ch[l + 1]!] });
    }
  }
  return keys;
}

const trainable = (ks: { name: string; shape: number[] }[]): number =>
  ks.filter((k) => !/running_(mean|var)$/.test(k.name)).reduce((s, k) => s + k.shape.reduce((a, b) => a * b, 1), 0);

describe('examples', () => {
  it('resnet50.net owns exactly torchvision resnet50 state_dict keys: 25,557,032 parameters', () => {
    const [g] = build('examples/resnet50.net');
    expect(keyList(paramsOf(g!))).toEqual(keyList(torchvisionResNet50Keys()));
    expect(summarize(g!).totals.params).toBe(25_557_032);
    expect(summarize(g!).outputs[0]!.shape).toEqual([1, 1000]);
  });

  it('googlenet.net owns exactly torchvision googlenet keys: 6,624,904 parameters (7,005,832 with k3=5)', () => {
    const [g] = build('examples/googlenet.net');
    expect(keyList(paramsOf(g!))).toEqual(keyList(torchvisionGoogLeNetKeys(3)));
    expect(summarize(g!).totals.params).toBe(6_624_904);
    expect(trainable(torchvisionGoogLeNetKeys(3))).toBe(6_624_904);
    expect(summarize(g!).outputs[0]!.shape).toEqual([1, 1000]);
    // The paper's 5x5 branch through the network parameter.
    const paper = checkSource(readFileSync('examples/googlenet.net', 'utf8').replace('k3: int = 3', 'k3: int = 5'), 'examples/googlenet.net');
    const g5 = concretize(paper.graphs[0]!, new Map()).graph!;
    expect(keyList(paramsOf(g5))).toEqual(keyList(torchvisionGoogLeNetKeys(5)));
    expect(summarize(g5).totals.params).toBe(7_005_832);
  });

  it('dcgan.net owns the tutorial generator keys: 3,576,704 parameters, 64x64 images', () => {
    const [g] = build('examples/dcgan.net', { N: 4 });
    expect(keyList(paramsOf(g!))).toEqual(keyList(dcganTutorialKeys(100, 64, 3)));
    expect(summarize(g!).totals.params).toBe(3_576_704);
    expect(summarize(g!).outputs[0]!.shape).toEqual([4, 3, 64, 64]);
  });

  it('unet3d.net: the checker requires D, H, W divisible by 8; 19,073,187 parameters', () => {
    const result = checkProgram('examples/unet3d.net', fileSystemHost());
    const notes = result.requirements.filter((r) => r.network === 'UNet3D').map((r) => r.text);
    for (const d of ['D', 'H', 'W']) expect(notes).toContain(`${d} must be divisible by 8`);
    const graphs = build('examples/unet3d.net', { D: 32, H: 48, W: 40 });
    expect(graphs.map((g) => summarize(g).outputs[0]!.shape)).toEqual([[1, 3, 32, 48, 40], [1, 3, 64, 64, 64]]);
    for (const g of graphs) expect(summarize(g).totals.params).toBe(19_073_187);
    // D = 36 is divisible by 4, not 8: the bottom level is 4 deep, its up-convolution 8, the skip 9.
    const bad = checkProgram('examples/unet3d.net', fileSystemHost(), {
      entry: 'UNet3D',
      bindings: new Map([['D', 36], ['H', 48], ['W', 40]]),
    });
    expect(bad.diagnostics.filter((d) => d.severity === 'error').length).toBeGreaterThan(0);
  });

  it('cnn3d_action.net: 5 channels x 7 frames of 60x40 to class scores, 328,365 parameters', () => {
    const [g] = build('examples/cnn3d_action.net', { N: 2 });
    const s = summarize(g!);
    expect(s.inputs[0]!.shape).toEqual([2, 5, 7, 60, 40]);
    expect(s.outputs[0]!.shape).toEqual([2, 3]);
    expect(s.totals.params).toBe(328_365);
    expect(paramsOf(g!).find((p) => p.name === 'c2.weight')!.shape).toEqual([10, 1, 3, 7, 7]);
  });

  it('fcn.net: FCN-32s and FCN-16s score every pixel at the input resolution', () => {
    const graphs = build('examples/fcn.net');
    expect(graphs.map((g) => g.name)).toEqual(['FCN32s', 'FCN16s']);
    expect(graphs.map((g) => summarize(g).outputs[0]!.shape)).toEqual([[1, 21, 224, 224], [1, 21, 224, 224]]);
    expect(graphs.map((g) => summarize(g).totals.params)).toEqual([6_940_085, 5_597_786]);
    expect(graphs[1]!.nodes.some((n) => n.op === 'add')).toBe(true);
  });

  it('examples/README.md states the same parameter counts', () => {
    const readme = read('examples/README.md');
    for (const n of ['7,005,832', '6,624,904', '25,557,032', '19,073,187', '3,576,704', '328,365', '6,940,085', '5,597,786']) {
      expect(readme).toContain(n);
    }
  });
});
