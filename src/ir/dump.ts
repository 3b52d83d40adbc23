/**
 * A readable, stable text form of a graph (`netc build --dump-ir`, fixture tests):
 *
 *   graph Inception3a
 *   input %0 x [1, 192, 28, 28]
 *   %1 = conv(%0) name=p1_1 out=64 k=1x1 ... -> [1, 64, 28, 28]  @ inception.net:9:20
 *   output y = %12
 *
 * One line per node; attributes in the order the operator defines them, per-axis lists as
 * `3x3`, records set by passes (an epilogue, an output view) as `{key: value, ...}`; weights
 * listed by role after the attributes. A memory plan, once made, follows as one line per value:
 *
 *   memory arena=4096 unplanned=8192
 *   slot %1 offset=0 bytes=1024
 */
import { dimToString, type Dim } from './dim/dim.ts';
import { formatPos } from '../diag/span.ts';
import type { Graph } from './graph.ts';

function dimText(d: number | Dim): string {
  return typeof d === 'number' ? String(d) : dimToString(d);
}

function shapeText(shape: readonly (number | Dim)[]): string {
  return `[${shape.map(dimText).join(', ')}]`;
}

function isDim(v: object): v is Dim {
  return Array.isArray((v as Dim).terms) && typeof (v as Dim).key === 'string';
}

function attrText(v: unknown): string {
  if (Array.isArray(v)) return v.length === 0 ? '[]' : v.every((x) => typeof x === 'number') ? v.join('x') : `[${v.map(attrText).join(', ')}]`;
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'object' && v !== null) {
    if (isDim(v)) return dimText(v);
    const fields = Object.entries(v).filter(([, x]) => x !== undefined);
    return `{${fields.map(([k, x]) => `${k}: ${attrText(x)}`).join(', ')}}`;
  }
  return String(v);
}

export function dumpGraph(graph: Graph<number | Dim>): string {
  const lines: string[] = [`graph ${graph.name}`];
  for (const io of graph.inputs) {
    const v = graph.values[io.value]!;
    lines.push(`input %${v.id} ${io.name} ${shapeText(v.shape)}`);
  }
  for (const n of graph.nodes) {
    const outs = n.outputs.map((o) => `%${o}`).join(', ');
    const ins = n.inputs.map((i) => `%${i}`).join(', ');
    const attrs = Object.entries(n.attrs)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `${k}=${attrText(v)}`);
    const params = Object.entries(n.params).map(([role, p]) => `${role}${shapeText(p.shape)}${p.trainable ? '' : '(buffer)'}`);
    const shapes = n.outputs.map((o) => shapeText(graph.values[o]!.shape)).join(', ');
    const parts = [`${outs} = ${n.op}(${ins})`, `name=${n.name}`, ...attrs];
    if (params.length > 0) parts.push(`params{${params.join(', ')}}`);
    lines.push(`${parts.join(' ')} -> ${shapes}  @ ${formatPos(n.span)}`);
  }
  for (const io of graph.outputs) lines.push(`output ${io.name} = %${io.value}`);
  if (graph.memory) {
    lines.push(`memory arena=${graph.memory.arenaBytes} unplanned=${graph.memory.unplannedBytes}`);
    for (const [v, slot] of [...graph.memory.slots].sort((a, b) => a[0] - b[0])) lines.push(`slot %${v} offset=${slot.offset} bytes=${slot.bytes}`);
  }
  return `${lines.join('\n')}\n`;
}
