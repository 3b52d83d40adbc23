/**
 * Winograd convolution (winograd-transforms.ts has the algebra) for 2-D 3x3 convs with
 * stride 1, dilation 1 and one group, tried before the matrix-product engine (conv-paths.ts)
 * when its cost model says it is cheaper.
 *
 * Tiles: m x m output positions each, TH x TW of them per plane; the last tile of a row or
 * column is shifted back to end at the plane's edge (it overlaps the one before and writes
 * the same values again), so every tile reads inside the padded input and writes inside the
 * output. Tile origins come from two tables (input and output byte offsets), padded to a
 * multiple of 8 tiles by repeating the last tile.
 *
 * Tiles are processed in groups of G x 8, sized so that the group's transformed data stays
 * in L2:
 *   1. input transform: V[xi][tb][ci][8] = (B^T d B)[xi] for the group's tiles, four tiles in
 *      the lanes of a vector (lane gathers from four tile origins); [ci][8] is exactly a
 *      panel of the micro-kernel;
 *   2. a^2 matrix products on the micro-kernel (gemm.ts): M[xi][co][tile] = U[xi] V[xi], the
 *      weights U[xi] packed like a 1x1 conv's;
 *   3. output transform: Y = A^T M A per tile and output channel, bias, residual and
 *      activation, stored lane by lane to the four tiles' positions (the output may be a view
 *      in a concat buffer: batch stride from the spec).
 * Both transforms go through a 16-byte-per-vector scratch between their row and column
 * halves, which keeps a dozen vectors live instead of a^2.
 */
import type { Expr, FunctionBuilder, Local, ModuleBuilder } from '../module.ts';
import { packConvWeights } from '../pack.ts';
import { activationKey, applyActivation } from './activation.ts';
import type { ConvFastPath, ConvOperands, ConvSpec } from './direct-conv.ts';
import { GEMM_MR, GEMM_NR, microKernelFunction } from './gemm.ts';
import type { KernelContext } from './types.ts';
import {
  directCostNs,
  tileBlocksPerGroup,
  tileStart,
  tilesAlong,
  transformFilters,
  winogradCostNs,
  winogradMatrices,
  type WinogradMatrices,
  type WinogradShape,
  type WinogradTile,
} from './winograd-transforms.ts';

/** Below this estimated saving the direct engine is kept (the estimate is rough). */
const MIN_GAIN = 1.15;

/** Which convolutions use Winograd: by the cost model, whenever possible (tests), or never. */
export type WinogradMode = 'auto' | 'always' | 'never';

export interface WinogradChoice {
  /** The tile size chosen, or undefined for the matrix-product engine. */
  tile?: WinogradTile;
  /** Why, for `netc build --explain`. */
  reason: string;
}

/** Stride-1, undilated, ungrouped 2-D 3x3 convs with outputs of at least 2 x 2. */
function eligible(s: ConvSpec): boolean {
  return (
    s.kernel[0] === 1 && s.kernel[1] === 3 && s.kernel[2] === 3 &&
    s.inDims[0] === 1 && s.stride.every((v) => v === 1) && s.dilation.every((v) => v === 1) &&
    s.groups === 1 && s.outDims[1] >= 2 && s.outDims[2] >= 2
  );
}

/** The cost model's decision for an eligible conv. */
export function chooseWinograd(s: ConvSpec, mode: WinogradMode = 'auto'): WinogradChoice {
  const [, OH, OW] = s.outDims;
  const [, , IW] = s.inDims;
  // From 16 output channels the engine gathers tiles when the wide layout wastes much (conv-gemm.ts).
  const wide = (OH - 1) * IW + OW;
  const positions = s.Cout >= 16 ? Math.min(wide, Math.ceil((OH * OW) / 8) * 8) : wide;
  const shape: WinogradShape = { C: s.C, Cout: s.Cout, OH, OW, widePositions: positions };
  const tiles: WinogradTile[] = OH >= 4 && OW >= 4 ? [4, 2] : [2];
  const direct = directCostNs(shape);
  const costs = tiles.map((m) => ({ m, ns: winogradCostNs(shape, m) }));
  const best = costs.reduce((a, b) => (b.ns < a.ns ? b : a));
  const ratio = direct / best.ns;
  const name = `F(${best.m}x${best.m},3x3)`;
  if (mode === 'always') return { tile: best.m, reason: `Winograd ${name} (forced)` };
  if (mode === 'never') return { reason: 'matrix-product engine (Winograd off)' };
  if (ratio >= MIN_GAIN) return { tile: best.m, reason: `Winograd ${name}: estimated ${ratio.toFixed(1)}x less time than the matrix-product engine` };
  return { reason: `matrix-product engine: Winograd ${name} estimated ${ratio < 1 ? `${(1 / ratio).toFixed(1)}x slower` : `only ${ratio.toFixed(2)}x faster`} (${s.C} -> ${s.Cout} channels, ${OH}x${OW})` };
}

