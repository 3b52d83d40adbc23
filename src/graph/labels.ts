/**
 * The words inside the boxes of a network picture: an operator's name with the attributes a
 * reader looks for (kernel, stride, channels), and the marks optimisation passes leave on a
 * node (a fused epilogue, a horizontally fused 1x1 conv, a write into a concat's slice).
 */
import { dimToString, type Dim } from '../ir/dim/dim.ts';
import type { Node } from '../ir/graph.ts';
import { opByName } from '../ops/registry.ts';

export function shapeLabel(shape: readonly (number | Dim)[]): string {
  return `[${shape.map((d) => (typeof d === 'number' ? String(d) : dimToString(d))).join(', ')}]`;
}

/** `conv k=3 s=2`: the operator's name and the label words its table entry gives, short enough for a box. */
export function opSummary(n: Node<unknown>): string {
  const label = opByName(n.op).label;
  return [n.op, ...(label ? label(n.attrs) : [])].join(' ');
}

/** What the optimiser did to this node, one short phrase each (empty for an untouched node). */
export function fusionMarks(n: Node<unknown>): string[] {
  const marks: string[] = [];
  const a = n.attrs;
  if (a.fusedFrom && a.fusedFrom.length > 1) marks.push(`fused ${a.fusedFrom.length} 1x1 convs`);
  const epi = a.epilogue;
  if (epi && (epi.residual || epi.activation)) {
    const steps = [epi.residual ? '+ residual' : '', epi.activation ?? ''].filter(Boolean);
    marks.push(`epilogue: ${steps.join(', ')}`);
  }
  if (a.outputView) marks.push('writes into concat');
  if (a.operandsInPlace) {
    const inPlace = a.operandsInPlace.filter(Boolean).length;
    if (inPlace > 0) marks.push(inPlace === a.operandsInPlace.length ? 'in place (no copy)' : `${inPlace}/${a.operandsInPlace.length} in place`);
  }
  if (a.view) marks.push('view (no copy)');
  return marks;
}
