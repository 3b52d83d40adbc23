/**
 * The matrix-product engine of the fast convolutions: a stride-1 correlation over a padded
 * input, as an implicit matrix product on NCHW activations (no im2col buffer),
 *
 *   acc[co, o] = sum_{ci, tap} W[co, ci, tap] * xpad[ci, xOffset + o + offset(tap)]
 *
 * over a "wide" position o = oz*IH*IW + oy*IW + ox that walks the padded input's pitch
 * (IH, IW: padded sizes), so that every kernel tap is one constant offset and eight
 * neighbouring positions read eight neighbouring inputs. Positions with ox >= QW or
 * oy >= QH are computed and thrown away (2-12% extra work for 3x3 kernels).
 *
 * Per tile of 8 wide positions the inputs it needs are packed into a contiguous panel
 * [k][8] (two v128 copies per k), then every block of 4 output channels runs the 4x8
 * micro-kernel (gemm.ts) over it: the panel stays in L1 while the packed weights (pack.ts)
 * stream by. Reductions longer than PANEL_STEPS are cut into panels that accumulate into
 * the destination. The last tile of a plane is shifted back to end at the last position
 * (it overlaps the one before), so no tile reads or writes past a plane.
 *
 * Results land in the output at position start + step * (oz, oy, ox) per axis: step 1 for a
 * convolution, the stride for one phase of a transposed convolution. When wide and dense
 * indices coincide (1x1 kernels, no padding, step 1) the micro-kernel stores straight into
 * the output with the epilogue (bias, residual add, activation); otherwise it writes a
 * scratch plane and `scatterFunction` moves the valid positions out, applying the epilogue.
 * The residual must not alias the output.
 */
import type { Expr, Local } from '../module.ts';
import { packConvWeights } from '../pack.ts';
import { activationKey, applyActivation } from './activation.ts';
import { GEMM_MR, GEMM_NR, microKernelFunction } from './gemm.ts';
import type { Formula } from '../../ops/activation/formula.ts';
import type { KernelContext } from './types.ts';

type Triple = [number, number, number];

/** Reduction steps per packed panel: 512 x 32 bytes = 16 KiB, half of L1. */
const PANEL_STEPS = 512;
/**
 * Tiles packed together before the blocks of output channels run over them, so that a block
 * of weights is fetched once per group rather than once per tile (what matters when the
 * planes are small and the weights large: the 4x4 phases of a k4 s2 transposed conv).
 */
const GROUP_PANEL_BYTES = 64 * 1024;
const GROUP_TILES_MAX = 8;
const MIN_REDUCTION_FOR_FEW_ROWS = 64;
/**
 * Gather tiles when the wide layout computes this much more than the output holds (the
 * lower bar from 64 output channels on, where the scalar copies of the gathering pack are
 * shared by more blocks: 3x3 convs on 28x28 planes, 7% waste, ran 3-5% faster gathered,
 * 16x16 phases of a transposed conv, 12% waste, 5%; 56x56 planes, 3.5%, ran slower)...
 */
const GATHER_WASTE = 1.12;
const GATHER_WASTE_MANY_CHANNELS = 1.05;
const MANY_CHANNELS = 64;
/** ...and this many output channels share each gathered panel (8 scalar copies per step). */
const GATHER_MIN_CHANNELS = 16;

export interface GemmConvPlan {
  N: number;
  /** Channels of the input buffer (all groups) and of the output. */
  C: number;
  Cout: number;
  groups: number;
  /** Dims of the padded input buffer. */
  inDims: Triple;
  /** Element offset of the correlation's origin inside each padded input plane. */
  xOffset: number;
  /** Positions computed per axis, and the kernel (taps per axis) of the correlation. */
  count: Triple;
  kernel: Triple;
  dilation: Triple;
  /**
   * Explicit tap offsets (elements, PyTorch tap order) and input plane size, for inputs laid
   * out otherwise than one padded volume per channel (stride phases side by side).
   */
  tapOffsets?: number[];
  planeIn?: number;
  /** Where results go: output dims, first position and step per axis. */
  outDims: Triple;
  start: Triple;
  step: Triple;
  /** Elements between batch items of the output. */
  outBatchStride: number;
  activation?: Formula;
  residual: boolean;
}

