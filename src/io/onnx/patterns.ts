/**
 * Activations that exporters write as several nodes, folded into the one ONNX operator that
 * computes the same function before import maps nodes one by one:
 *
 * - SiLU, `Mul(x, Sigmoid(x))` (torch.onnx for nn.SiLU): `Swish` (alpha 1);
 * - hardswish, `Mul(x, HardSigmoid(x))` with PyTorch's alpha 1/6 and beta 1/2, or
 *   `Div(Mul(x, Clip(Add(x, 3), 0, 6)), 6)` (x * relu6(x + 3) / 6 written out): `HardSwish`;
 * - GELU, `Mul(Mul(x, Add(Erf(Div(x, sqrt 2)), 1)), 0.5)` (torch.onnx below opset 20), and
 *   the tanh form `0.5 * (x * (1 + tanh(sqrt(2/pi) * (x + 0.044715 * x^3))))` with x^3 as
 *   `Mul(x, Mul(x, x))` or `Pow(x, 3)`: `Gelu`.
 *
 * A pattern folds only when each intermediate value has the pattern's node as its only
 * reader (and is no graph output), so nothing else sees a value that disappears. Operands of
 * Add and Mul match in either order.
 */
import type { OnnxAttr, OnnxModel, OnnxNode } from './read.ts';

/** Closeness of a float32 constant of the file to the pattern's constant. */
const near = (v: number | undefined, want: number): boolean => v !== undefined && Math.abs(v - want) <= 1e-6 * Math.max(1, Math.abs(want));

interface PatternView {
  /** The single reader of `value`, if there is exactly one and `value` is no graph output. */
  soleReader(value: string): OnnxNode | undefined;
  /** The value of a scalar constant (initializer or Constant node), if `value` is one. */
  scalar(value: string): number | undefined;
}

/** For a binary node with one operand `a`: the other operand, or undefined. */
function otherOperand(n: OnnxNode, a: string): string | undefined {
  if (n.inputs.length !== 2) return undefined;
  if (n.inputs[0] === a) return n.inputs[1];
  if (n.inputs[1] === a) return n.inputs[0];
  return undefined;
}

interface Fold {
  /** The nodes replaced, head first. */
  nodes: OnnxNode[];
  opType: string;
  input: string;
  attrs: Map<string, OnnxAttr>;
}

/** `gate(x)` read only by `Mul(x, gate)`. */
function gatedBy(view: PatternView, gate: OnnxNode): OnnxNode | undefined {
  const x = gate.inputs[0]!;
  const mul = view.soleReader(gate.outputs[0]!);
  return mul?.opType === 'Mul' && otherOperand(mul, gate.outputs[0]!) === x ? mul : undefined;
}

function floatAttr(n: OnnxNode, name: string, dflt: number): number {
  const a = n.attrs.get(name);
  return a?.kind === 'float' ? a.value : dflt;
}

/** Patterns that start at `head`; undefined when none does. */
function matchAt(view: PatternView, head: OnnxNode): Fold | undefined {
  const x = head.inputs[0]!;
  const none = new Map<string, OnnxAttr>();
  if (head.opType === 'Sigmoid') {
    const mul = gatedBy(view, head);
    if (mul) return { nodes: [head, mul], opType: 'Swish', input: x, attrs: none };
  }
  if (head.opType === 'HardSigmoid' && near(floatAttr(head, 'alpha', 0.2), 1 / 6) && near(floatAttr(head, 'beta', 0.5), 0.5)) {
    const mul = gatedBy(view, head);
    if (mul) return { nodes: [head, mul], opType: 'HardSwish', input: x, attrs: none };
  }
  if (head.opType === 'Add') {
    // x * relu6(x + 3) / 6
    for (const input of head.inputs) {
      const three = otherOperand(head, input);
      if (three === undefined || !near(view.scalar(three), 3)) continue;
      const clip = view.soleReader(head.outputs[0]!);
      if (clip?.opType !== 'Clip' || clip.inputs[0] !== head.outputs[0]) continue;
      const lo = clip.inputs[1] ? view.scalar(clip.inputs[1]) : floatAttr(clip, 'min', NaN);
      const hi = clip.inputs[2] ? view.scalar(clip.inputs[2]) : floatAttr(clip, 'max', NaN);
      if (!near(lo, 0) || !near(hi, 6)) continue;
      const mul = view.soleReader(clip.outputs[0]!);
      if (mul?.opType !== 'Mul' || otherOperand(mul, clip.outputs[0]!) !== input) continue;
      const div = view.soleReader(mul.outputs[0]!);
      if (div?.opType !== 'Div' || div.inputs[0] !== mul.outputs[0] || !near(view.scalar(div.inputs[1]!), 6)) continue;
      return { nodes: [head, clip, mul, div], opType: 'HardSwish', input, attrs: none };
    }
  }
  if (head.opType === 'Div' && near(view.scalar(head.inputs[1]!), Math.SQRT2)) {
    // 0.5 * x * (1 + erf(x / sqrt 2)), in torch's order: Div, Erf, Add, Mul(x, .), Mul(., 0.5)
    const erf = view.soleReader(head.outputs[0]!);
    const add = erf?.opType === 'Erf' ? view.soleReader(erf.outputs[0]!) : undefined;
    const one = add?.opType === 'Add' ? otherOperand(add, erf!.outputs[0]!) : undefined;
    const mul = one !== undefined && near(view.scalar(one), 1) ? view.soleReader(add!.outputs[0]!) : undefined;
    const half = mul?.opType === 'Mul' && otherOperand(mul, add!.outputs[0]!) === x ? view.soleReader(mul.outputs[0]!) : undefined;
    const c = half?.opType === 'Mul' ? otherOperand(half, mul!.outputs[0]!) : undefined;
    if (c !== undefined && near(view.scalar(c), 0.5)) {
      return { nodes: [head, erf!, add!, mul!, half!], opType: 'Gelu', input: x, attrs: new Map([['approximate', { kind: 'string', value: 'none' }]]) };
    }
  }
  const cube = cubeOf(view, head);
  if (cube) {
    // 0.5 * (x * (1 + tanh(sqrt(2/pi) * (x + 0.044715 * x^3)))), torch's tanh form
    const chain = followScalars(view, cube.cube, x, [['Mul', 0.044715], ['Add', x], ['Mul', Math.sqrt(2 / Math.PI)], ['Tanh'], ['Add', 1], ['Mul', x], ['Mul', 0.5]]);
    if (chain) return { nodes: [...cube.nodes, ...chain], opType: 'Gelu', input: x, attrs: new Map([['approximate', { kind: 'string', value: 'tanh' }]]) };
  }
  return undefined;
}

