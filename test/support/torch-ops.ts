/**
 * The PyTorch op cases of real exports (test/fixtures/ops-torch: cases.json, ops.safetensors)
 * read generically: each case's functional call, its tensors (inputs in order, weights by
 * role, outputs `y` or `y0`, `y1`, ...). Tests map the calls they cover to IR operators.
 */
import { readFileSync } from 'node:fs';
import { readSafetensors } from '../../src/io/safetensors.ts';
import type { Tensor } from '../../src/ir/tensor.ts';

export interface TorchCase {
  /** The torch.nn.functional (or torch) call: `pad`, `interpolate`, `max_pool2d`, ... */
  op: string;
  kwargs: Record<string, unknown>;
  /** Tensor names passed positionally (`x`, `x2`). */
  inputs: string[];
  /** Weight tensor names by role (`weight`, `bias`, `running_mean`, `running_var`). */
  params: string[] | Record<string, string>;
  outputs: string[];
  shapes: Record<string, number[]>;
}

export interface LoadedTorchCase {
  name: string;
  op: string;
  kwargs: Record<string, unknown>;
  inputs: Tensor[];
  params: Record<string, Tensor>;
  outputs: Tensor[];
}

const dir = new URL('../fixtures/ops-torch/', import.meta.url);
const cases = JSON.parse(readFileSync(new URL('cases.json', dir), 'utf8')) as Record<string, TorchCase>;
const tensors = readSafetensors(new Uint8Array(readFileSync(new URL('ops.safetensors', dir))), 'ops.safetensors');

function tensor(name: string, t: string): Tensor {
  const v = tensors.get(`${name}.${t}`);
  if (!v) throw new Error(`ops.safetensors has no ${name}.${t}`);
  return v;
}

/** Every case whose name passes `filter`, with its tensors. */
export function torchCases(filter: (name: string, c: TorchCase) => boolean): LoadedTorchCase[] {
  const out: LoadedTorchCase[] = [];
  for (const [name, c] of Object.entries(cases)) {
    if (name === '_meta' || !filter(name, c)) continue;
    const roles = Array.isArray(c.params) ? Object.fromEntries(c.params.map((p) => [p, p])) : c.params;
    out.push({
      name,
      op: c.op,
      kwargs: c.kwargs,
      inputs: c.inputs.map((t) => tensor(name, t)),
      params: Object.fromEntries(Object.entries(roles).map(([role, t]) => [role, tensor(name, t)])),
      outputs: c.outputs.map((t) => tensor(name, t)),
    });
  }
  return out;
}