/**
 * `sum_k coeffs[k] * x[k]` on f32x4 locals, skipping zeros; +-1 as add and subtract, other
 * coefficients as multiply-adds (fused in a relaxed module).
 */
function combine(m: ModuleBuilder, f: FunctionBuilder, coeffs: number[], x: Local[]): Expr {
  let acc: Expr | undefined;
  coeffs.forEach((c, k) => {
    if (c === 0) return;
    const v = f.get(x[k]!);
    const mag = Math.abs(c);
    if (acc === undefined) acc = mag === 1 ? (c > 0 ? v : m.v.neg(v)) : m.v.mul(v, m.v.splatC(c));
    else if (mag === 1) acc = c > 0 ? m.v.add(acc, v) : m.v.sub(acc, v);
    else acc = m.v.madd(v, m.v.splatC(c), acc);
  });
  return acc ?? m.v.splatC(0);
}

/**
 * Input transform of one tile group; shapes are parameters, so one function serves every
 * layer with the same tile size. Parameters: src (the batch item's padded input), dst (V),
 * tbl (input byte offsets of the group's first tile), nq (groups of 4 tiles), tmp, C,
 * rowBytes and planeBytes of the padded input, vSlice (bytes between V's xi-slices).
 */
function inputTransformFunction(ctx: KernelContext, w: WinogradMatrices): string {
  return ctx.fn('winograd_in', { m: w.m }, ['i32', 'i32', 'i32', 'i32', 'i32', 'i32', 'i32', 'i32', 'i32'], (f) => {
    const m = ctx.m;
    const i32 = m.i32;
    const [src, dst, tbl, nq, tmp, C, rowBytes, planeBytes, vSlice] = Array.from({ length: 9 }, (_, i) => f.param(i)) as [Local, Local, Local, Local, Local, Local, Local, Local, Local];
    const a = w.a;
    const q = f.local('i32');
    const c = f.local('i32');
    const dp = f.local('i32');
    const sp = f.local('i32');
    const col = f.local('i32');
    const step = f.local('i32');
    const p = [0, 1, 2, 3].map(() => f.local('i32'));
    const r = [0, 1, 2, 3].map(() => f.local('i32'));
    const x = Array.from({ length: a }, () => f.local('v128'));
    const gather = (off: number): Expr => {
      let v = m.v.load32Zero(f.get(r[0]!), off);
      for (let l = 1; l < 4; l++) v = m.v.load32Lane(f.get(r[l]!), v, l, off);
      return v;
    };
    const perChannel: Expr[] = r.map((rl, l) => f.set(rl, f.get(p[l]!)));
    // Rows: tmp[k][j] = sum_l d[k][l] BT[j][l].
    for (let k = 0; k < a; k++) {
      for (let l = 0; l < a; l++) perChannel.push(f.set(x[l]!, gather(l * 4)));
      for (let j = 0; j < a; j++) perChannel.push(m.v.store(f.get(tmp), combine(m, f, w.BT[j]!, x), (k * a + j) * 16));
      if (k < a - 1) perChannel.push(...r.map((rl) => f.set(rl, i32.add(f.get(rl), f.get(rowBytes)))));
    }
    // Columns: V[i][j] = sum_k BT[i][k] tmp[k][j], stored at slice i * a + j.
    perChannel.push(f.set(col, f.get(dp)));
    for (let j = 0; j < a; j++) {
      for (let k = 0; k < a; k++) perChannel.push(f.set(x[k]!, m.v.load(f.get(tmp), (k * a + j) * 16)));
      perChannel.push(f.set(sp, f.get(col)));
      for (let i = 0; i < a; i++) {
        perChannel.push(m.v.store(f.get(sp), combine(m, f, w.BT[i]!, x)));
        if (i < a - 1) perChannel.push(f.set(sp, i32.add(f.get(sp), f.get(step))));
      }
      if (j < a - 1) perChannel.push(f.set(col, i32.add(f.get(col), f.get(vSlice))));
    }
    perChannel.push(...p.map((pl) => f.set(pl, i32.add(f.get(pl), f.get(planeBytes)))), f.inc(dp, GEMM_NR * 4));
    return [
      f.set(step, i32.mul(f.get(vSlice), i32.c(a))),
      f.forRange(q, i32.c(0), f.get(nq), 1, [
        ...p.map((pl, l) => f.set(pl, i32.add(f.get(src), i32.load(f.get(tbl), l * 4)))),
        // Quad q fills lanes 4 * (q & 1) of tile block q >> 1.
        f.set(dp, i32.add(f.get(dst), i32.add(i32.mul(i32.shl(i32.divS(f.get(q), i32.c(2)), i32.c(5)), f.get(C)), i32.mul(i32.and(f.get(q), i32.c(1)), i32.c(16))))),
        f.forRange(c, i32.c(0), f.get(C), 1, perChannel),
        f.inc(tbl, 16),
      ]),
    ];
  });
}

