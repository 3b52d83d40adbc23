/**
 * Values the checker computes while instantiating blocks: scalars (parameters, constants,
 * loop indices, dimension variables used as numbers), tensors (a graph value and its shape)
 * and the named outputs of a block instance.
 */
import type { Span } from '../diag/span.ts';
import type { ValueId } from '../ir/graph.ts';
import { constValue, dimToString, type Dim } from '../ir/dim/dim.ts';
import type { ScalarValue } from '../ops/types.ts';

export type Scalar =
  | { t: 'int'; v: number }
  | { t: 'float'; v: number }
  | { t: 'bool'; v: boolean }
  | { t: 'string'; v: string }
  /** A dimension that is not a known constant (a symbol of a network input). */
  | { t: 'dim'; d: Dim }
  | { t: 'tuple'; items: Scalar[] }
  | { t: 'list'; items: Scalar[] };

export interface TensorVal {
  t: 'tensor';
  id: ValueId;
  shape: Dim[];
  /** Where the tensor was produced (the call, or the input declaration). */
  span: Span;
  /** What produced it, for messages: `conv_transpose`, `input x`. */
  origin: string;
  /** Node id of the producer, when a node produced it. */
  producer?: number;
  /** Set on the result of a call of a block whose single output is named (for messages). */
  singleOutput?: { callee: string; name: string };
}

/** The result of a block with several named outputs. */
export interface OutputsVal {
  t: 'outputs';
  callee: string;
  outputs: Map<string, TensorVal>;
  span: Span;
}

/** A value whose computation failed; its error has already been reported. */
export interface PoisonVal {
  t: 'poison';
}

export type Val = Scalar | TensorVal | OutputsVal | PoisonVal;

export const POISON: PoisonVal = { t: 'poison' };

export const int = (v: number): Scalar => ({ t: 'int', v });

/** A dimension as a scalar: an int when it is a known constant. */
export function dimScalar(d: Dim): Scalar {
  const c = constValue(d);
  return c === undefined ? { t: 'dim', d } : { t: 'int', v: c };
}

/** A short description of a value's kind for messages: `an int`, `a tensor [1, 3, 8, 8]`. */
export function describeVal(v: Val): string {
  switch (v.t) {
    case 'int': return `the int ${v.v}`;
    case 'float': return `the float ${scalarText(v)}`;
    case 'bool': return `the bool ${v.v}`;
    case 'string': return `the string ${JSON.stringify(v.v)}`;
    case 'dim': return `the dimension ${dimToString(v.d)}`;
    case 'tuple': return `the tuple ${scalarText(v)}`;
    case 'list': return `the list ${scalarText(v)}`;
    case 'tensor': return `a tensor ${shapeText(v.shape)}`;
    case 'outputs': return `the outputs of ${v.callee}`;
    case 'poison': return 'an invalid value';
  }
}

export function shapeText(shape: readonly Dim[]): string {
  return `[${shape.map(dimToString).join(', ')}]`;
}

/** Source-like text of a scalar: `3`, `(96, 128)`, `"same"`. */
export function scalarText(v: Scalar): string {
  switch (v.t) {
    case 'int': return String(v.v);
    case 'float': return Number.isInteger(v.v) ? v.v.toFixed(1) : String(v.v);
    case 'bool': return String(v.v);
    case 'string': return JSON.stringify(v.v);
    case 'dim': return dimToString(v.d);
    case 'tuple': return v.items.length === 1 ? `(${scalarText(v.items[0]!)},)` : `(${v.items.map(scalarText).join(', ')})`;
    case 'list': return `[${v.items.map(scalarText).join(', ')}]`;
  }
}

export function isScalar(v: Val): v is Scalar {
  return v.t !== 'tensor' && v.t !== 'outputs' && v.t !== 'poison';
}

/**
 * The operator-table form of a scalar. A symbolic dimension has none: the caller reports it
 * (an operator argument must be a known number).
 */
export function toScalarValue(v: Scalar): ScalarValue | { symbolic: Dim } {
  switch (v.t) {
    case 'int': case 'float': case 'bool': case 'string': return v.v;
    case 'dim': return { symbolic: v.d };
    case 'tuple': case 'list': {
      const out: ScalarValue[] = [];
      for (const item of v.items) {
        const s = toScalarValue(item);
        if (typeof s === 'object' && !Array.isArray(s)) return s;
        out.push(s);
      }
      return out;
    }
  }
}
