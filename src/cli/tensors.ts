/** Reading inputs and writing outputs of `netc run` in safetensors or .npy form. */
import { writeFileSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import type { Tensor } from '../ir/tensor.ts';
import { readNpy, writeNpy } from '../io/npy.ts';
import { readSafetensors, writeSafetensors } from '../io/safetensors.ts';
import { readBytes } from './read.ts';
import { UsageError, type CliIO } from './io.ts';

/**
 * Inputs by graph input name. A .npy file, or a safetensors file holding one tensor, feeds a
 * single-input network whatever the tensor's name; otherwise names must match.
 */
export function readInputs(io: CliIO, names: readonly string[], paths: readonly string[]): Map<string, Tensor> {
  const out = new Map<string, Tensor>();
  for (const p of paths) {
    const bytes = readBytes(resolve(io.cwd, p), p);
    if (extname(p) === '.npy') {
      const t = readNpy(bytes, p);
      const free = names.find((n) => !out.has(n));
      if (!free) throw new UsageError(`${p}: the network has no input left to feed (inputs: ${names.join(', ')})`);
      out.set(free, t);
      continue;
    }
    const file = readSafetensors(bytes, p);
    if (file.size === 1 && names.length === 1) {
      out.set(names[0]!, [...file.values()][0]!);
      continue;
    }
    for (const [name, t] of file) {
      if (!names.includes(name)) throw new UsageError(`${p}: tensor '${name}' is not an input of the network (inputs: ${names.join(', ')})`);
      out.set(name, t);
    }
  }
  const missing = names.filter((n) => !out.has(n));
  if (missing.length) throw new UsageError(`no value for input${missing.length > 1 ? 's' : ''} ${missing.join(', ')}: give --input FILE`);
  return out;
}

export function writeOutputs(io: CliIO, outputs: Map<string, Tensor>, path: string): void {
  const abs = resolve(io.cwd, path);
  let bytes: Uint8Array;
  if (extname(path) === '.npy') {
    if (outputs.size !== 1) throw new UsageError(`${path}: .npy holds one tensor but the network has ${outputs.size} outputs; use .safetensors`);
    bytes = writeNpy([...outputs.values()][0]!);
  } else {
    bytes = writeSafetensors(outputs);
  }
  try {
    writeFileSync(abs, bytes);
  } catch (e) {
    throw new UsageError(`cannot write ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

export function describeTensor(name: string, t: Tensor): string {
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  for (const v of t.data) {
    if (v < min) min = v;
    if (v > max) max = v;
    sum += v;
  }
  const head = Array.from(t.data.subarray(0, 6), (v) => v.toPrecision(5)).join(', ');
  return `${name} [${t.shape.join(', ')}]  min ${min.toPrecision(5)}  max ${max.toPrecision(5)}  mean ${(sum / Math.max(1, t.data.length)).toPrecision(5)}  first [${head}${t.data.length > 6 ? ', ...' : ''}]`;
}
