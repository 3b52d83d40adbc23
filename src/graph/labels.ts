/**
 * The words inside the boxes of a network picture: an operator's name with the attributes a
 * reader looks for (kernel, stride, channels), and the marks optimisation passes leave on a
 * node (a fused epilogue, a horizontally fused 1x1 conv, a write into a concat's slice).
 */
import { dimToString, type Dim } from '../ir/dim/dim.ts';
import type { Node } from '../ir/graph.ts';

export function shapeLabel(shape: readonly (number | Dim)[]): string {
  return `[${shape.map((d) => (typeof d === 'number' ? String(d) : dimToString(d))).join(', ')}]`;
}

function axes(v: unknown): string | undefined {
  if (!Array.isArray(v) || v.length === 0) return undefined;
  const nums = v.map((x) => (typeof x === 'number' ? x : typeof x === 'object' && x !== null ? dimToString(x as Dim) : String(x)));
  return nums.every((x) => x === nums[0]) ? String(nums[0]) : nums.join('x');
}

function nonTrivial(v: unknown, trivial: number): string | undefined {
  const a = axes(v);
  return a === undefined || a === String(trivial) ? undefined : a;
}

/** `conv 3x3 /2 → 64`-style summary of an operator's attributes, in words short enough for a box. */
export function opSummary(n: Node<unknown>): string {
  const parts: string[] = [n.op];
  switch (n.op) {
    case 'conv':
    case 'conv_transpose': {
      const k = axes(n.attrs.kernel);
      if (k) parts.push(`k=${k}`);
      const s = nonTrivial(n.attrs.stride, 1);
      if (s) parts.push(`s=${s}`);
      const d = nonTrivial(n.attrs.dilation, 1);
      if (d) parts.push(`d=${d}`);
      if (typeof n.attrs.groups === 'number' && n.attrs.groups !== 1) parts.push(`g=${n.attrs.groups}`);
      break;
    }
    case 'maxpool':
    case 'avgpool': {
      const k = axes(n.attrs.kernel);
      if (k) parts.push(`k=${k}`);
      const s = nonTrivial(n.attrs.stride, 1);
      if (s) parts.push(`s=${s}`);
      break;
    }
    case 'upsample':
      if (typeof n.attrs.mode === 'string') parts.push(n.attrs.mode);
      break;
    case 'slice':
      if (typeof n.attrs.start === 'number' && typeof n.attrs.length === 'number') parts.push(`ch ${n.attrs.start}..${n.attrs.start + n.attrs.length}`);
      break;
    default:
      break;
  }
  return parts.join(' ');
}

/** What the optimiser did to this node, one short phrase each (empty for an untouched node). */
export function fusionMarks(n: Node<unknown>): string[] {
  const marks: string[] = [];
  const a = n.attrs;
  if (Array.isArray(a.fusedFrom) && a.fusedFrom.length > 1) marks.push(`fused ${a.fusedFrom.length} 1x1 convs`);
  const epi = a.epilogue;
  if (epi && (epi.residual || epi.activation)) {
    const steps = [epi.residual ? '+ residual' : '', epi.activation ?? ''].filter(Boolean);
    marks.push(`epilogue: ${steps.join(', ')}`);
  }
  if (a.outputView) marks.push('writes into concat');
  if (n.op === 'concat' && Array.isArray(a.operandsInPlace)) {
    const inPlace = (a.operandsInPlace as boolean[]).filter(Boolean).length;
    if (inPlace > 0) marks.push(inPlace === a.operandsInPlace.length ? 'in place (no copy)' : `${inPlace}/${a.operandsInPlace.length} in place`);
  }
  if (n.op === 'slice' && a.view) marks.push('view (no copy)');
  return marks;
}
