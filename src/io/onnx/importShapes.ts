/** Small helpers shared by the ONNX operator handlers. */
import type { Rank } from '../../ops/attrs.ts';
import type { NodeContext, PendingNode } from './importContext.ts';

/** The IR node of output 0, one per output (Split), or 'done' when the outputs are constants. */
export type Handler = (ctx: NodeContext) => PendingNode | PendingNode[] | 'done';

export const fill = (n: number, v: number) => new Array<number>(n).fill(v);
export const show = (s: readonly number[]) => `[${s.join(', ')}]`;

export function rankOf(ctx: NodeContext, shape: number[]): Rank {
  const r = shape.length - 2;
  if (r < 1 || r > 3) ctx.reject(`input ${show(shape)} must be [N, C, spatial...] with 1 to 3 spatial axes`);
  return r as Rank;
}

export function checkSizes(ctx: NodeContext, out: number[]): number[] {
  if (out.some((d) => !Number.isSafeInteger(d) || d < 1)) ctx.mismatch(`the output would be ${show(out)}, which has an empty axis`);
  return out;
}
