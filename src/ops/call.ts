/**
 * An operator call as a user writes it: what `OpDef.call` gives back (the inverse of
 * attribute normalisation) and what the source writers print.
 */

/** An argument value as the language writes it. */
export type ArgValue =
  | { type: 'int'; v: number }
  | { type: 'float'; v: number }
  | { type: 'bool'; v: boolean }
  | { type: 'string'; v: string }
  | { type: 'ints'; v: number[] }
  | { type: 'floats'; v: number[] };

export interface CallArg {
  /** Undefined for a positional argument. */
  name?: string;
  value: ArgValue;
  /** The value the checker assumes when the argument is left out. */
  dflt?: ArgValue;
}

export interface OpCall {
  callee: string;
  args: CallArg[];
}

/** Attributes a call cannot express (e.g. unequal padding other than "same"). */
export class CallProblem extends Error {}

const sameFloat = (a: number, b: number) => Math.fround(a) === Math.fround(b);

/** A per-axis int argument with a default for every axis. */
export function intsArg(name: string, v: number[], dflt: number): CallArg {
  return { name, value: { type: 'ints', v }, dflt: { type: 'ints', v: v.map(() => dflt) } };
}

export const boolArg = (name: string, v: boolean, dflt: boolean): CallArg => ({ name, value: { type: 'bool', v }, dflt: { type: 'bool', v: dflt } });

export const intArg = (name: string, v: number, dflt: number): CallArg => ({ name, value: { type: 'int', v }, dflt: { type: 'int', v: dflt } });

/** A float argument; the default is compared as float32, since ONNX stores 1e-5 as 0.0000099999997. */
export const floatArg = (name: string, v: number, dflt: number): CallArg =>
  ({ name, value: { type: 'float', v: sameFloat(v, dflt) ? dflt : v }, dflt: { type: 'float', v: dflt } });
