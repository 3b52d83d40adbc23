/**
 * Fast paths for `conv` nodes, tried by lower-conv.ts before the direct kernel (registered
 * in conv-paths.ts), both on the matrix-product engine (conv-gemm.ts):
 *
 * - stride 1 (any kernel, padding, dilation, groups, 1-3 spatial axes): one correlation
 *   over the padded input;
 * - larger strides: the padded input is first split by stride phase, per channel
 *   [phases used][Dq][Hq][Wq] with phase (a, b, c) holding xpad[s*i + a, s*j + b, s*l + c].
 *   Tap k reads phase (k*d mod s) at offset floor(k*d / s), so the strided convolution is
 *   again a stride-1 correlation whose taps are flat offsets into that layout. Only phases
 *   some tap reads are stored (one for a 1x1 stride-2 projection).
 */
import type { Expr } from '../module.ts';
import type { ConvFastPath, ConvOperands } from './direct-conv.ts';
import { emitGemmConv, gemmConvFits, type GemmConvPlan } from './conv-gemm.ts';
import type { ConvSpec } from './direct-conv.ts';
import type { Triple } from './axes.ts';
import type { KernelContext } from './types.ts';

/** The correlation plan of a stride-1 conv; undefined for other strides. */
export function stride1Plan(s: ConvSpec): GemmConvPlan | undefined {
  if (s.stride.some((v) => v !== 1)) return undefined;
  return {
    N: s.N,
    C: s.C,
    Cout: s.Cout,
    groups: s.groups,
    inDims: s.inDims,
    xOffset: 0,
    count: s.outDims,
    kernel: s.kernel,
    dilation: s.dilation,
    outDims: s.outDims,
    start: [0, 0, 0],
    step: [1, 1, 1],
    outBatchStride: s.outBatchStride,
    activation: s.activation,
    residual: s.residual,
  };
}

interface PhaseSplit {
  /** Phases kept per axis (input offset mod stride), in order. */
  phases: number[][];
  /** Size of one phase per axis. */
  dims: Triple;
  /** Elements per channel: all kept phases. */
  plane: number;
  taps: number[];
}

function phaseSplit(s: ConvSpec): PhaseSplit {
  const phases = [0, 1, 2].map((a) => {
    const used = new Set<number>();
    for (let k = 0; k < s.kernel[a]!; k++) used.add((k * s.dilation[a]!) % s.stride[a]!);
    return [...used].sort((x, y) => x - y);
  });
  const dims = [0, 1, 2].map((a) => Math.ceil(s.inDims[a]! / s.stride[a]!)) as Triple;
  const vol = dims[0] * dims[1] * dims[2];
  const taps: number[] = [];
  for (let kz = 0; kz < s.kernel[0]; kz++) for (let ky = 0; ky < s.kernel[1]; ky++) for (let kx = 0; kx < s.kernel[2]; kx++) {
    const k = [kz, ky, kx];
    const ph = k.map((v, a) => phases[a]!.indexOf((v * s.dilation[a]!) % s.stride[a]!));
    const off = k.map((v, a) => Math.floor((v * s.dilation[a]!) / s.stride[a]!));
    const phaseIndex = (ph[0]! * phases[1]!.length + ph[1]!) * phases[2]!.length + ph[2]!;
    taps.push(phaseIndex * vol + (off[0]! * dims[1] + off[1]!) * dims[2] + off[2]!);
  }
  return { phases, dims, plane: phases[0]!.length * phases[1]!.length * phases[2]!.length * vol, taps };
}

/**
 * Split every padded plane by phase. Parameters: src, dst. Rows are gathered one element
 * at a time (the split costs one pass over the input; the convolution reads it k^2 times).
 */
function splitFunction(ctx: KernelContext, s: ConvSpec, ps: PhaseSplit): string {
  const key = { planes: s.N * s.C, in: s.inDims, stride: s.stride, phases: ps.phases };
  return ctx.fn('conv_phase_split', key, ['i32', 'i32'], (f) => {
    const m = ctx.m;
    const i32 = m.i32;
    const [src, dst] = [f.param(0), f.param(1)];
    const plane = f.local('i32');
    const z = f.local('i32');
    const y = f.local('i32');
    const xx = f.local('i32');
    const sp = f.local('i32');
    const [, IH, IW] = s.inDims;
    const [sz, sy, sx] = s.stride;
    const [Dq, Hq, Wq] = ps.dims;
    const body: Expr[] = [];
    const vol = Dq * Hq * Wq;
    let index = 0;
    for (const a of ps.phases[0]!) for (const b of ps.phases[1]!) for (const c of ps.phases[2]!) {
      // Rows of this phase that exist in the padded input (the rest stay zero).
      const nz = Math.min(Dq, Math.ceil((s.inDims[0] - a) / sz));
      const ny = Math.min(Hq, Math.ceil((IH - b) / sy));
      const nx = Math.min(Wq, Math.ceil((IW - c) / sx));
      const base = index * vol;
      body.push(
        f.for(z, 0, nz, 1, [
          f.for(y, 0, ny, 1, [
            f.set(sp, i32.add(f.get(src), i32.shl(i32.add(i32.mul(i32.add(i32.mul(f.get(z), i32.c(sz)), i32.c(a)), i32.c(IH * IW)), i32.add(i32.mul(i32.add(i32.mul(f.get(y), i32.c(sy)), i32.c(b)), i32.c(IW)), i32.c(c))), i32.c(2)))),
            f.for(xx, 0, nx, 1, [
              m.f32.store(
                i32.add(f.get(dst), i32.shl(i32.add(i32.add(i32.mul(f.get(z), i32.c(Hq * Wq)), i32.mul(f.get(y), i32.c(Wq))), f.get(xx)), i32.c(2))),
                m.f32.load(f.get(sp)),
                base * 4,
              ),
              f.inc(sp, sx * 4),
            ]),
          ]),
        ]),
      );
      index++;
    }
    const planeBytes = ps.plane * 4;
    return [
      m.memFill(f.get(dst), i32.c(0), i32.c(s.N * s.C * planeBytes)),
      f.for(plane, 0, s.N * s.C, 1, [...body, f.inc(src, s.inDims[0] * IH * IW * 4), f.inc(dst, planeBytes)]),
    ];
  });
}

/** The plan of a strided conv over its phase-split input. */
function stridedPlan(s: ConvSpec, ps: PhaseSplit): GemmConvPlan {
  return {
    ...stride1Plan({ ...s, stride: [1, 1, 1] })!,
    inDims: ps.dims,
    tapOffsets: ps.taps,
    planeIn: ps.plane,
  };
}

/** Stride 1 directly; other strides through the phase split. Undefined when the engine does not fit. */
export const gemmConvPath: ConvFastPath = (ctx: KernelContext, s: ConvSpec, ops: ConvOperands): Expr[] | undefined => {
  const plan = stride1Plan(s);
  if (plan) return emitGemmConv(ctx, plan, ops);
  const ps = phaseSplit(s);
  const strided = stridedPlan(s, ps);
  if (!gemmConvFits(strided)) return undefined;
  const split = ctx.scratch(s.N * s.C * ps.plane * 4);
  const code = emitGemmConv(ctx, strided, { ...ops, x: split });
  if (!code) return undefined;
  return [ctx.m.call(splitFunction(ctx, s, ps), [ctx.m.i32.c(ops.x), ctx.m.i32.c(split)]), ...code];
};