/**
 * Output transform of one tile group, with the epilogue. Parameters: src (M), out (the batch
 * item's output), bias, res (the batch item's residual), tbl (output byte offsets of the
 * group's first tile), nq, tmp, Cout, planeBytes and rowBytes of the output, mRowBytes
 * (bytes between M's rows), mSlice (bytes between M's xi-slices).
 */
function outputTransformFunction(ctx: KernelContext, s: ConvSpec, w: WinogradMatrices): string {
  const key = { m: w.m, act: activationKey(s.activation), res: s.residual };
  return ctx.fn('winograd_out', key, Array<'i32'>(12).fill('i32'), (f) => {
    const m = ctx.m;
    const i32 = m.i32;
    const [src, out, bias, res, tbl, nq, tmp, Cout, planeBytes, rowBytes, mRowBytes, mSlice] = Array.from({ length: 12 }, (_, i) => f.param(i));
    const a = w.a;
    const tm = w.m;
    const co = f.local('i32');
    const q = f.local('i32');
    const mp = f.local('i32');
    const tp = f.local('i32');
    const coOff = f.local('i32');
    const b = f.local('v128');
    const y = f.local('v128');
    const o = [0, 1, 2, 3].map(() => f.local('i32'));
    const r = [0, 1, 2, 3].map(() => f.local('i32'));
    // Byte offset of output row i of a tile (i < m), computed once.
    const rowOff = Array.from({ length: tm }, () => f.local('i32'));
    const x = Array.from({ length: a }, () => f.local('v128'));
    const perQuad: Expr[] = [
      f.set(tp, i32.add(f.get(tbl!), i32.shl(f.get(q), i32.c(4)))),
      ...o.map((ol, l) => f.set(ol, i32.add(i32.add(f.get(out!), f.get(coOff)), i32.load(f.get(tp), l * 4)))),
      ...(s.residual ? r.map((rl, l) => f.set(rl, i32.add(i32.add(f.get(res!), f.get(coOff)), i32.load(f.get(tp), l * 4)))) : []),
      f.set(mp, i32.add(f.get(src!), i32.add(i32.mul(f.get(co), f.get(mRowBytes!)), i32.shl(f.get(q), i32.c(4))))),
    ];
    // Rows: tmp[k][j] = sum_l M[k][l] AT[j][l]; M's slices k * a + l follow one another.
    for (let k = 0; k < a; k++) {
      for (let l = 0; l < a; l++) {
        perQuad.push(f.set(x[l]!, m.v.load(f.get(mp))));
        if (k < a - 1 || l < a - 1) perQuad.push(f.set(mp, i32.add(f.get(mp), f.get(mSlice!))));
      }
      for (let j = 0; j < tm; j++) perQuad.push(m.v.store(f.get(tmp!), combine(m, f, w.AT[j]!, x), (k * tm + j) * 16));
    }
    // Columns: Y[i][j] = sum_k AT[i][k] tmp[k][j], then the epilogue and four lane stores.
    for (let j = 0; j < tm; j++) {
      for (let k = 0; k < a; k++) perQuad.push(f.set(x[k]!, m.v.load(f.get(tmp!), (k * tm + j) * 16)));
      for (let i = 0; i < tm; i++) {
        const at = (base: Local): Expr => (i === 0 ? f.get(base) : i32.add(f.get(base), f.get(rowOff[i]!)));
        perQuad.push(f.set(y, m.v.add(combine(m, f, w.AT[i]!, x), f.get(b))));
        if (s.residual) {
          let rv = m.v.load32Zero(at(r[0]!), j * 4);
          for (let l = 1; l < 4; l++) rv = m.v.load32Lane(at(r[l]!), rv, l, j * 4);
          perQuad.push(f.set(y, m.v.add(f.get(y), rv)));
        }
        if (s.activation) perQuad.push(f.set(y, applyActivation(m, f, y, s.activation, (h) => ctx.helper(h))));
        for (let l = 0; l < 4; l++) perQuad.push(m.v.store32Lane(at(o[l]!), f.get(y), l, j * 4));
      }
    }
    return [
      ...rowOff.map((ro, i) => f.set(ro, i32.mul(f.get(rowBytes!), i32.c(i)))),
      f.forRange(co, i32.c(0), f.get(Cout!), 1, [
        f.set(b, m.v.load32Splat(i32.add(f.get(bias!), i32.shl(f.get(co), i32.c(2))))),
        f.set(coOff, i32.mul(f.get(co), f.get(planeBytes!))),
        f.forRange(q, i32.c(0), f.get(nq!), 1, perQuad),
      ]),
    ];
  });
}

