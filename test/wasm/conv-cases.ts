/**
 * What the single-conv kernel tests share: seeded inputs, and a transposed-conv case run both
 * as a standalone Wasm module (conv-standalone.ts) and by the interpreter, with the epilogue
 * (residual, activation) applied to the reference.
 */
import type { Epilogue } from '../../src/ir/graph.ts';
import type { Tensor } from '../../src/ir/tensor.ts';
import type { ConvTransposeAttrs } from '../../src/ops/attrs.ts';
import { convTransposeInterp } from '../../src/ops/conv_transpose/interp.ts';
import { buildSingleConv, convTransposeOutShape } from './conv-standalone.ts';

/** Deterministic uniform values in [-1, 1) (xorshift32). */
export function seededUniform(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0;
    out[i] = (s / 2 ** 32) * 2 - 1;
  }
  return out;
}

const count = (s: number[]): number => s.reduce((a, b) => a * b, 1);

/** The activations the kernel tests fuse, as the reference applies them. */
export function applyEpilogue(v: number, epilogue: Epilogue | undefined): number {
  switch (epilogue?.activation) {
    case 'relu': return Math.max(v, 0);
    case 'leaky_relu': return v > 0 ? v : v * (epilogue.slope ?? 0.01);
    case 'tanh': return Math.tanh(v);
    case undefined: return v;
    default: throw new Error(`applyEpilogue: no reference for ${String(epilogue?.activation)}`);
  }
}

export interface TransposedCase {
  x: number[];
  cout: number;
  k: number[];
  stride: number[];
  pad: number[];
  outputPad?: number[];
  groups?: number;
  epilogue?: Epilogue;
}

/** Case `i` built and run: the module's output, the reference, and the module's kernel functions. */
export async function runTransposedCase(c: TransposedCase, i: number): Promise<{ got: Float32Array; ref: Float32Array; functions: string[] }> {
  const r = c.k.length as 1 | 2 | 3;
  const attrs: ConvTransposeAttrs & { epilogue?: Epilogue } = {
    rank: r, outChannels: c.cout, kernel: c.k, stride: c.stride, pad: c.pad,
    outputPad: c.outputPad ?? new Array<number>(r).fill(0), dilation: new Array<number>(r).fill(1),
    groups: c.groups ?? 1, bias: true, epilogue: c.epilogue,
  };
  const wShape = [c.x[1]!, c.cout / (c.groups ?? 1), ...c.k];
  const x: Tensor = { shape: c.x, data: seededUniform(count(c.x), 3 + i) };
  const w: Tensor = { shape: wShape, data: seededUniform(count(wShape), 30 + i) };
  const b: Tensor = { shape: [c.cout], data: seededUniform(c.cout, 300 + i) };
  const outShape = convTransposeOutShape(c.x, attrs);
  const res = c.epilogue?.residual ? seededUniform(count(outShape), 5 + i) : undefined;
  const mod = await buildSingleConv({ op: 'conv_transpose', xShape: c.x, attrs, weight: w, bias: b });
  const got = mod.run(x.data, res);
  const ref = convTransposeInterp([x], { weight: w, bias: b }, attrs, outShape).data;
  for (let j = 0; j < ref.length; j++) ref[j] = applyEpilogue(ref[j]! + (res ? res[j]! : 0), c.epilogue);
  return { got, ref, functions: mod.functions };
}