/** Operands of one call: byte addresses, weights in conv layout [Cout, C/groups, taps...]. */
export interface GemmConvOperands {
  x: number;
  out: number;
  residual: number;
  weight: Float32Array;
  bias: Float32Array;
  /** Scratch to use instead of asking the context (several plans of one node share it). */
  panel?: number;
  tmp?: number;
}

interface Geometry {
  cig: number;
  cog: number;
  taps: number[];
  planeIn: number;
  planeOut: number;
  /** Wide positions per plane. */
  npos: number;
  dense: boolean;
  /**
   * Tiles are 8 consecutive computed positions (QD x QH x QW, no padding columns), gathered
   * lane by lane through a table of their wide positions: no wasted work, for small padded
   * planes (where the wide layout wastes most) when enough output channels share each
   * panel. With unit steps they are the output's positions (a direct store); otherwise (the
   * phases of a transposed conv) the scratch planes hold them compactly for the scatter.
   */
  gather: boolean;
  /** The micro-kernel stores into the output with the epilogue (no scatter). */
  direct: boolean;
  /** Positions tiled per plane: npos (wide), QD * QH * QW (gathered) or planeOut (dense). */
  positions: number;
  blocks: number;
  /** Input channels per panel, and the number of panels per reduction. */
  ciChunk: number;
  chunks: number;
  /** Reduction steps of the largest panel, and tiles packed before the blocks run over them. */
  panelSteps: number;
  groupTiles: number;
}

