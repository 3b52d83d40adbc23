/**
 * The shape of one entry of the operator table (ops/registry.ts). Everything netc knows
 * about an operator lives in its entry: arguments and defaults, attribute normalisation and
 * its inverse, the shape rule, weights, MAC count, the interpreter kernel, and the traits
 * passes and backends read (elementwise, view, epilogue host, pass-through, activation
 * formula). Stages look operators up here instead of switching on their names.
 */
import type { Dim } from '../ir/dim/dim.ts';
import type { DiagnosticCode } from '../diag/catalogue.ts';
import type { DiagExtras } from '../diag/make.ts';
import type { OpAttrsByName, OpName } from '../ir/op-attrs.ts';
import type { Tensor } from '../ir/tensor.ts';
import type { Formula } from './activation/formula.ts';
import type { Rank } from './attrs.ts';
import type { OpCall } from './call.ts';

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
 * What a report may add to its diagnostic: `at` reports at that argument, `input` relates
 * that operand, and `setArg` is the fix when there is one (`pad=2`): the checker turns
 * it into an edit of the call (JSON and SARIF `fixes`, editor code actions, `--fix`).
 */
export type ReportExtras = DiagExtras & {
  at?: string;
  input?: number;
  setArg?: SetArg;
  /** The fix is a stage written before this one in its pipeline (`flatten` for `|> flatten |> linear(10)`). */
  stageBefore?: string;
};

/** A fix that sets one argument of the call; `guess` when it is a likely value rather than the one that works. */
export interface SetArg {
  name: string;
  value: string;
  guess?: boolean;
}

/**
 * What an operator's rules may ask of the checker: report a diagnostic at the call (or at
 * one of its arguments), and compare dimensions symbolically.
 */
export interface OpContext {
  /** Report at the call, or at argument `at` when given and present in the source. */
  report(code: DiagnosticCode, args: Record<string, string | number>, extras?: ReportExtras): void;
  /**
   * Check a == b. Returns true when they are equal, or equal under requirements that the
   * checker records (e.g. "H must be divisible by 2"); false after reporting nothing (the
   * caller reports the mismatch in its own terms).
   */
  sameDim(a: Dim, b: Dim): boolean;
  /**
   * A size as messages print it: as the user would write it given what the network already
   * requires (`D - 12`, not `2*floor(D/2) - 12`). Without it, `dimToString`.
   */
  dimText?(d: Dim): string;
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

export interface OpDef<K extends OpName = OpName> {
  name: K;
  spellings: Spelling[];
  /** One line for hover and completion. */
  doc: string;
  /** Number of tensor inputs accepted. */
  inputs: { min: number; max: number };
  /** Scalar arguments, in positional order. */
  args: ArgSpec[];
  /** The tensor operator that also writes it (`a + b` is add(a, b)). */
  infix?: '+' | '-' | '*' | '/';
  /** Prefix of automatic instance names for weighted operators (`conv`, `bn`, `fc`). */
  autoName?: string;
  /**
   * Normalise the checked argument values (every default applied) into attributes, given
   * the input shapes. Reports bad values through ctx and returns undefined on error.
   */
  attrs(args: Record<string, ScalarValue | undefined>, inputs: Dim[][], ctx: OpContext): OpAttrsByName[K] | undefined;
  /**
   * The inverse of `attrs`: the call a user would write to get these attributes (the
   * spelling, defaults left out), given the concrete input shapes. Absent for operators the
   * language cannot spell (`slice`).
   */
  call?(attrs: OpAttrsByName[K], inputs: readonly number[][]): OpCall;
  /** The attributes a reader of a network picture looks for, as short words (`k=3`, `s=2`). */
  label?(attrs: OpAttrsByName[K]): string[];
  /** The output shape; reports mismatches through ctx and returns undefined on error. */
  shape(attrs: OpAttrsByName[K], inputs: Dim[][], ctx: OpContext): Dim[] | undefined;
  /** The weights this instance owns, in PyTorch layout. */
  weights?(attrs: OpAttrsByName[K], inputs: Dim[][]): WeightSpec[];
  /** Multiply-accumulates, as PyTorch counting tools count them (0 when not counted). */
  macs?(attrs: OpAttrsByName[K], inputs: number[][], output: number[]): number;
  /** Reference kernel: float32 in and out, float64 accumulation. */
  interp(inputs: Tensor[], params: Record<string, Tensor>, attrs: OpAttrsByName[K], outShape: number[]): Tensor;

  // Traits: what passes and backends need to know about the operator, instead of name lists.

  /**
   * Output element i depends only on element i of each operand (a per-channel operand
   * broadcast), so the output may overwrite its first operand when that operand dies at this
   * node (plan-memory's in-place reuse).
   */
  elementwise?: boolean;
  /**
   * The output is bytes of the first input, never computed. `whole`: the same bytes with
   * another shape (identity, dropout, flatten). `channels`: a range of its channels (axis 1)
   * from `start(attrs)` on (undefined when the range is along another axis), once
   * concat-in-place has marked the node a view (slice).
   */
  view?: { kind: 'whole' } | { kind: 'channels'; start(attrs: OpAttrsByName[K]): number | undefined };
  /** The kernels can apply an epilogue (activation, residual add) while storing the output. */
  epilogueHost?: boolean;
  /**
   * The output is linear in the weight, output channel c on axis 1 depending only on its own
   * weight slice and bias[c] (conv, conv_transpose, linear on [N, features]). Gives the
   * weight data with output channel c scaled by scale[c] (batch-norm folding), or undefined
   * when this node's output channels are not on axis 1.
   */
  scaleOutputChannels?(attrs: OpAttrsByName[K], weight: Tensor, scale: Float64Array, output: readonly number[]): Float32Array | undefined;
  /**
   * The weight axis that holds the output channels when groups = 1 (conv 0, conv_transpose
   * 1): slices of it compute slices of the output channels, each output value in the same
   * order as the whole node, which is how threads split the node (wasm/kernels/split.ts).
   */
  outputChannelWeightAxis?: 0 | 1;
  /**
   * The node computes nothing at inference: its output equals its first input, so cleanup
   * bypasses it (dropout always, a single-operand concat, a flatten that keeps the shape).
   */
  passThrough?(attrs: OpAttrsByName[K], inputs: readonly number[][], output: readonly number[]): boolean;
  /**
   * An activation: its scalar function of one element, as a formula (activation/formula.ts)
   * that the interpreter evaluates, fused epilogues apply, and the Wasm backend lowers.
   * Attributes are partial because a fused epilogue carries the attributes it was given.
   */
  activation?(attrs: Partial<OpAttrsByName[K]>): Formula;
}
