/**
 * Help lines computed from the graph: when an operand of a multi-input operator (concat,
 * add, mul) comes from a transposed convolution whose spatial size misses the other
 * operands' by less than its stride, the output_pad that makes it fit.
 */
import type { Graph } from '../ir/graph.ts';
import { formatPos } from '../diag/span.ts';
import { constValue, dimSub, type Dim } from '../ir/dim/dim.ts';
import type { TensorVal } from './values.ts';

export function outputPadHelp(inputs: readonly TensorVal[], graph: Graph<Dim>): string | undefined {
  if (inputs.length < 2) return undefined;
  for (const t of inputs) {
    if (t.producer === undefined) continue;
    const node = graph.nodes[t.producer];
    if (!node || node.op !== 'conv_transpose') continue;
    const a = node.attrs;
    const other = inputs.find((o) => o !== t && o.shape.length === t.shape.length);
    if (!other) continue;
    const pads: number[] = [];
    let differs = false;
    for (let i = 2; i < t.shape.length; i++) {
      const diff = constValue(dimSub(other.shape[i]!, t.shape[i]!));
      if (diff === undefined) return undefined;
      const axis = i - 2;
      const want = (a.outputPad[axis] ?? 0) + diff;
      const limit = Math.max(a.stride[axis] ?? 1, a.dilation[axis] ?? 1);
      if (want < 0 || want >= limit) return undefined;
      if (diff !== 0) differs = true;
      pads.push(want);
    }
    if (!differs) continue;
    const value = pads.every((p) => p === pads[0]) ? String(pads[0]) : `(${pads.join(', ')})`;
    return `give the conv_transpose at ${formatPos(node.span)} output_pad=${value} to match the other operand`;
  }
  return undefined;
}
