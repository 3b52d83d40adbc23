import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { detTensor } from '../../src/io/detTensor.ts';
import { TensorFileError } from '../../src/io/errors.ts';
import { readSafetensors } from '../../src/io/safetensors.ts';
import { bindWeights } from '../../src/io/weightsMap.ts';
import { runGraph } from '../../src/interp/run.ts';
import { relativeL2, type Tensor } from '../../src/ir/tensor.ts';
import { GraphBuilder, inception3a, referenceModels } from './referenceGraphs.ts';
import { rand } from './naive.ts';

interface Spec { name: string; gen: string; shape: number[]; lo: number; hi: number }
interface ModelCase { kind: 'model'; input: Spec; weights: Spec[]; output_shape: number[] }

const dir = new URL('../fixtures/reference/', import.meta.url);
const cases = JSON.parse(readFileSync(new URL('cases.json', dir), 'utf8')) as Record<string, ModelCase | { kind: string }>;
const expected = readSafetensors(new Uint8Array(readFileSync(new URL('model_outputs.safetensors', dir))), 'model_outputs.safetensors');

const modelCase = (name: string): ModelCase => cases[name] as ModelCase;
const fileTensors = (c: ModelCase): Map<string, Tensor> =>
  new Map(c.weights.map((w) => [w.name, detTensor(w.gen, w.shape, w.lo, w.hi)]));
const inputOf = (c: ModelCase): Tensor => detTensor(c.input.gen, c.input.shape, c.input.lo, c.input.hi);

const modelNames = Object.entries(cases).filter(([, c]) => c.kind === 'model').map(([n]) => n);

describe('runGraph on the PyTorch reference models', () => {
  it('has a hand-written graph for every model case', () => {
    expect(modelNames.sort()).toEqual(Object.keys(referenceModels).sort());
  });

  it.each(modelNames)('%s matches PyTorch float64 within 1e-5', (name) => {
    const c = modelCase(name);
    const g = referenceModels[name]!();
    const { weights, problems } = bindWeights(g.params(), fileTensors(c));
    expect(problems).toEqual({ missing: [], unexpected: [], misshaped: [] });
    const out = runGraph(g.graph, weights, [inputOf(c)]).get('y')!;
    expect(out.shape).toEqual(c.output_shape);
    const err = relativeL2(out.data, expected.get(name)!.data);
    console.log(`${name}: relative L2 ${err.toExponential(2)}`);
    expect(err).toBeLessThan(1e-5);
  });
});

describe('runGraph', () => {
  const c3a = modelCase('inception_3a');
  const { weights } = bindWeights(inception3a().params(), fileTensors(c3a));
  const x = inputOf(c3a);

  it('runs a conv epilogue (fused ReLU) exactly as the unfused graph', () => {
    const plain = runGraph(inception3a().graph, weights, new Map([['x', x]])).get('y')!;
    const fused = runGraph(inception3a(true).graph, weights, [x]).get('y')!;
    expect(fused.data).toEqual(plain.data);
  });

  it('runs a residual epilogue as conv, add, activation', () => {
    const build = (fused: boolean): GraphBuilder => {
      const g = new GraphBuilder('residual');
      const a = g.input('a', [1, 4, 6, 6]);
      const r = g.input('r', [1, 8, 6, 6]);
      if (fused) {
        const y = g.conv('c', a, 8, 3, { pad: 1, epilogue: { residual: true, activation: 'leaky_relu', slope: 0.2 } });
        g.graph.nodes[0]!.inputs.push(r);
        g.output('y', y);
      } else {
        g.output('y', g.act('leaky_relu', 'act', g.add('sum', g.conv('c', a, 8, 3, { pad: 1 }), r), { slope: 0.2 }));
      }
      return g;
    };
    const w = new Map([['c.weight', rand('res/w', [8, 4, 3, 3])], ['c.bias', rand('res/b', [8])]]);
    const inputs = [rand('res/a', [1, 4, 6, 6]), rand('res/r', [1, 8, 6, 6], -3, 3)];
    const plain = runGraph(build(false).graph, w, inputs).get('y')!;
    const fused = runGraph(build(true).graph, w, inputs).get('y')!;
    expect(fused.data).toEqual(plain.data);
    expect(plain.data.some((v) => v < 0)).toBe(true);
  });

  it('reports every node output through onNode, and keeps inputs used by later nodes', () => {
    const seen: string[] = [];
    runGraph(inception3a().graph, weights, [x], { onNode: (n, t) => seen.push(`${n.name}:${t.shape[1]}`) });
    expect(seen[0]).toBe('p1_1:64');
    expect(seen.at(-1)).toBe('cat:256');
    expect(seen.length).toBe(inception3a().graph.nodes.length);
  });

  it('rejects inputs of the wrong shape (NET3004) or number (NET3005)', () => {
    const g = inception3a().graph;
    const err = (f: () => unknown): TensorFileError => {
      try {
        f();
      } catch (e) {
        return e as TensorFileError;
      }
      throw new Error('no error');
    };
    const shape = err(() => runGraph(g, weights, [rand('small', [1, 192, 14, 14])]));
    expect(shape.code).toBe('NET3004');
    expect(shape.message).toBe('input x is [1, 192, 14, 14] in the inputs given, the network expects [1, 192, 28, 28]');
    const count = err(() => runGraph(g, weights, [x, x]));
    expect(count.code).toBe('NET3005');
    expect(count.message).toBe('network inception_3a takes 1 input(s) (x), got 2');
    expect(err(() => runGraph(g, weights, new Map([['z', x]]))).code).toBe('NET3005');
  });

  it('reports a weight absent from the store (NET3001)', () => {
    const partial = new Map(weights);
    partial.delete('p3_2.weight');
    try {
      runGraph(inception3a().graph, partial, [x]);
      throw new Error('no error');
    } catch (e) {
      expect((e as TensorFileError).code).toBe('NET3001');
      expect((e as Error).message).toContain('p3_2.weight [32, 16, 5, 5]');
    }
  });

  it('names an operator without a kernel', () => {
    const g = new GraphBuilder('odd');
    g.output('y', g.node('no_such_op', 'n1', [g.input('x', [1, 2])], {}, [1, 2]));
    expect(() => runGraph(g.graph, new Map(), [rand('odd', [1, 2])])).toThrow(/no kernel for operator no_such_op \(node n1\)/);
  });
});
