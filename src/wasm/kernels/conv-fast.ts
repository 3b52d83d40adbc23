/**
 * Convolution as an implicit matrix product on NCHW activations (no im2col buffer):
 *
 *   out[co, o] = sum_{ci, tap} W[co, ci, tap] * xpad[ci, o + offset(tap)]
 *
 * over a "wide" output index o = oz*IH*IW + oy*IW + ox that walks the padded input's row
 * pitch (IW, IH are padded sizes), so that for stride 1 every kernel tap is one constant
 * offset and eight neighbouring outputs read eight neighbouring inputs. Positions with
 * ox >= OW or oy >= OH are computed and thrown away (2-12% extra work for 3x3 kernels).
 *
 * Per tile of 8 wide positions the needed inputs are packed into a contiguous panel
 * [k][8] (two v128 copies per k: `packPanel`), then every block of 4 output channels runs
 * the 4x8 micro-kernel (gemm.ts) over the panel, which stays in L1 while the packed weights
 * (pack.ts) stream by. Reductions longer than PANEL_STEPS are split in blocks that
 * accumulate into the destination.
 *
 * When wide and dense indices coincide (1x1 kernels without padding) the micro-kernel stores
 * straight into the output with the epilogue (bias, residual add, activation) applied;
 * otherwise it writes a scratch plane and `compactFunction` copies the valid positions out,
 * applying the epilogue on the way. The last tile of a plane is shifted back to end at the
 * last position (it overlaps the one before), so no tile reads or writes past a plane;
 * this assumes the residual does not alias the output.
 *
 * Taken for stride 1 (any kernel, padding, dilation, groups, 1-3 spatial axes) when a group
 * has at least 4 output channels and the plane has at least 8 positions; other cases fall
 * through to the next path or the direct kernel.
 */
import type { Expr, Local } from '../module.ts';
import { packConvWeights } from '../pack.ts';
import { activationKey, applyActivation } from './activation.ts';
import type { ConvOperands, ConvFastPath } from '../fast-paths.ts';
import type { ConvSpec } from './direct-conv.ts';
import { GEMM_MR, GEMM_NR, microKernelFunction } from './gemm.ts';
import type { KernelContext } from './types.ts';

/** Reduction steps per packed panel: 512 x 32 bytes = 16 KiB, half of L1. */
const PANEL_STEPS = 512;

interface Geometry {
  cig: number;
  cog: number;
  taps: number[];
  planeIn: number;
  planeOut: number;
  /** Wide positions per plane. */
  npos: number;
  dense: boolean;
  blocks: number;
  /** Input channels per panel, and the number of panels per reduction. */
  ciChunk: number;
  chunks: number;
}

function geometry(s: ConvSpec): Geometry | undefined {
  if (s.stride.some((v) => v !== 1)) return undefined;
  const [ID, IH, IW] = s.inDims;
  const [OD, OH, OW] = s.outDims;
  const [KD, KH, KW] = s.kernel;
  const [dz, dy, dx] = s.dilation;
  const cig = s.C / s.groups;
  const cog = s.Cout / s.groups;
  if (cog < GEMM_MR) return undefined;
  const npos = (OD - 1) * IH * IW + (OH - 1) * IW + OW;
  if (npos < GEMM_NR) return undefined;
  const taps: number[] = [];
  for (let a = 0; a < KD; a++) for (let b = 0; b < KH; b++) for (let c = 0; c < KW; c++) taps.push((a * dz * IH + b * dy) * IW + c * dx);
  const ciChunk = Math.max(1, Math.floor(PANEL_STEPS / taps.length));
  return {
    cig,
    cog,
    taps,
    planeIn: ID * IH * IW,
    planeOut: OD * OH * OW,
    npos,
    dense: IH === OH && IW === OW,
    blocks: Math.ceil(cog / GEMM_MR),
    ciChunk,
    chunks: Math.ceil(cig / ciChunk),
  };
}

/** Copy `channels` x taps x 8 floats from the input (tile start `src`) into the panel. */
function packFunction(ctx: KernelContext, taps: number[], planeIn: number, channels: number): string {
  return ctx.fn('gemm_pack', { taps, planeIn, channels }, ['i32', 'i32'], (f) => {
    const m = ctx.m;
    const [src, panel] = [f.param(0), f.param(1)];
    const ci = f.local('i32');
    const v = [f.local('v128'), f.local('v128')];
    const body: Expr[] = [];
    taps.forEach((off, t) => {
      body.push(f.set(v[0]!, m.v.load(f.get(src), off * 4)), f.set(v[1]!, m.v.load(f.get(src), off * 4 + 16)));
      body.push(m.v.store(f.get(panel), f.get(v[0]!), t * 32), m.v.store(f.get(panel), f.get(v[1]!), t * 32 + 16));
    });
    body.push(f.inc(src, planeIn * 4), f.inc(panel, taps.length * 32));
    return [f.for(ci, 0, channels, 1, body)];
  });
}

