/**
 * Deterministic random weights for running a network without a weight file (`netc run`,
 * `bench`, differential tests). Every tensor is detTensor(`${seed}/${name}`, ...), so the
 * same seed gives the same weights in every process and backend.
 *
 * Ranges follow the PyTorch reference cases: He-uniform weights +-sqrt(6 / fan_in) (fan_in =
 * size of one output's slice, PyTorch's convention for every weight layout), biases +-0.05,
 * batch norm gamma in [0.5, 1.5], beta and running mean in [-0.1, 0.1], running variance
 * in [0.5, 1.5] (always positive).
 */
import type { ParamRef, WeightStore } from '../ir/graph.ts';
import { detTensor } from './detTensor.ts';

/** The owning layer's prefix and the role (`conv1.weight` -> [`conv1`, `weight`]). */
function splitName(name: string): [string, string] {
  const dot = name.lastIndexOf('.');
  return dot < 0 ? ['', name] : [name.slice(0, dot), name.slice(dot + 1)];
}

export function initRange(p: ParamRef, batchNormLayers: ReadonlySet<string>): [number, number] {
  const [layer, role] = splitName(p.name);
  if (role === 'running_var') return [0.5, 1.5];
  if (role === 'running_mean') return [-0.1, 0.1];
  if (batchNormLayers.has(layer)) return role === 'weight' ? [0.5, 1.5] : [-0.1, 0.1];
  if (role === 'bias' || p.shape.length < 2) return [-0.05, 0.05];
  const fanIn = Math.max(1, p.shape.slice(1).reduce((a, b) => a * b, 1));
  const bound = Math.sqrt(6 / fanIn);
  return [-bound, bound];
}

export function randomWeights(params: ParamRef[], seed: number): WeightStore {
  // A layer with running statistics is a batch norm: its weight/bias are gamma/beta.
  const batchNormLayers = new Set(params.filter((p) => splitName(p.name)[1] === 'running_mean').map((p) => splitName(p.name)[0]));
  const store: WeightStore = new Map();
  for (const p of params) {
    if (store.has(p.name)) continue;
    const [lo, hi] = initRange(p, batchNormLayers);
    store.set(p.name, detTensor(`${seed}/${p.name}`, p.shape, lo, hi));
  }
  return store;
}
