/**
 * A ShuffleNetV2 unit written with the spatial and channel operators (pad, slice halves,
 * concat, channel_shuffle): the optimised graph makes the channel slices views of their input
 * (no copy) and gives the unoptimised graph's result on the interpreter and through Wasm.
 */
import { expect, it } from 'vitest';
import { runGraph } from '../../src/interp/run.ts';
import { optimize } from '../../src/passes/pipeline.ts';
import { checkToGraph } from '../io/onnx/helpers.ts';
import { randomTensor, randomWeightsFor, relL2, rng, runWasm } from '../wasm/harness.ts';

const source = `
network Unit {
  in x: [1, 8, 6, 6]
  left = x |> slice(0, 4)
  right = x |> slice(4, 4) |> conv(4, k=1) |> relu |> pad(1, mode="reflect") |> conv(4, k=3, groups=4) |> conv(4, k=1) |> relu
  out y = concat(left, right) |> channel_shuffle(2)
}
`;

it('slices become views after optimisation; interpreter and Wasm agree with the unoptimised graph', async () => {
  const graph = checkToGraph(source, 'unit.net');
  const next = rng(7);
  const weights = randomWeightsFor(graph, next);
  const x = randomTensor([1, 8, 6, 6], next);
  const ref = [...runGraph(graph, weights, [x]).values()][0]!;
  const opt = optimize(graph, weights);
  const slices = opt.graph.nodes.filter((n) => n.op === 'slice');
  expect(slices).toHaveLength(2);
  expect(slices.every((n) => n.attrs.view)).toBe(true);
  const interp = [...runGraph(opt.graph, opt.weights, [x]).values()][0]!;
  expect(relL2(interp.data, ref.data)).toBeLessThan(1e-6);
  const wasm = [...(await runWasm(opt.graph, opt.weights, [x])).outputs.values()][0]!;
  expect(relL2(wasm.data, ref.data)).toBeLessThan(1e-5);
});