/**
 * Copy the valid positions of one group's wide scratch plane into the output with bias,
 * residual and activation. Parameters: tmp, out, bias, res (already offset to the group).
 */
function compactFunction(ctx: KernelContext, s: ConvSpec, g: Geometry): string {
  const key = { in: s.inDims, out: s.outDims, cog: g.cog, npos: g.npos, res: s.residual, act: activationKey(s.activation) };
  return ctx.fn('gemm_compact', key, ['i32', 'i32', 'i32', 'i32'], (f) => {
    const m = ctx.m;
    const i32 = m.i32;
    const [tmp, out, bias, res] = [0, 1, 2, 3].map((i) => f.param(i)) as [Local, Local, Local, Local];
    const [, IH, IW] = s.inDims;
    const [OD, OH, OW] = s.outDims;
    const co = f.local('i32');
    const oz = f.local('i32');
    const oy = f.local('i32');
    const src = f.local('i32');
    const dst = f.local('i32');
    const rp = f.local('i32');
    const b = f.local('v128');
    const a = f.local('v128');
    const one = (load: (p: Expr, off: number) => Expr, store: (p: Expr, v: Expr, off: number) => Expr, off: number): Expr[] => {
      const code: Expr[] = [f.set(a, m.v.add(load(f.get(src), off), f.get(b)))];
      if (s.residual) code.push(f.set(a, m.v.add(f.get(a), load(f.get(rp), off))));
      code.push(store(f.get(dst), applyActivation(m, f, a, s.activation, (h) => ctx.helper(h)), off));
      return code;
    };
    const row: Expr[] = [];
    const vec = OW >> 2;
    for (let i = 0; i < vec; i++) row.push(...one((p, o) => m.v.load(p, o), (p, v, o) => m.v.store(p, v, o), i * 16));
    for (let i = vec * 4; i < OW; i++) row.push(...one((p, o) => m.v.load32Zero(p, o), (p, v, o) => m.v.store32Lane(p, v, 0, o), i * 4));
    row.push(f.inc(src, IW * 4), f.inc(dst, OW * 4), f.inc(rp, OW * 4));
    return [
      f.for(co, 0, g.cog, 1, [
        f.set(b, m.v.load32Splat(i32.add(f.get(bias), i32.shl(f.get(co), i32.c(2))))),
        f.set(dst, i32.add(f.get(out), i32.mul(f.get(co), i32.c(g.planeOut * 4)))),
        f.set(rp, i32.add(f.get(res), i32.mul(f.get(co), i32.c(g.planeOut * 4)))),
        f.for(oz, 0, OD, 1, [
          f.set(src, i32.add(f.get(tmp), i32.add(i32.mul(f.get(co), i32.c(g.npos * 4)), i32.mul(f.get(oz), i32.c(IH * IW * 4))))),
          f.for(oy, 0, OH, 1, row),
        ]),
      ]),
    ];
  });
}

/**
 * The driver for a conv shape class. Parameters: x (padded input), w (packed weights),
 * b (bias), out, res, tmp (wide scratch, unused when dense), panel (scratch).
 */
