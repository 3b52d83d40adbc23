/**
 * Help computed from the graph: when an operand of a multi-input operator (concat, add,
 * mul) comes from a transposed convolution whose spatial size misses the other operands' by
 * less than its stride, the output_pad that makes it fit, with the edit of that call. The
 * transposed convolution may be followed by operators that keep the shape (an activation, a
 * batch norm, dropout) before the operand is used.
 */
import type { Fix, Related } from '../diag/diagnostic.ts';
import type { Graph, Node } from '../ir/graph.ts';
import { constValue, dimEquals, dimSub, type Dim } from '../ir/dim/dim.ts';
import type { TensorVal } from './values.ts';
import { setArgFix, type CallText } from './fixes.ts';
import { shapeText } from './values.ts';

export interface OutputPadHelp {
  help: string;
  related: Related;
  fix?: Fix;
}

/** The transposed convolution a value comes from through operators that keep its shape. */
function transposedSource(producer: number | undefined, graph: Graph<Dim>): Node<Dim> | undefined {
  let id = producer;
  for (let steps = 0; id !== undefined && steps < 64; steps++) {
    const node = graph.nodes[id];
    if (!node) return undefined;
    if (node.op === 'conv_transpose') return node;
    if (node.inputs.length !== 1 || node.outputs.length !== 1) return undefined;
    const input = graph.values[node.inputs[0]!]!;
    const output = graph.values[node.outputs[0]!]!;
    const same = input.shape.length === output.shape.length && input.shape.every((d, i) => dimEquals(d, output.shape[i]!));
    if (!same) return undefined;
    id = input.producer;
  }
  return undefined;
}

/**
 * For operands that differ in channels: the convolution that made the operand at `index`
 * (through shape-keeping operators), with its channel count set to the first operand's. A
 * guess: which of the two layers is wrong is the user's call.
 */
export function channelsFix(
  inputs: readonly TensorVal[], index: number,
  elab: { graph: Graph<Dim>; callTexts: ReadonlyMap<number, CallText> },
): Fix | undefined {
  const t = inputs[index];
  const c0 = inputs[0]?.shape[1];
  const want = c0 && inputs[0] !== t ? constValue(c0) : undefined;
  if (!t || want === undefined || t.shape.length < 2) return undefined;
  let id = t.producer;
  for (let steps = 0; id !== undefined && steps < 64; steps++) {
    const node = elab.graph.nodes[id];
    if (!node) return undefined;
    if (node.op === 'conv' || node.op === 'conv_transpose') {
      const text = elab.callTexts.get(id);
      const fix = text && setArgFix(text, 'channels', String(want), false);
      return fix && { ...fix, message: `set the ${node.op}'s channels to ${want}` };
    }
    if (node.inputs.length !== 1) return undefined;
    const input = elab.graph.values[node.inputs[0]!]!;
    const output = elab.graph.values[node.outputs[0]!]!;
    if (!input.shape[1] || !output.shape[1] || !dimEquals(input.shape[1], output.shape[1])) return undefined;
    id = input.producer;
  }
  return undefined;
}

export function outputPadHelp(
  inputs: readonly TensorVal[],
  elab: { graph: Graph<Dim>; callTexts: ReadonlyMap<number, CallText> },
): OutputPadHelp | undefined {
  if (inputs.length < 2) return undefined;
  const graph = elab.graph;
  for (const t of inputs) {
    const node = transposedSource(t.producer, graph);
    if (!node || node.op !== 'conv_transpose') continue;
    const a = node.attrs;
    const other = inputs.find((o) => o !== t && o.shape.length === t.shape.length);
    if (!other) continue;
    const pads: number[] = [];
    let differs = false;
    let fits = true;
    for (let i = 2; i < t.shape.length; i++) {
      const diff = constValue(dimSub(other.shape[i]!, t.shape[i]!));
      if (diff === undefined) return undefined;
      const axis = i - 2;
      const want = (a.outputPad[axis] ?? 0) + diff;
      const limit = Math.max(a.stride[axis] ?? 1, a.dilation[axis] ?? 1);
      if (want < 0 || want >= limit) fits = false;
      if (diff !== 0) differs = true;
      pads.push(want);
    }
    if (!differs || !fits) continue;
    const value = pads.every((p) => p === pads[0]) ? String(pads[0]) : `(${pads.join(', ')})`;
    const id = graph.nodes.indexOf(node);
    const text = elab.callTexts.get(id);
    const out = graph.values[node.outputs[0]!]!;
    return {
      help: `set output_pad=${value} on the conv_transpose to match the other operand's size ${shapeText(other.shape.slice(2))}`,
      related: {
        span: node.span,
        message: `this conv_transpose gives ${shapeText(out.shape)}; with output_pad=${value} it gives ${shapeText([...out.shape.slice(0, 2), ...other.shape.slice(2)])}`,
      },
      fix: text ? setArgFix(text, 'output_pad', value) : undefined,
    };
  }
  return undefined;
}
