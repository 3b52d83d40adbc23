/**
 * Four floats at a constant element stride as one f32x4: one load for stride 1, two loads
 * and a shuffle for stride 2 (the second load reads one float past the last one used, which
 * every buffer has room for: see codegen's memory slack), lane loads otherwise.
 */
import type { Expr, ModuleBuilder } from '../module.ts';

const EVEN_LANES = [0, 1, 2, 3, 8, 9, 10, 11, 16, 17, 18, 19, 24, 25, 26, 27];

export function loadStrided(m: ModuleBuilder, base: () => Expr, offsetBytes: number, stride: number): Expr {
  if (stride === 1) return m.v.load(base(), offsetBytes);
  if (stride === 2) return m.v.shuffle(m.v.load(base(), offsetBytes), m.v.load(base(), offsetBytes + 16), EVEN_LANES);
  let v = m.v.load32Zero(base(), offsetBytes);
  for (let l = 1; l < 4; l++) v = m.v.load32Lane(base(), v, l, offsetBytes + l * stride * 4);
  return v;
}