/**
 * The filter transform, run once when the module starts (so that the download holds the 3x3
 * weights, not the a^2 / 9 times larger transformed ones). Parameters: g (PyTorch layout
 * [Cout, C, 3, 3]), u (packed [a^2][Cout / 4][C][4], the micro-kernel's weight layout), C,
 * full (blocks of 4 output channels without a tail), uSlice (bytes per xi-slice of u). Four
 * output channels per vector, gathered lane by lane; `tail` lanes in the last block, the
 * others zero.
 */
function filterTransformFunction(ctx: KernelContext, w: WinogradMatrices, tail: number): string {
  return ctx.fn('winograd_filter', { m: w.m, tail }, ['i32', 'i32', 'i32', 'i32', 'i32'], (f) => {
    const m = ctx.m;
    const i32 = m.i32;
    const [g, u, C, full, uSlice] = Array.from({ length: 5 }, (_, i) => f.param(i));
    const a = w.a;
    const cb = f.local('i32');
    const ci = f.local('i32');
    const p = [0, 1, 2, 3].map(() => f.local('i32'));
    const tap = Array.from({ length: 3 }, () => f.local('v128'));
    const gg = Array.from({ length: a * 3 }, () => f.local('v128'));
    const row = Array.from({ length: 3 }, () => f.local('v128'));
    const channelBody = (lanes: number): Expr[] => {
      const body: Expr[] = [];
      const gather = (off: number): Expr => {
        let v = m.v.load32Zero(f.get(p[0]!), off);
        for (let l = 1; l < lanes; l++) v = m.v.load32Lane(f.get(p[l]!), v, l, off);
        return v;
      };
      // gg = G g, one column c of g at a time.
      for (let c = 0; c < 3; c++) {
        for (let rr = 0; rr < 3; rr++) body.push(f.set(tap[rr]!, gather((rr * 3 + c) * 4)));
        for (let i = 0; i < a; i++) body.push(f.set(gg[i * 3 + c]!, combine(m, f, w.G[i]!, tap)));
      }
      // U = gg G^T.
      for (let i = 0; i < a; i++) {
        for (let c = 0; c < 3; c++) body.push(f.set(row[c]!, f.get(gg[i * 3 + c]!)));
        for (let j = 0; j < a; j++) body.push(m.v.store(i32.add(f.get(u!), i32.mul(f.get(uSlice!), i32.c(i * a + j))), combine(m, f, w.G[j]!, row)));
      }
      body.push(...p.slice(0, lanes).map((pl) => f.inc(pl, 36)), f.inc(u!, GEMM_MR * 4));
      return body;
    };
    // `block()` makes a fresh expression per use: binaryen trees must not share nodes.
    const setPointers = (block: () => Expr, lanes: number): Expr[] =>
      p.slice(0, lanes).map((pl, l) => f.set(pl, i32.add(f.get(g!), i32.mul(i32.add(i32.shl(block(), i32.c(2)), i32.c(l)), i32.mul(f.get(C!), i32.c(36))))));
    const out: Expr[] = [f.forRange(cb, i32.c(0), f.get(full!), 1, [...setPointers(() => f.get(cb), 4), f.forRange(ci, i32.c(0), f.get(C!), 1, channelBody(4))])];
    if (tail > 0) out.push(...setPointers(() => f.get(full!), tail), f.forRange(ci, i32.c(0), f.get(C!), 1, channelBody(tail)));
    return out;
  });
}

