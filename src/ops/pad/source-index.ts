/**
 * The source position of every output position along one padded axis, shared by the
 * reference kernel and the Wasm lowering: -1 for the constant fill, otherwise the input
 * position (reflected about the edge, or clamped to it).
 */
import type { PadMode } from './def.ts';

export function padSourceIndex(out: number, input: number, begin: number, mode: PadMode): Int32Array {
  const map = new Int32Array(out);
  for (let o = 0; o < out; o++) {
    let i = o - begin;
    if (mode === 'constant') {
      if (i < 0 || i >= input) i = -1;
    } else if (mode === 'replicate') {
      i = Math.min(Math.max(i, 0), input - 1);
    } else {
      // Reflect: the shape rule keeps every amount below the axis size, so one fold suffices.
      if (i < 0) i = -i;
      if (i >= input) i = 2 * (input - 1) - i;
    }
    map[o] = i;
  }
  return map;
}
