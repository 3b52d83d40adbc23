/**
 * The PyTorch op cases of test/fixtures/ops-torch (cases.json and ops.safetensors, made by
 * scripts/export_op_cases.py): each case's functional call, its input tensors in order, its
 * weights by role and its outputs. Generic over operators; `irActivation` maps the
 * activation cases to netc operators and attributes.
 */
import { readFileSync } from 'node:fs';
import { readSafetensors } from '../../src/io/safetensors.ts';
import type { Tensor } from '../../src/ir/tensor.ts';

export interface TorchOpCase {
  name: string;
  /** The torch.nn.functional name (`hardswish`, `gelu`, `prelu`, ...). */
  op: string;
  kwargs: Record<string, unknown>;
  /** Tensors passed positionally, in order. */
  inputs: Tensor[];
  /** Weights by role (`weight`, `bias`, `running_mean`, `running_var`). */
  params: Record<string, Tensor>;
  /** `y`, or `y0`, `y1`, ... for ops with several outputs; PyTorch's float64 results. */
  outputs: Record<string, Tensor>;
}

interface CaseEntry {
  op: string;
  kwargs: Record<string, unknown>;
  inputs: string[];
  params: Record<string, string>;
  outputs: string[];
}

const dir = new URL('../fixtures/ops-torch/', import.meta.url);
const entries = JSON.parse(readFileSync(new URL('cases.json', dir), 'utf8')) as Record<string, CaseEntry | { torch: string }>;
const tensors = readSafetensors(new Uint8Array(readFileSync(new URL('ops.safetensors', dir))), 'ops.safetensors');

function tensor(name: string, t: string): Tensor {
  const found = tensors.get(`${name}.${t}`);
  if (!found) throw new Error(`ops.safetensors has no ${name}.${t}`);
  return found;
}

/** Every case of the file (the `_meta` entry left out). */
export const torchOpCases: TorchOpCase[] = Object.entries(entries)
  .filter((e): e is [string, CaseEntry] => e[0] !== '_meta')
  .map(([name, c]) => ({
    name,
    op: c.op,
    kwargs: c.kwargs,
    inputs: c.inputs.map((t) => tensor(name, t)),
    params: Object.fromEntries(Object.entries(c.params).map(([role, t]) => [role, tensor(name, t)])),
    outputs: Object.fromEntries(c.outputs.map((t) => [t, tensor(name, t)])),
  }));

/** The cases whose torch function is one of `ops`. */
export function torchCasesOf(...ops: string[]): TorchOpCase[] {
  return torchOpCases.filter((c) => ops.includes(c.op));
}

/** netc operator and attributes of an activation case (hardtanh and relu6 are clip). */
export function irActivation(c: TorchOpCase): { op: string; attrs: Record<string, unknown> } {
  const k = c.kwargs;
  switch (c.op) {
    case 'hardswish':
    case 'silu':
      return { op: c.op, attrs: {} };
    case 'hardsigmoid':
      return { op: 'hardsigmoid', attrs: { alpha: 1 / 6, beta: 0.5 } };
    case 'gelu':
      return { op: 'gelu', attrs: { approximate: k['approximate'] ?? 'none' } };
    case 'elu':
      return { op: 'elu', attrs: { alpha: k['alpha'] ?? 1 } };
    case 'hardtanh':
      return { op: 'clip', attrs: { min: k['min_val'] ?? -1, max: k['max_val'] ?? 1 } };
    case 'relu6':
      return { op: 'relu6', attrs: { min: 0, max: 6 } };
    case 'leaky_relu':
      return { op: 'leaky_relu', attrs: { slope: k['negative_slope'] ?? 0.01 } };
    case 'prelu':
      return { op: 'prelu', attrs: { slopes: c.params['weight']!.data.length } };
    default:
      throw new Error(`${c.name}: ${c.op} is no activation case`);
  }
}

/** The activation cases of the file. */
export const activationCases = torchCasesOf('hardswish', 'hardsigmoid', 'silu', 'gelu', 'elu', 'hardtanh', 'relu6', 'leaky_relu', 'prelu');

/** One case by name. */
export function torchOpCase(name: string): TorchOpCase {
  const c = torchOpCases.find((x) => x.name === name);
  if (!c) throw new Error(`ops-torch has no case ${name}`);
  return c;
}

/** A case with its outputs in order (`y`, or `y0`, `y1`, ...). */
export type LoadedTorchCase = Omit<TorchOpCase, 'outputs'> & { outputs: Tensor[] };

/** Every case whose name and call pass `filter`, with its outputs in order. */
export function torchCases(filter: (name: string, c: TorchOpCase) => boolean): LoadedTorchCase[] {
  return torchOpCases.filter((c) => filter(c.name, c)).map((c) => ({ ...c, outputs: Object.values(c.outputs) }));
}
