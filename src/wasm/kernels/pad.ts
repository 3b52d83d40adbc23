/**
 * Zero padding into a scratch buffer, so that convolution loops need no bounds tests:
 * clear the destination, then copy each input row (memory.copy) to its padded place.
 */
import type { Expr, FunctionBuilder } from '../module.ts';
import type { KernelContext } from './types.ts';

export interface PadSpec {
  /** Number of [D, H, W] planes (batch x channels). */
  planes: number;
  dims: [number, number, number];
  begin: [number, number, number];
  end: [number, number, number];
  /** Value of the padding (0 for convolution, -Infinity for max pooling). */
  fill?: number;
}

export function paddedDims(s: PadSpec): [number, number, number] {
  return [0, 1, 2].map((i) => s.dims[i]! + s.begin[i]! + s.end[i]!) as [number, number, number];
}

/** The pad function for a shape class; parameters: src, dst (byte addresses). */
export function padFunction(ctx: KernelContext, s: PadSpec): string {
  const m = ctx.m;
  const i32 = m.i32;
  return ctx.fn('pad', s, ['i32', 'i32'], (f) => {
    const [ID, IH, IW] = s.dims;
    const [PD, PH, PW] = paddedDims(s);
    const src = f.param(0);
    const dst = f.param(1);
    const p = f.local('i32');
    const z = f.local('i32');
    const y = f.local('i32');
    const d = f.local('i32');
    const total = s.planes * PD * PH * PW * 4;
    const body: Expr[] = [
      ...fillAll(f, total, s.fill ?? 0),
      f.set(d, i32.add(f.get(dst), i32.c(((s.begin[0] * PH + s.begin[1]) * PW + s.begin[2]) * 4))),
      f.for(p, 0, s.planes, 1, [
        f.for(z, 0, ID, 1, [
          f.for(y, 0, IH, 1, [
            m.memCopy(f.get(d), f.get(src), i32.c(IW * 4)),
            f.inc(src, IW * 4),
            f.inc(d, PW * 4),
          ]),
          f.inc(d, (PH - IH) * PW * 4),
        ]),
        f.inc(d, (PD - ID) * PH * PW * 4),
      ]),
    ];
    return body;
  });

  function fillAll(f: FunctionBuilder, bytes: number, value: number): Expr[] {
    const dst = f.param(1);
    if (value === 0 && !Object.is(value, -0)) return [m.memFill(f.get(dst), i32.c(0), i32.c(bytes))];
    // Not a repeated byte: store the value four floats at a time (total is a multiple of 4 bytes).
    const p = f.local('i32');
    const stmts: Expr[] = [f.for(p, 0, bytes - (bytes % 16), 16, [m.v.store(i32.add(f.get(dst), f.get(p)), m.v.splatC(value))])];
    for (let t = bytes - (bytes % 16); t < bytes; t += 4) stmts.push(m.f32.store(f.get(dst), m.f32.c(value), t));
    return stmts;
  }
}