function driverFunction(ctx: KernelContext, s: ConvSpec, g: Geometry): string {
  const key = { ...s, activation: activationKey(s.activation) };
  return ctx.fn('conv_gemm', key, ['i32', 'i32', 'i32', 'i32', 'i32', 'i32', 'i32'], (f) => {
    const m = ctx.m;
    const i32 = m.i32;
    const [x, w, bias, out, res, tmp, panel] = [0, 1, 2, 3, 4, 5, 6].map((i) => f.param(i)) as Local[];
    const n = f.local('i32');
    const gi = f.local('i32');
    const t = f.local('i32');
    const o = f.local('i32');
    const cb = f.local('i32');
    const xg = f.local('i32');
    const wg = f.local('i32');
    const outG = f.local('i32');
    const resG = f.local('i32');
    const biasG = f.local('i32');
    const K = g.cig * g.taps.length;
    const tiles = Math.ceil(g.npos / GEMM_NR);
    const rowBytes = (g.dense ? g.planeOut : g.npos) * 4;
    const fullBlocks = Math.floor(g.cog / GEMM_MR);
    const tailRows = g.cog - fullBlocks * GEMM_MR;

    const tileBody: Expr[] = [
      // o = min(t * 8, npos - 8): the last tile ends at the plane's end.
      f.set(o, i32.mul(f.get(t), i32.c(GEMM_NR))),
      f.set(o, m.select(i32.gtS(f.get(o), i32.c(g.npos - GEMM_NR)), i32.c(g.npos - GEMM_NR), f.get(o))),
    ];
    for (let c = 0; c < g.chunks; c++) {
      const channels = Math.min(g.ciChunk, g.cig - c * g.ciChunk);
      const steps = channels * g.taps.length;
      const last = c === g.chunks - 1;
      const pack = packFunction(ctx, g.taps, g.planeIn, channels);
      tileBody.push(m.call(pack, [i32.add(f.get(xg), i32.add(i32.shl(f.get(o), i32.c(2)), i32.c(c * g.ciChunk * g.planeIn * 4))), f.get(panel)]));
      // `block()` builds a fresh expression per use: binaryen trees must not share nodes.
      const call = (rows: number, block: () => Expr): Expr => {
        const mk = microKernelFunction(ctx, {
          rows,
          accumulate: c > 0,
          epilogue: g.dense && last,
          activation: s.activation,
          residual: s.residual,
          dstRowBytes: rowBytes,
        });
        const rowOff = (): Expr => i32.mul(block(), i32.c(GEMM_MR * rowBytes));
        const at = (base: Local): Expr => i32.add(f.get(base), i32.add(rowOff(), i32.shl(f.get(o), i32.c(2))));
        return m.call(mk, [
          f.get(panel),
          i32.add(f.get(wg), i32.add(i32.mul(block(), i32.c(K * GEMM_MR * 4)), i32.c(c * g.ciChunk * g.taps.length * GEMM_MR * 4))),
          at(g.dense ? outG : tmp),
          i32.add(f.get(biasG), i32.mul(block(), i32.c(GEMM_MR * 4))),
          at(resG),
          i32.c(steps),
        ]);
      };
      if (fullBlocks > 0) tileBody.push(f.for(cb, 0, fullBlocks, 1, [call(GEMM_MR, () => f.get(cb))]));
      if (tailRows > 0) tileBody.push(call(tailRows, () => i32.c(fullBlocks)));
    }

    const groupBody: Expr[] = [
      f.set(xg, i32.add(f.get(x), i32.mul(i32.add(i32.mul(f.get(n), i32.c(s.C)), i32.mul(f.get(gi), i32.c(g.cig))), i32.c(g.planeIn * 4)))),
      f.set(wg, i32.add(f.get(w), i32.mul(f.get(gi), i32.c(g.blocks * K * GEMM_MR * 4)))),
      f.set(outG, i32.add(f.get(out), i32.add(i32.mul(f.get(n), i32.c(s.outBatchStride * 4)), i32.mul(f.get(gi), i32.c(g.cog * g.planeOut * 4))))),
      f.set(resG, i32.add(f.get(res), i32.mul(i32.add(i32.mul(f.get(n), i32.c(s.Cout)), i32.mul(f.get(gi), i32.c(g.cog))), i32.c(g.planeOut * 4)))),
      f.set(biasG, i32.add(f.get(bias), i32.mul(f.get(gi), i32.c(g.cog * 4)))),
      f.for(t, 0, tiles, 1, tileBody),
    ];
    if (!g.dense) groupBody.push(m.call(compactFunction(ctx, s, g), [f.get(tmp), f.get(outG), f.get(biasG), f.get(resG)]));
    return [f.for(n, 0, s.N, 1, [f.for(gi, 0, s.groups, 1, groupBody)])];
  });
}

/** The fast path for stride-1 convolutions (see the file comment); undefined when it does not apply. */
export const gemmConvPath: ConvFastPath = (ctx: KernelContext, s: ConvSpec, ops: ConvOperands): Expr[] | undefined => {
  const g = geometry(s);
  if (!g) return undefined;
  const m = ctx.m;
  const packed = packConvWeights({ cout: s.Cout, groups: s.groups, cig: g.cig, taps: g.taps.length }, ops.weight, GEMM_MR);
  const wPtr = ctx.constant(packed, 'weight');
  const bPtr = ctx.constant(ops.bias, 'weight');
  const panelSteps = Math.min(g.ciChunk, g.cig) * g.taps.length;
  const panel = ctx.scratch(panelSteps * GEMM_NR * 4);
  const tmp = g.dense ? 0 : ctx.scratch(g.blocks * GEMM_MR * g.npos * 4);
  const fn = driverFunction(ctx, s, g);
  return [m.call(fn, [m.i32.c(ops.x), m.i32.c(wPtr), m.i32.c(bPtr), m.i32.c(ops.out), m.i32.c(ops.residual), m.i32.c(tmp), m.i32.c(panel)])];
};
