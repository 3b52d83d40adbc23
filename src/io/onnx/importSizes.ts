/**
 * Symbolic input sizes of an imported model. An axis the file leaves open (a `dim_param`
 * such as `batch`, or no size at all) becomes a dimension symbol of the `.net` network
 * (`in input: f32[N, 3, 224, 224]`), unless a binding fixes it. The importer computes shapes
 * with numbers, so a model with free symbols is imported at two trial sizes: the `.net`
 * source must come out the same at both, or some layer depends on the size and the symbol
 * has to be bound.
 */
import { isIdent } from './sourceNames.ts';
import type { OnnxValueInfo } from './read.ts';

/** Per input axis: a size, or the symbol standing for it. */
export type InputDim = number | string;

/** Names for axes without a `dim_param`, by rank, as the `.net` examples name them. */
const AXIS_NAMES: Record<number, string[]> = { 2: ['N', 'F'], 3: ['N', 'C', 'L'], 4: ['N', 'C', 'H', 'W'], 5: ['N', 'C', 'D', 'H', 'W'] };

/** Trial sizes for free symbols, smallest first: the first two that import are compared. */
export const TRIAL_SIZES = [1, 2, 3, 4, 8, 16, 32, 64, 128, 224, 256, 512];

function symbolName(param: string | undefined, axis: number, rank: number): string {
  if (param !== undefined) {
    if (isIdent(param)) return param;
    const cleaned = param.replace(/[^A-Za-z0-9_]/g, '_').replace(/^([0-9])/, '_$1');
    if (isIdent(cleaned)) return cleaned;
  }
  return AXIS_NAMES[rank]?.[axis] ?? `D${axis}`;
}

export interface InputDims {
  /** Per graph input, per axis. */
  dims: InputDim[][];
  /** Every symbol of the inputs, bound or not, in order of first appearance. */
  symbols: string[];
  /** Symbols without a binding. */
  free: string[];
}

/** The inputs' sizes with symbols for open axes; `bindings` fixes symbols by name; `ioNames` are taken. */
export function inputDims(inputs: OnnxValueInfo[], bindings: ReadonlyMap<string, number>, ioNames: string[] = []): InputDims {
  const symbols: string[] = [];
  const dims = inputs.map((v) => (v.shape ?? []).map((d, axis): InputDim => {
    if (d !== undefined) return d;
    let name = symbolName(v.dimParams?.[axis], axis, v.shape!.length);
    // A symbol is not also the name of an input or output (`dim_param: "input"`).
    while (ioNames.includes(name)) name = `${name}_dim`;
    if (!symbols.includes(name)) symbols.push(name);
    return bindings.get(name) ?? name;
  }));
  const free = symbols.filter((s) => !bindings.has(s));
  return { dims, symbols, free };
}

/** The input shapes with every free symbol set to `size`. */
export function trialShapes(d: InputDims, size: number): number[][] {
  return d.dims.map((shape) => shape.map((x) => (typeof x === 'number' ? x : size)));
}