/** x^3 as `Mul(x, Mul(x, x))` or `Pow(x, 3)`, starting at `head`: its nodes and the cube node. */
function cubeOf(view: PatternView, head: OnnxNode): { nodes: OnnxNode[]; cube: OnnxNode } | undefined {
  const x = head.inputs[0]!;
  if (head.opType === 'Pow' && near(view.scalar(head.inputs[1]!), 3)) return { nodes: [], cube: head };
  if (head.opType !== 'Mul' || head.inputs[1] !== x) return undefined;
  const cube = view.soleReader(head.outputs[0]!);
  return cube?.opType === 'Mul' && otherOperand(cube, head.outputs[0]!) === x ? { nodes: [head], cube } : undefined;
}

/**
 * From `start`, a chain of single readers, each `[opType]` (unary) or `[opType, operand]`
 * with the other operand the value `x` (a string) or a scalar constant (a number). The nodes
 * from `start` on, or undefined.
 */
function followScalars(view: PatternView, start: OnnxNode, x: string, steps: [string, (string | number)?][]): OnnxNode[] | undefined {
  const nodes = [start];
  let at = start;
  for (const [opType, operand] of steps) {
    const next = view.soleReader(at.outputs[0]!);
    if (next?.opType !== opType) return undefined;
    if (operand !== undefined) {
      const other = otherOperand(next, at.outputs[0]!);
      if (other === undefined || (typeof operand === 'string' ? other !== operand : !near(view.scalar(other), operand))) return undefined;
    } else if (next.inputs[0] !== at.outputs[0]) return undefined;
    nodes.push(next);
    at = next;
  }
  return nodes;
}

/** The model with every recognised multi-node activation replaced by its single node. */
export function foldActivationPatterns(model: OnnxModel): OnnxModel {
  const readers = new Map<string, OnnxNode[]>();
  for (const n of model.nodes) for (const i of n.inputs) if (i !== '') readers.set(i, [...(readers.get(i) ?? []), n]);
  const outputs = new Set(model.outputs.map((o) => o.name));
  const constants = new Map<string, number>();
  for (const [name, c] of model.initializers) {
    const v = c.floats ?? c.ints;
    if (v && v.length === 1) constants.set(name, Number(v[0]));
  }
  for (const n of model.nodes) {
    const t = n.attrs.get('value');
    const v = n.opType === 'Constant' && t?.kind === 'tensor' ? t.value.floats ?? t.value.ints : undefined;
    if (v && v.length === 1) constants.set(n.outputs[0]!, Number(v[0]));
    const f = n.attrs.get('value_float');
    if (n.opType === 'Constant' && f?.kind === 'float') constants.set(n.outputs[0]!, f.value);
  }
  const view: PatternView = {
    soleReader(value) {
      const r = readers.get(value) ?? [];
      return r.length === 1 && !outputs.has(value) ? r[0] : undefined;
    },
    scalar: (value) => constants.get(value),
  };
  const replaced = new Map<OnnxNode, OnnxNode | null>();
  for (const n of model.nodes) {
    if (n.domain !== '' || replaced.has(n)) continue;
    const fold = matchAt(view, n);
    if (!fold || fold.nodes.some((m) => replaced.has(m) || m.domain !== '')) continue;
    const tail = fold.nodes[fold.nodes.length - 1]!;
    // The folded node takes the place of the last one (its inputs are all computed by then)
    // and the name of the first, which carries the module path of the activation.
    replaced.set(tail, { name: n.name, opType: fold.opType, domain: '', inputs: [fold.input], outputs: [tail.outputs[0]!], attrs: fold.attrs });
    for (const m of fold.nodes.slice(0, -1)) replaced.set(m, null);
  }
  if (replaced.size === 0) return model;
  const nodes: OnnxNode[] = [];
  for (const n of model.nodes) {
    const r = replaced.get(n);
    if (r === undefined) nodes.push(n);
    else if (r !== null) nodes.push(r);
  }
  return { ...model, nodes };
}
