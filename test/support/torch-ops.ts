/**
 * The PyTorch op cases of test/fixtures/ops-torch (cases.json + ops.safetensors, made by
 * scripts/export_op_cases.py): each case's functional call, its tensors by name, and its
 * expected outputs. Generic: mapping a case to netc's IR is the test's business.
 */
import { readFileSync } from 'node:fs';
import { readSafetensors } from '../../src/io/safetensors.ts';
import type { Tensor } from '../../src/ir/tensor.ts';

export interface TorchOpCase {
  name: string;
  /** The torch.nn.functional (or torch) function called. */
  op: string;
  kwargs: Record<string, unknown>;
  /** Positional tensor arguments, in order. */
  inputs: Tensor[];
  /** Weights by role (`weight`, `bias`, `running_mean`, ...). */
  params: Record<string, Tensor>;
  /** Expected outputs (float64 results stored as float32 arrays of the reader), in order. */
  outputs: Tensor[];
}

interface RawCase {
  op: string;
  kwargs: Record<string, unknown>;
  inputs: string[];
  params: Record<string, string>;
  outputs: string[];
}

const dir = new URL('../fixtures/ops-torch/', import.meta.url);
const raw = JSON.parse(readFileSync(new URL('cases.json', dir), 'utf8')) as Record<string, RawCase>;
const tensors = readSafetensors(new Uint8Array(readFileSync(new URL('ops.safetensors', dir))), 'ops.safetensors');

function tensor(caseName: string, name: string): Tensor {
  const t = tensors.get(`${caseName}.${name}`);
  if (!t) throw new Error(`ops.safetensors has no ${caseName}.${name}`);
  return t;
}

/** One case by name. */
export function torchOpCase(name: string): TorchOpCase {
  const c = raw[name];
  if (!c) throw new Error(`ops-torch has no case ${name}`);
  return {
    name,
    op: c.op,
    kwargs: c.kwargs,
    inputs: c.inputs.map((t) => tensor(name, t)),
    params: Object.fromEntries(Object.entries(c.params).map(([role, t]) => [role, tensor(name, t)])),
    outputs: c.outputs.map((t) => tensor(name, t)),
  };
}

/** Every case name, in file order. */
export const torchOpCaseNames: readonly string[] = Object.keys(raw);