/** Tile origins as byte offsets, input (padded plane) and output, padded to a multiple of 8. */
function tileTables(s: ConvSpec, tm: number): { input: Int32Array; output: Int32Array; tiles: number } {
  const [, OH, OW] = s.outDims;
  const [, , IW] = s.inDims;
  const th = tilesAlong(OH, tm);
  const tw = tilesAlong(OW, tm);
  const tiles = th * tw;
  const padded = Math.ceil(tiles / GEMM_NR) * GEMM_NR;
  const input = new Int32Array(padded);
  const output = new Int32Array(padded);
  for (let t = 0; t < padded; t++) {
    const u = Math.min(t, tiles - 1);
    const y0 = tileStart(Math.floor(u / tw), OH, tm);
    const x0 = tileStart(u % tw, OW, tm);
    input[t] = (y0 * IW + x0) * 4;
    output[t] = (y0 * OW + x0) * 4;
  }
  return { input, output, tiles: padded };
}

/** Statements of `run()` computing the conv with Winograd F(tm x tm, 3x3). */
export function emitWinogradConv(ctx: KernelContext, s: ConvSpec, ops: ConvOperands, tm: WinogradTile): Expr[] {
  const m = ctx.m;
  const i32 = m.i32;
  const w = winogradMatrices(tm);
  const a2 = w.a * w.a;
  const tables = tileTables(s, tm);
  const blocksTotal = tables.tiles / GEMM_NR;
  const G = tileBlocksPerGroup(blocksTotal, s.C, s.Cout, w.a);
  // Bytes between the xi-slices of V ([G][C][8] each) and of M ([Cout][G * 8] each).
  const L = { vSlice: G * s.C * GEMM_NR * 4, mSlice: s.Cout * G * GEMM_NR * 4 };
  const full = Math.floor(s.Cout / GEMM_MR);
  const tail = s.Cout - full * GEMM_MR;
  const cblocks = Math.ceil(s.Cout / GEMM_MR);
  const uBytes = a2 * cblocks * s.C * GEMM_MR * 4;
  let uPtr: number;
  if (ctx.derived && ctx.prepare) {
    uPtr = ctx.derived(uBytes);
    const gPtr = ctx.constant(ops.weight, 'weight');
    ctx.prepare([m.call(filterTransformFunction(ctx, w, tail), [i32.c(gPtr), i32.c(uPtr), i32.c(s.C), i32.c(full), i32.c(cblocks * s.C * GEMM_MR * 4)])]);
  } else {
    const U = transformFilters(ops.weight, s.Cout, s.C, w);
    const packed = new Float32Array(uBytes / 4);
    U.forEach((u, xi) => packed.set(packConvWeights({ cout: s.Cout, groups: 1, cig: s.C, taps: 1 }, u, GEMM_MR), xi * cblocks * s.C * GEMM_MR));
    uPtr = ctx.constant(packed, 'weight');
  }
  const bPtr = ctx.constant(ops.bias, 'weight');
  const inTbl = ctx.constant(tables.input, 'table');
  const outTbl = ctx.constant(tables.output, 'table');
  const vPtr = ctx.scratch(a2 * L.vSlice);
  const mPtr = ctx.scratch(a2 * L.mSlice);
  const tmpPtr = ctx.scratch(a2 * 16);
  const inFn = inputTransformFunction(ctx, w);
  const outFn = outputTransformFunction(ctx, s, w);
  const groups = Math.ceil(blocksTotal / G);
  const planeIn = s.inDims[1] * s.inDims[2];
  const planeOut = s.outDims[1] * s.outDims[2];

  const key = { m: tm, C: s.C, Cout: s.Cout, N: s.N, planeIn, planeOut, outBatchStride: s.outBatchStride, G, blocksTotal, res: s.residual, act: activationKey(s.activation) };
  const driver = ctx.fn('conv_winograd', key, ['i32', 'i32', 'i32', 'i32', 'i32', 'i32', 'i32', 'i32', 'i32', 'i32'], (f) => {
    const [x, u, bias, out, res, v, mm, tmp, itbl, otbl] = Array.from({ length: 10 }, (_, i) => f.param(i));
    const n = f.local('i32');
    const g = f.local('i32');
    const nb = f.local('i32');
    const xi = f.local('i32');
    const cb = f.local('i32');
    const tb = f.local('i32');
    const xn = f.local('i32');
    const outN = f.local('i32');
    const resN = f.local('i32');
    const gemm = (rows: number, block: () => Expr): Expr => {
      const mk = microKernelFunction(ctx, { rows, accumulate: false, epilogue: false, residual: false, dstRowBytes: G * GEMM_NR * 4 });
      return f.forRange(tb, i32.c(0), f.get(nb!), 1, [
        m.call(mk, [
          // panel V[xi][tb]
          i32.add(f.get(v!), i32.add(i32.mul(f.get(xi), i32.c(L.vSlice)), i32.mul(f.get(tb), i32.c(s.C * GEMM_NR * 4)))),
          // weights U[xi][block]
          i32.add(f.get(u!), i32.mul(i32.add(i32.mul(f.get(xi), i32.c(cblocks)), block()), i32.c(s.C * GEMM_MR * 4))),
          // M[xi][block rows][tb * 8]
          i32.add(f.get(mm!), i32.add(i32.add(i32.mul(f.get(xi), i32.c(L.mSlice)), i32.mul(block(), i32.c(GEMM_MR * G * GEMM_NR * 4))), i32.mul(f.get(tb), i32.c(GEMM_NR * 4)))),
          i32.c(0),
          i32.c(0),
          i32.c(s.C),
        ]),
      ]);
    };
    const products: Expr[] = [];
    if (full > 0) products.push(f.for(cb, 0, full, 1, [gemm(GEMM_MR, () => f.get(cb))]));
    if (tail > 0) products.push(gemm(tail, () => i32.c(full)));
    return [
      f.for(n, 0, s.N, 1, [
        f.set(xn, i32.add(f.get(x!), i32.mul(f.get(n), i32.c(s.C * planeIn * 4)))),
        f.set(outN, i32.add(f.get(out!), i32.mul(f.get(n), i32.c(s.outBatchStride * 4)))),
        f.set(resN, i32.add(f.get(res!), i32.mul(f.get(n), i32.c(s.Cout * planeOut * 4)))),
        f.for(g, 0, groups, 1, [
          // Tile blocks in this group: G, fewer in the last.
          f.set(nb, i32.sub(i32.c(blocksTotal), i32.mul(f.get(g), i32.c(G)))),
          f.set(nb, m.select(i32.gtS(f.get(nb), i32.c(G)), i32.c(G), f.get(nb))),
          m.call(inFn, [
            f.get(xn), f.get(v!), i32.add(f.get(itbl!), i32.mul(f.get(g), i32.c(G * GEMM_NR * 4))), i32.shl(f.get(nb), i32.c(1)), f.get(tmp!),
            i32.c(s.C), i32.c(s.inDims[2] * 4), i32.c(planeIn * 4), i32.c(L.vSlice),
          ]),
          f.for(xi, 0, a2, 1, products),
          m.call(outFn, [
            f.get(mm!), f.get(outN), f.get(bias!), f.get(resN), i32.add(f.get(otbl!), i32.mul(f.get(g), i32.c(G * GEMM_NR * 4))), i32.shl(f.get(nb), i32.c(1)), f.get(tmp!),
            i32.c(s.Cout), i32.c(planeOut * 4), i32.c(s.outDims[2] * 4), i32.c(G * GEMM_NR * 4), i32.c(L.mSlice),
          ]),
        ]),
      ]),
    ];
  });
  const c = (v: number): Expr => i32.c(v);
  return [m.call(driver, [c(ops.x), c(uPtr), c(bPtr), c(ops.out), c(ops.residual), c(vPtr), c(mPtr), c(tmpPtr), c(inTbl), c(outTbl)])];
}

/** The fast path: eligible convs the cost model (or `ctx.winograd`) gives to Winograd. */
export const winogradConvPath: ConvFastPath = (ctx: KernelContext, s: ConvSpec, ops: ConvOperands): Expr[] | undefined => {
  if (!eligible(s)) return undefined;
  const choice = chooseWinograd(ctx.splitOf ? { ...s, Cout: ctx.splitOf.Cout } : s, ctx.winograd ?? 'auto');
  ctx.explain?.(choice.reason);
  if (choice.tile === undefined) return undefined;
  return emitWinogradConv(ctx, s, ops, choice.tile);
};
