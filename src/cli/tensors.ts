/** Reading inputs and writing outputs of `netc run` in safetensors or .npy form. */
import { writeFileSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import { TensorFileError } from '../io/errors.ts';
import { requireFileKind } from '../io/file-kind.ts';
import { readNpy, writeNpy } from '../io/npy.ts';
import { readSafetensors, writeSafetensors } from '../io/safetensors.ts';
import type { Tensor } from '../ir/tensor.ts';
import { readFileBytes } from './files.ts';
import { UsageError, type CliIO } from './io.ts';

export interface InputTensors {
  tensors: Map<string, Tensor>;
  /** Where each input's tensor came from, for messages (`x.npy`, `in.safetensors (tensor t)`). */
  sources: Map<string, string>;
}

/**
 * Inputs by graph input name. A .npy file, or a safetensors file holding one tensor, feeds a
 * single-input network whatever the tensor's name; otherwise names must match. Every problem
 * is a diagnostic naming the file and the tensor (TensorFileError); shapes are checked by the
 * front end against the bound input declarations before either backend runs, so the
 * interpreter and the Wasm module report the same.
 */
export function readInputs(io: CliIO, network: string, names: readonly string[], paths: readonly string[]): InputTensors {
  const out = new Map<string, Tensor>();
  const from = new Map<string, { file: string; source: string }>();
  const countError = (file: string, got: string): TensorFileError =>
    new TensorFileError('NET3005', { network, expected: names.length, names: names.join(', ') || 'none', got, file });
  const feed = (name: string, t: Tensor, file: string, source = file): void => {
    out.set(name, t);
    from.set(name, { file, source });
  };
  for (const p of paths) {
    const bytes = readFileBytes(resolve(io.cwd, p), p);
    const kind = requireFileKind(bytes, p, ['npy', 'safetensors'], 'an .npy or safetensors tensor file');
    if (kind === 'npy' || (kind !== 'safetensors' && extname(p) === '.npy')) {
      const t = readNpy(bytes, p);
      const free = names.find((n) => !out.has(n));
      if (!free) throw countError(p, `${paths.length} tensor files (${p} has no input left to feed)`);
      feed(free, t, p);
      continue;
    }
    const file = readSafetensors(bytes, p);
    if (file.size === 1 && names.length === 1) {
      const [tensor, t] = [...file][0]!;
      feed(names[0]!, t, p, tensor === names[0] ? p : `${p} (tensor ${tensor})`);
      continue;
    }
    for (const [name, t] of file) {
      if (!names.includes(name)) {
        throw new TensorFileError('NET3006', { file: p, tensor: name, network, names: names.join(', ') || 'none' });
      }
      feed(name, t, p);
    }
  }
  const missing = names.filter((n) => !out.has(n));
  if (missing.length && paths.length === 0) throw new UsageError(`no value for input${missing.length > 1 ? 's' : ''} ${missing.join(', ')}: give --input FILE`);
  if (missing.length) throw countError(paths[0]!, `no tensor for ${missing.join(', ')} in ${paths.join(', ')}`);
  return { tensors: out, sources: new Map([...from].map(([name, f]) => [name, f.source])) };
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