/** Undefined when the engine does not fit (few channels over a short reduction, planes under 8 positions). */
function geometry(p: GemmConvPlan): Geometry | undefined {
  const [, IH, IW] = p.inDims;
  const [QD, QH, QW] = p.count;
  const [KD, KH, KW] = p.kernel;
  const [dz, dy, dx] = p.dilation;
  const cig = p.C / p.groups;
  const cog = p.Cout / p.groups;
  if (!Number.isInteger(cig) || !Number.isInteger(cog) || cog < 1) return undefined;
  // Fewer than 4 channels per group leave rows of the 4x8 tile idle: worth it only over a
  // long reduction (an RGB output layer), not for depthwise convolutions.
  if (cog < GEMM_MR && cig * KD * KH * KW < MIN_REDUCTION_FOR_FEW_ROWS) return undefined;
  const npos = (QD - 1) * IH * IW + (QH - 1) * IW + QW;
  if (npos < GEMM_NR || QD < 1 || QH < 1 || QW < 1) return undefined;
  const taps: number[] = [];
  if (p.tapOffsets) taps.push(...p.tapOffsets);
  else for (let a = 0; a < KD; a++) for (let b = 0; b < KH; b++) for (let c = 0; c < KW; c++) taps.push((a * dz * IH + b * dy) * IW + c * dx);
  const ciChunk = Math.max(1, Math.floor(PANEL_STEPS / taps.length));
  const unitStep = p.step.every((v) => v === 1) && p.start.every((v) => v === 0);
  const planeOut = p.outDims[0] * p.outDims[1] * p.outDims[2];
  const dense = unitStep && IH === QH && IW === QW && p.outDims[1] === QH && p.outDims[2] === QW;
  const computed = QD * QH * QW;
  const gather = !dense && computed >= GEMM_NR && npos > (cog >= MANY_CHANNELS ? GATHER_WASTE_MANY_CHANNELS : GATHER_WASTE) * computed && cog >= GATHER_MIN_CHANNELS;
  return {
    cig,
    cog,
    taps,
    planeIn: p.planeIn ?? p.inDims[0] * IH * IW,
    planeOut,
    npos,
    dense,
    gather,
    direct: dense || (gather && unitStep && computed === planeOut),
    positions: dense ? planeOut : gather ? computed : npos,
    blocks: Math.ceil(cog / GEMM_MR),
    ciChunk,
    chunks: Math.ceil(cig / ciChunk),
    panelSteps: Math.min(ciChunk, cig) * taps.length,
    groupTiles: Math.max(1, Math.min(GROUP_TILES_MAX, Math.floor(GROUP_PANEL_BYTES / (Math.min(ciChunk, cig) * taps.length * GEMM_NR * 4)))),
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
 * The gathering pack: lane j of the panel comes from wide position table[j] (8 entries from
 * `tbl`). Parameters: src (input at the group's first channel of the panel), panel, tbl.
 */
function gatherPackFunction(ctx: KernelContext, taps: number[], planeIn: number, channels: number): string {
  return ctx.fn('gemm_pack_gather', { taps, planeIn, channels }, ['i32', 'i32', 'i32'], (f) => {
    const m = ctx.m;
    const i32 = m.i32;
    const [src, panel, tbl] = [f.param(0), f.param(1), f.param(2)];
    const ci = f.local('i32');
    const lanes = Array.from({ length: GEMM_NR }, () => f.local('i32'));
    const body: Expr[] = [];
    taps.forEach((off, t) => {
      lanes.forEach((a, j) => body.push(m.f32.store(f.get(panel), m.f32.load(f.get(a), off * 4), (t * GEMM_NR + j) * 4)));
    });
    body.push(...lanes.map((a) => f.inc(a, planeIn * 4)), f.inc(panel, taps.length * GEMM_NR * 4));
    return [
      ...lanes.map((a, j) => f.set(a, i32.add(f.get(src), i32.shl(i32.load(f.get(tbl), j * 4), i32.c(2))))),
      f.for(ci, 0, channels, 1, body),
    ];
  });
}

/** Wide position of every computed position, in order (the gather table). */
function gatherTable(p: GemmConvPlan): Int32Array {
  const [OD, OH, OW] = p.count;
  const [, IH, IW] = p.inDims;
  const table = new Int32Array(OD * OH * OW);
  let i = 0;
  for (let z = 0; z < OD; z++) for (let y = 0; y < OH; y++) for (let x = 0; x < OW; x++) table[i++] = (z * IH + y) * IW + x;
  return table;
}

/**
 * Move the valid positions of one group's wide scratch planes into the output with bias,
 * residual and activation. Parameters: tmp, out, bias, res (already offset to the group).
 */
function scatterFunction(ctx: KernelContext, p: GemmConvPlan, g: Geometry): string {
  const key = { in: p.inDims, count: p.count, out: p.outDims, start: p.start, step: p.step, cog: g.cog, npos: g.npos, gather: g.gather, res: p.residual, act: activationKey(p.activation) };
  return ctx.fn('gemm_scatter', key, ['i32', 'i32', 'i32', 'i32'], (f) => {
    const m = ctx.m;
    const i32 = m.i32;
    const [tmp, out, bias, res] = [0, 1, 2, 3].map((i) => f.param(i)) as [Local, Local, Local, Local];
    const [QD, QH, QW] = p.count;
    // Scratch rows follow the wide layout (input pitch) or, gathered, the computed positions.
    const [, IH, IW] = g.gather ? p.count : p.inDims;
    const [, OH, OW] = p.outDims;
    const [sz, sy, sx] = p.step;
    const [z0, y0, x0] = p.start;
    const co = f.local('i32');
    const qz = f.local('i32');
    const qy = f.local('i32');
    const src = f.local('i32');
    const dst = f.local('i32');
    const rp = f.local('i32');
    const b = f.local('v128');
    const a = f.local('v128');
    const act = (): Expr => applyActivation(m, f, a, p.activation, (h) => ctx.helper(h));
    const row: Expr[] = [];
    // Four positions per vector; with a step, lanes are loaded and stored one by one.
    for (let q = 0; q < QW; ) {
      const lanes = q + 4 <= QW ? 4 : 1;
      const at = (l: number): number => (q + l) * sx * 4;
      row.push(f.set(a, m.v.add(lanes === 4 ? m.v.load(f.get(src), q * 4) : m.v.load32Zero(f.get(src), q * 4), f.get(b))));
      if (p.residual) {
        let r: Expr;
        if (lanes === 4 && sx === 1) r = m.v.load(f.get(rp), at(0));
        else {
          r = m.v.load32Zero(f.get(rp), at(0));
          for (let l = 1; l < lanes; l++) r = m.v.load32Lane(f.get(rp), r, l, at(l));
        }
        row.push(f.set(a, m.v.add(f.get(a), r)));
      }
      if (p.activation) row.push(f.set(a, act()));
      if (lanes === 4 && sx === 1) row.push(m.v.store(f.get(dst), f.get(a), at(0)));
      else for (let l = 0; l < lanes; l++) row.push(m.v.store32Lane(f.get(dst), f.get(a), l, at(l)));
      q += lanes;
    }
    row.push(f.inc(src, IW * 4), f.inc(dst, sy * OW * 4), f.inc(rp, sy * OW * 4));
    const first = (z0 * OH + y0) * OW + x0;
    return [
      f.for(co, 0, g.cog, 1, [
        f.set(b, m.v.load32Splat(i32.add(f.get(bias), i32.shl(f.get(co), i32.c(2))))),
        f.for(qz, 0, QD, 1, [
          f.set(src, i32.add(f.get(tmp), i32.add(i32.mul(f.get(co), i32.c(g.positions * 4)), i32.mul(f.get(qz), i32.c(IH * IW * 4))))),
          f.set(dst, i32.add(f.get(out), i32.add(i32.mul(f.get(co), i32.c(g.planeOut * 4)), i32.add(i32.mul(f.get(qz), i32.c(sz * OH * OW * 4)), i32.c(first * 4))))),
          f.set(rp, i32.add(f.get(res), i32.add(i32.mul(f.get(co), i32.c(g.planeOut * 4)), i32.add(i32.mul(f.get(qz), i32.c(sz * OH * OW * 4)), i32.c(first * 4))))),
          f.for(qy, 0, QH, 1, row),
        ]),
      ]),
    ];
  });
}

/**
 * The driver for a plan's shape class. Parameters: x (padded input), w (packed weights),
 * b (bias), out, res, tmp (wide scratch, unused when dense or gathered), panel (scratch),
 * table (wide positions of dense ones, when gathered).
 */
function driverFunction(ctx: KernelContext, p: GemmConvPlan, g: Geometry): string {
  const key = { ...p, activation: activationKey(p.activation) };
  return ctx.fn('conv_gemm', key, ['i32', 'i32', 'i32', 'i32', 'i32', 'i32', 'i32', 'i32'], (f) => {
    const m = ctx.m;
    const i32 = m.i32;
    const [x, w, bias, out, res, tmp, panel, table] = [0, 1, 2, 3, 4, 5, 6, 7].map((i) => f.param(i)) as Local[] as [Local, Local, Local, Local, Local, Local, Local, Local];
    const n = f.local('i32');
    const gi = f.local('i32');
    const t = f.local('i32');
    const t0 = f.local('i32');
    const tEnd = f.local('i32');
    const o = f.local('i32');
    const cb = f.local('i32');
    const xg = f.local('i32');
    const wg = f.local('i32');
    const outG = f.local('i32');
    const resG = f.local('i32');
    const biasG = f.local('i32');
    const K = g.cig * g.taps.length;
    const tiles = Math.ceil(g.positions / GEMM_NR);
    const direct = g.direct;
    const rowBytes = g.positions * 4;
    const fullBlocks = Math.floor(g.cog / GEMM_MR);
    const tailRows = g.cog - fullBlocks * GEMM_MR;

    const panelBytes = g.panelSteps * GEMM_NR * 4;
    // o = min(t * 8, positions - 8): the last tile ends at the plane's end.
    const setO = (): Expr[] => [
      f.set(o, i32.mul(f.get(t), i32.c(GEMM_NR))),
      f.set(o, m.select(i32.gtS(f.get(o), i32.c(g.positions - GEMM_NR)), i32.c(g.positions - GEMM_NR), f.get(o))),
    ];
    const panelOf = (): Expr => i32.add(f.get(panel), i32.mul(i32.sub(f.get(t), f.get(t0)), i32.c(panelBytes)));
    // t = t0 .. tEnd - 1 (never empty). Not f.for: its bounds must be constants, since an
    // expression handle is a number too.
    const overGroup = (body: Expr[]): Expr =>
      m.block([f.set(t, f.get(t0)), m.doWhile([...setO(), ...body, f.inc(t)], i32.ltS(f.get(t), f.get(tEnd)))]);
    /** All panels of the tiles t0 .. min(t0 + groupTiles, limit) - 1, fresh expressions. */
    const groupOfTiles = (limit: number): Expr[] => {
      const groupTilesBody: Expr[] = [
        f.set(tEnd, i32.add(f.get(t0), i32.c(g.groupTiles))),
        f.set(tEnd, m.select(i32.gtS(f.get(tEnd), i32.c(limit)), i32.c(limit), f.get(tEnd))),
      ];
      for (let c = 0; c < g.chunks; c++) {
        const channels = Math.min(g.ciChunk, g.cig - c * g.ciChunk);
        const steps = channels * g.taps.length;
        const last = c === g.chunks - 1;
        const chunkAt = c * g.ciChunk * g.planeIn * 4;
        const packCall = g.gather
          ? m.call(gatherPackFunction(ctx, g.taps, g.planeIn, channels), [i32.add(f.get(xg), i32.c(chunkAt)), panelOf(), i32.add(f.get(table), i32.shl(f.get(o), i32.c(2)))])
          : m.call(packFunction(ctx, g.taps, g.planeIn, channels), [i32.add(f.get(xg), i32.add(i32.shl(f.get(o), i32.c(2)), i32.c(chunkAt))), panelOf()]);
        groupTilesBody.push(overGroup([packCall]));
        // `block()` builds a fresh expression per use: binaryen trees must not share nodes.
        const call = (rows: number, block: () => Expr): Expr => {
          const mk = microKernelFunction(ctx, {
            rows,
            accumulate: c > 0,
            epilogue: direct && last,
            activation: p.activation,
            residual: p.residual,
            dstRowBytes: rowBytes,
          });
          const rowOff = (): Expr => i32.mul(block(), i32.c(GEMM_MR * rowBytes));
          const at = (base: Local): Expr => i32.add(f.get(base), i32.add(rowOff(), i32.shl(f.get(o), i32.c(2))));
          return m.call(mk, [
            panelOf(),
            i32.add(f.get(wg), i32.add(i32.mul(block(), i32.c(K * GEMM_MR * 4)), i32.c(c * g.ciChunk * g.taps.length * GEMM_MR * 4))),
            at(direct ? outG : tmp),
            i32.add(f.get(biasG), i32.mul(block(), i32.c(GEMM_MR * 4))),
            at(resG),
            i32.c(steps),
          ]);
      };
      // Each block of weights is read once per group of tiles, from L1 after the first tile.
      if (fullBlocks > 0) groupTilesBody.push(f.for(cb, 0, fullBlocks, 1, [overGroup([call(GEMM_MR, () => f.get(cb))])]));
      if (tailRows > 0) groupTilesBody.push(overGroup([call(tailRows, () => i32.c(fullBlocks))]));
    }
    return groupTilesBody;
    };
    // The last tile, shifted back, overlaps the one before: with several panels per
    // reduction it must not share a group with it (its first panel restarts the sums of the
    // overlap, which the group before has completed).
    const overlapAlone = g.chunks > 1 && g.positions % GEMM_NR !== 0 && tiles > 1;
    const grouped = overlapAlone ? tiles - 1 : tiles;

    const groupBody: Expr[] = [
      f.set(xg, i32.add(f.get(x), i32.add(i32.mul(i32.add(i32.mul(f.get(n), i32.c(p.C)), i32.mul(f.get(gi), i32.c(g.cig))), i32.c(g.planeIn * 4)), i32.c(p.xOffset * 4)))),
      f.set(wg, i32.add(f.get(w), i32.mul(f.get(gi), i32.c(g.blocks * K * GEMM_MR * 4)))),
      f.set(outG, i32.add(f.get(out), i32.add(i32.mul(f.get(n), i32.c(p.outBatchStride * 4)), i32.mul(f.get(gi), i32.c(g.cog * g.planeOut * 4))))),
      f.set(resG, i32.add(f.get(res), i32.mul(i32.add(i32.mul(f.get(n), i32.c(p.Cout)), i32.mul(f.get(gi), i32.c(g.cog))), i32.c(g.planeOut * 4)))),
      f.set(biasG, i32.add(f.get(bias), i32.mul(f.get(gi), i32.c(g.cog * 4)))),
      f.for(t0, 0, grouped, g.groupTiles, groupOfTiles(grouped)),
      ...(overlapAlone ? [f.set(t0, i32.c(tiles - 1)), ...groupOfTiles(tiles)] : []),
    ];
    if (!direct) groupBody.push(m.call(scatterFunction(ctx, p, g), [f.get(tmp), f.get(outG), f.get(biasG), f.get(resG)]));
    return [f.for(n, 0, p.N, 1, [f.for(gi, 0, p.groups, 1, groupBody)])];
  });
}

/** Whether the engine takes a plan. */
export function gemmConvFits(p: GemmConvPlan): boolean {
  return geometry(p) !== undefined;
}

/** Scratch bytes a plan needs: the panel, and the wide planes (0 when it stores directly). */
export function gemmConvScratch(p: GemmConvPlan): { panel: number; tmp: number } {
  const g = geometry(p);
  if (!g) return { panel: 0, tmp: 0 };
  return { panel: g.groupTiles * g.panelSteps * GEMM_NR * 4, tmp: g.direct ? 0 : g.blocks * GEMM_MR * g.positions * 4 };
}

/** Statements of `run()` computing the plan; undefined when it does not fit. */
export function emitGemmConv(ctx: KernelContext, p: GemmConvPlan, ops: GemmConvOperands): Expr[] | undefined {
  const g = geometry(p);
  if (!g) return undefined;
  const m = ctx.m;
  const packed = packConvWeights({ cout: p.Cout, groups: p.groups, cig: g.cig, taps: g.taps.length }, ops.weight, GEMM_MR);
  const wPtr = ctx.constant(packed, 'weight');
  const bPtr = ctx.constant(ops.bias, 'weight');
  const need = gemmConvScratch(p);
  const panel = ops.panel ?? ctx.scratch(need.panel);
  const tmp = need.tmp === 0 ? 0 : (ops.tmp ?? ctx.scratch(need.tmp));
  const table = g.gather ? ctx.constant(gatherTable(p), 'table') : 0;
  const fn = driverFunction(ctx, p, g);
  return [m.call(fn, [m.i32.c(ops.x), m.i32.c(wPtr), m.i32.c(bPtr), m.i32.c(ops.out), m.i32.c(ops.residual), m.i32.c(tmp), m.i32.c(panel), m.i32.c(table)])];
}
