/**
 * Every PyTorch reference model case through the whole pipeline, the way a user gets there:
 * the `.net` source checked, its weights written to a safetensors file under their PyTorch
 * names and read back through the weight map (if the case has one), then
 *   - the interpreter on the graph as written,
 *   - the interpreter on the optimised graph (every pass),
 *   - the Wasm module of the optimised graph (Winograd by the cost model, forced on every
 *     3x3 conv it can take, and off),
 * each against the PyTorch float64 output (relative L2 < 1e-5). The ONNX exports of the same
 * cases are imported and run through Wasm too.
 */
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkProgram } from '../../src/check/check.ts';
import { fileSystemHost } from '../../src/check/host.ts';
import { concretize } from '../../src/check/concretize.ts';
import type { Graph, ParamRef, WeightStore } from '../../src/ir/graph.ts';
import { relativeL2, type Tensor } from '../../src/ir/tensor.ts';
import { detTensor } from '../../src/io/detTensor.ts';
import { importOnnx } from '../../src/io/onnx/import.ts';
import { readSafetensors, writeSafetensors } from '../../src/io/safetensors.ts';
import { bindWeights, parseWeightMap } from '../../src/io/weightsMap.ts';
import { runGraph } from '../../src/interp/run.ts';
import { optimize } from '../../src/passes/pipeline.ts';
import { runWasm } from '../wasm/harness.ts';

interface Spec { name: string; gen: string; shape: number[]; lo: number; hi: number }
interface ModelCase { kind: 'model'; input: Spec; weights: Spec[]; output_shape: number[] }

const dir = 'test/fixtures/reference/';
const cases = Object.entries(JSON.parse(readFileSync(dir + 'cases.json', 'utf8')) as Record<string, { kind?: string }>)
  .filter(([, c]) => c.kind === 'model') as [string, ModelCase][];
const expected = readSafetensors(new Uint8Array(readFileSync(dir + 'model_outputs.safetensors')), 'model_outputs.safetensors');
const figures: string[] = [];

function graphOf(name: string): Graph {
  const r = checkProgram(`test/fixtures/models/${name}.net`, fileSystemHost(), { requireEntry: true });
  expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const c = concretize(r.graphs[0]!, new Map());
  expect(c.diagnostics).toEqual([]);
  return c.graph!;
}

/** The user's path: a PyTorch state_dict saved as safetensors, loaded with the case's map. */
function weightsOf(name: string, c: ModelCase, graph: Graph): WeightStore {
  const file = writeSafetensors(new Map(c.weights.map((w) => [w.name, detTensor(w.gen, w.shape, w.lo, w.hi)])));
  const mapPath = `test/fixtures/models/${name}.weights.yaml`;
  const map = existsSync(mapPath) ? parseWeightMap(readFileSync(mapPath, 'utf8'), mapPath) : undefined;
  const params: ParamRef[] = graph.nodes.flatMap((n) => Object.values(n.params));
  const { weights, problems } = bindWeights(params, readSafetensors(file, `${name}.safetensors`), map);
  expect(problems).toEqual({ missing: [], unexpected: [], misshaped: [] });
  return weights;
}

const F16_TOLERANCE = 2e-3;

function check(name: string, how: string, out: Tensor, tolerance = 1e-5) {
  const err = relativeL2(out.data, expected.get(name)!.data);
  figures.push(`${name.padEnd(24)} ${how.padEnd(22)} ${err.toExponential(2)}`);
  expect(err).toBeLessThan(tolerance);
}

describe('reference models through the pipeline', () => {
  for (const [name, c] of cases) {
    it(name, async () => {
      const graph = graphOf(name);
      const weights = weightsOf(name, c, graph);
      const input = detTensor(c.input.gen, c.input.shape, c.input.lo, c.input.hi);
      check(name, 'interpreter', [...runGraph(graph, weights, [input]).values()][0]!);
      const opt = optimize(graph, weights);
      check(name, 'optimised interpreter', [...runGraph(opt.graph, opt.weights, [input]).values()][0]!);
      const wasm = await runWasm(opt.graph, opt.weights, [input]);
      check(name, 'optimised wasm', [...wasm.outputs.values()][0]!);
      for (const winograd of ['always', 'never'] as const) {
        const forced = await runWasm(opt.graph, opt.weights, [input], { winograd });
        check(name, `wasm, Winograd ${winograd === 'always' ? 'on' : 'off'}`, [...forced.outputs.values()][0]!);
      }
      // float16 weights trade accuracy for size: the figure README.md states, under a looser bound.
      const f16 = await runWasm(opt.graph, opt.weights, [input], { weightsDtype: 'f16' });
      check(name, 'wasm, f16 weights', [...f16.outputs.values()][0]!, F16_TOLERANCE);
    });
  }

  for (const [name, c] of cases) {
    const onnxPath = `${dir}onnx/${name}.onnx`;
    if (!existsSync(onnxPath)) continue;
    it(`${name}.onnx imported, through Wasm`, async () => {
      const r = importOnnx(new Uint8Array(readFileSync(onnxPath)), { file: onnxPath });
      expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      const input = detTensor(c.input.gen, c.input.shape, c.input.lo, c.input.hi);
      const opt = optimize(r.graph!, r.weights!);
      check(name, 'onnx import, wasm', [...(await runWasm(opt.graph, opt.weights, [input])).outputs.values()][0]!);
    });
  }

  it('prints the figures', () => {
    console.log(['relative L2 against PyTorch float64:', ...figures].join('\n'));
    expect(figures.length).toBeGreaterThan(0);
  });
});
