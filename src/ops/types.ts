/**
 * The shape of one entry of the operator table (ops/registry.ts). Everything netc knows
 * about an operator lives in its entry: arguments and defaults, attribute normalisation, the
 * shape rule, weights, MAC count and the interpreter kernel. Stages look operators up here
 * instead of switching on their names.
 */
import type { Dim } from '../ir/dim/dim.ts';
import type { DiagnosticCode } from '../diag/catalogue.ts';
import type { DiagExtras } from '../diag/make.ts';
import type { Tensor } from '../ir/tensor.ts';
import type { OpName, Rank } from './attrs.ts';

/** A value a user can pass to an operator argument. */
export type ScalarValue = number | boolean | string | ScalarValue[];

export type ArgType =
  | 'int'
  | 'float'
  | 'bool'
  | 'string'
  /** An int, or a tuple with one int per spatial axis. */
  | 'ints'
  /** `ints`, or `"same"` / `"valid"` (convolution padding). */
  | 'pad'
  /** A float, or a tuple with one float per spatial axis (upsample scale). */
  | 'floats';

export interface ArgSpec {
  /** Canonical name in the language (`k`). */
  name: string;
  /** Other accepted names, PyTorch's first (`kernel_size`). */
  aliases?: string[];
  type: ArgType;
  /** Without a default and not optional, the argument is required. */
  default?: ScalarValue;
  /** May be left out, with no default (e.g. upsample's `size` when `scale` is given). */
  optional?: boolean;
  /** For `string`: the accepted values. */
  oneOf?: string[];
  doc: string;
}

/** A spelling of the operator in the language; `conv2d` fixes the spatial rank, `conv` does not. */
export interface Spelling {
  name: string;
  rank?: Rank;
}

/**
 * What an operator's rules may ask of the checker: report a diagnostic at the call (or at
 * one of its arguments), and compare dimensions symbolically.
 */
export interface OpContext {
  /** Report at the call, or at argument `at` when given and present in the source. */
  report(code: DiagnosticCode, args: Record<string, string | number>, extras?: DiagExtras & { at?: string; input?: number }): void;
  /**
   * Check a == b. Returns true when they are equal, or equal under requirements that the
   * checker records (e.g. "H must be divisible by 2"); false after reporting nothing (the
   * caller reports the mismatch in its own terms).
   */
  sameDim(a: Dim, b: Dim): boolean;
  /** Check d >= 1; records a requirement when d is symbolic. False when it is known not to hold. */
  positiveDim(d: Dim): boolean;
  /** The spatial rank fixed by the spelling used (`conv2d` -> 2), if any. */
  spellingRank?: Rank;
  /** The operator name as the user wrote it, for messages. */
  spelledAs: string;
}

export interface WeightSpec {
  /** Role and key suffix: `weight`, `bias`, `running_mean`, `running_var`. */
  role: string;
  shape: Dim[];
  trainable: boolean;
}

export interface OpDef<A = any> {
  name: OpName;
  spellings: Spelling[];
  /** One line for hover and completion. */
  doc: string;
  /** Number of tensor inputs accepted. */
  inputs: { min: number; max: number };
  /** Scalar arguments, in positional order. */
  args: ArgSpec[];
  /** Prefix of automatic instance names for weighted operators (`conv`, `bn`, `fc`). */
  autoName?: string;
  /**
   * Normalise the checked argument values (every default applied) into attributes, given
   * the input shapes. Reports bad values through ctx and returns undefined on error.
   */
  attrs(args: Record<string, ScalarValue | undefined>, inputs: Dim[][], ctx: OpContext): A | undefined;
  /** The output shape; reports mismatches through ctx and returns undefined on error. */
  shape(attrs: A, inputs: Dim[][], ctx: OpContext): Dim[] | undefined;
  /** The weights this instance owns, in PyTorch layout. */
  weights?(attrs: A, inputs: Dim[][]): WeightSpec[];
  /** Multiply-accumulates, as PyTorch counting tools count them (0 when not counted). */
  macs?(attrs: A, inputs: number[][], output: number[]): number;
  /** Reference kernel: float32 in and out, float64 accumulation. */
  interp(inputs: Tensor[], params: Record<string, Tensor>, attrs: A, outShape: number[]): Tensor;
}
