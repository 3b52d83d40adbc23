/**
 * What the single-conv kernel tests share: seeded inputs, and a transposed-conv case run both
 * as a standalone Wasm module (conv-standalone.ts) and by the interpreter, and the reference
 * of a fused epilogue (residual, activation).
 */
import type { Epilogue } from '../../src/ir/graph.ts';
import type { Tensor } from '../../src/ir/tensor.ts';
import type { ConvTransposeAttrs } from '../../src/ops/attrs.ts';
import { scalarFunction } from '../../src/ops/activation/formula.ts';
import { epilogueFormula } from '../../src/ops/activations.ts';
import { convTransposeInterp } from '../../src/ops/conv_transpose/interp.ts';
import { randomTensor, rng } from '../support/random.ts';
import { buildSingleConv, convTransposeOutShape } from './conv-standalone.ts';

/** Uniform values in [-1, 1) from seed `seed` (the shared xorshift32 of test/support). */
export const seededUniform = (n: number, seed: number): Float32Array => randomTensor([n], rng(seed)).data;

const count = (s: number[]): number => s.reduce((a, b) => a * b, 1);

/**
 * The reference of a fused epilogue: `y` plus the residual, then the activation, with the
 * operator table's own formula (as the interpreter runs an epilogue). Changes `y` in place.
 */
export function withEpilogue(y: Float32Array, residual: Float32Array | undefined, epilogue: Epilogue | undefined): Float32Array {
  const formula = epilogueFormula(epilogue);
  const activate = formula ? scalarFunction(formula) : (v: number) => v;
  for (let j = 0; j < y.length; j++) y[j] = activate(y[j]! + (residual ? residual[j]! : 0));
  return y;
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
  withEpilogue(ref, res, c.epilogue);
  return { got, ref, functions: mod.functions };
}
