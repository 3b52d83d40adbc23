/**
 * Depthwise 2-D convolution (groups = input channels = output channels: MobileNet's 3x3
 * layers), stride 1 or 2, any padding and kernel size, dilation 1.
 *
 * Why a kernel of its own: with one input channel per output channel the matrix-product
 * engine (conv-gemm.ts) has a reduction of only k*k steps and nothing to block over output
 * channels, and the direct kernel splats every weight from memory once per 8 outputs and
 * gathers strided inputs lane by lane. Here one channel is done at a time:
 *
 * - its plane is copied into a small zero-bordered scratch plane (cache-resident, so no
 *   separate padding pass over the whole tensor and no bounds tests in the loop); the border
 *   is cleared once per call and never written again;
 * - its k*k weights are splatted into registers once (up to 9 taps; larger kernels splat
 *   from memory per use, which V8 does as one broadcast load);
 * - stride 1 computes two output rows per step from k+1 input rows, so every input vector
 *   loaded feeds two accumulators (12 loads for 18 multiply-adds at 3x3); at stride 2 two
 *   rows share only one input row of three, and one row per step measured faster;
 * - stride 2 stores each scratch row de-interleaved while copying (the even columns of the
 *   padded row, then the odd ones), so that every tap reads 4 neighbouring floats with one
 *   load: column 2*ox + kx is even[ox + kx/2] or odd[ox + (kx-1)/2]. Shuffling in the inner
 *   loop instead (two loads and a shuffle per tap) ran at 21% of the peak, the shuffles
 *   competing with the multiply-adds for the same ports.
 *
 * Outputs are computed 4 at a time along a row; a row whose width is not a multiple of 4
 * computes its last vector in full (reading into the scratch plane's next row or its slack)
 * and stores only the lanes that exist, so nothing outside the output is written and a
 * residual may alias the output. Epilogue: bias (accumulator start), residual, activation.
 */
import type { Expr, FunctionBuilder, Local } from '../module.ts';
import { activationKey, applyActivation } from './activation.ts';
import type { ConvSpec } from './direct-conv.ts';
import type { KernelContext } from './types.ts';

/** Taps kept in registers: 9 weights + 2 accumulators + temporaries fit V8's 15 xmm registers. */
const REGISTER_TAPS = 9;
/** Floats read past the last padded row by a tail vector (at most 3 lanes + k - 1). */
const SLACK_FLOATS = 32;

export interface DepthwiseSpec {
  N: number;
  C: number;
  /** Unpadded input plane [H, W], padding before and after per axis. */
  inH: number;
  inW: number;
  padTop: number;
  padLeft: number;
  padBottom: number;
  padRight: number;
  outH: number;
  outW: number;
  kH: number;
  kW: number;
  stride: 1 | 2;
  activation: ConvSpec['activation'];
  residual: boolean;
  outBatchStride: number;
}

/** The depthwise spec of a normalised conv, or undefined when this kernel does not take it. */
export function depthwiseSpec(s: ConvSpec, inDims: [number, number, number], begin: [number, number, number], end: [number, number, number]): DepthwiseSpec | undefined {
  const depthwise = s.groups > 1 && s.groups === s.C && s.Cout === s.C;
  const twoD = inDims[0] === 1 && s.kernel[0] === 1 && begin[0] === 0 && end[0] === 0;
  const stride = s.stride[1];
  if (!depthwise || !twoD || s.dilation.some((d) => d !== 1) || stride !== s.stride[2] || (stride !== 1 && stride !== 2)) return undefined;
  // A kernel wider than its padded input is an odd case left to the direct kernel.
  if (s.kernel[1] > s.inDims[1] || s.kernel[2] > s.inDims[2]) return undefined;
  return {
    N: s.N,
    C: s.C,
    inH: inDims[1],
    inW: inDims[2],
    padTop: begin[1],
    padLeft: begin[2],
    padBottom: end[1],
    padRight: end[2],
    outH: s.outDims[1],
    outW: s.outDims[2],
    kH: s.kernel[1],
    kW: s.kernel[2],
    stride,
    activation: s.activation,
    residual: s.residual,
    outBatchStride: s.outBatchStride,
  };
}

/** Floats per scratch row: the padded row, or (stride 2) its even then its odd columns. */
function scratchPitch(d: DepthwiseSpec): number {
  const PW = d.inW + d.padLeft + d.padRight;
  return d.stride === 1 ? PW : 2 * Math.ceil(PW / 2);
}

/** Bytes of the per-channel scratch plane. */
export function depthwiseScratchBytes(d: DepthwiseSpec): number {
  return ((d.inH + d.padTop + d.padBottom) * scratchPitch(d) + SLACK_FLOATS) * 4;
}

/** The kernel function; parameters: x (unpadded), w [C, kH, kW], b [C], out, res, scratch (byte addresses). */
export function depthwiseConvFunction(ctx: KernelContext, d: DepthwiseSpec): string {
  return ctx.fn('conv_depthwise', { ...d, activation: activationKey(d.activation) }, ['i32', 'i32', 'i32', 'i32', 'i32', 'i32'], (f) => emitDepthwise(ctx, f, d));
}

/** Lanes 0 and 2 of two vectors (the even floats of 8), and lanes 1 and 3. */
const EVEN = [0, 1, 2, 3, 8, 9, 10, 11, 16, 17, 18, 19, 24, 25, 26, 27];
const ODD = [4, 5, 6, 7, 12, 13, 14, 15, 20, 21, 22, 23, 28, 29, 30, 31];

function emitDepthwise(ctx: KernelContext, f: FunctionBuilder, d: DepthwiseSpec): Expr[] {
  const m = ctx.m;
  const i32 = m.i32;
  const c = (k: number): Expr => i32.c(k);
  const PW = scratchPitch(d);
  const half = PW / 2;
  const planeOut = d.outH * d.outW;
  const taps = d.kH * d.kW;
  const [x, w, b, out, res, pad] = [0, 1, 2, 3, 4, 5].map((i) => f.param(i)) as [Local, Local, Local, Local, Local, Local];
  const n = f.local('i32');
  const ch = f.local('i32');
  const y = f.local('i32');
  const ox = f.local('i32');
  const oy = f.local('i32');
  const src = f.local('i32');
  const dst = f.local('i32');
  const inRow = f.local('i32');
  const outRow = f.local('i32');
  const resRow = f.local('i32');
  const wCh = f.local('i32');
  const biasV = f.local('v128');
  const inRegs = taps <= REGISTER_TAPS;
  const wv = inRegs ? Array.from({ length: taps }, () => f.local('v128')) : [];
  const acc = [f.local('v128'), f.local('v128')];
  const t = [f.local('v128'), f.local('v128'), f.local('v128')];

  const weight = (tap: number): Expr => (inRegs ? f.get(wv[tap]!) : m.v.load32Splat(f.get(wCh), tap * 4));

  /** Copy the channel's rows into the scratch plane's interior: vectors, then the odd floats. */
  const copyPlane = (): Expr[] => {
    const row = d.stride === 1 ? copyRow() : splitRow();
    return [
      f.set(dst, i32.add(f.get(pad), c(d.padTop * PW * 4))),
      f.for(y, 0, d.inH, 1, [...row, f.inc(src, d.inW * 4), f.inc(dst, PW * 4)]),
    ];
  };

  const copyRow = (): Expr[] => {
    const vecs = d.inW - (d.inW % 4);
    const at = d.padLeft * 4;
    const tail: Expr[] = [];
    for (let k = vecs; k < d.inW; k++) tail.push(m.f32.store(f.get(dst), m.f32.load(f.get(src), k * 4), at + k * 4));
    // Long rows loop over vectors instead of unrolling them.
    if (vecs > 64) {
      const p = (base: Local): Expr => i32.add(f.get(base), i32.shl(f.get(ox), c(2)));
      return [f.for(ox, 0, vecs, 4, [m.v.store(p(dst), m.v.load(p(src)), at)]), ...tail];
    }
    const row: Expr[] = [];
    for (let k = 0; k < vecs; k += 4) row.push(m.v.store(f.get(dst), m.v.load(f.get(src), k * 4), at + k * 4));
    return [...row, ...tail];
  };

  /**
   * Input column j lands at padded column p = j + padLeft: at even[p/2] or odd[(p-1)/2]. Eight
   * inputs at a time give one vector of each parity; which half each goes to depends on the
   * parity of padLeft.
   */
  const splitRow = (): Expr[] => {
    const octs = d.inW - (d.inW % 8);
    const q = d.padLeft >> 1;
    const evenAt = d.padLeft % 2 === 0 ? q * 4 : (half + q) * 4;
    const oddAt = d.padLeft % 2 === 0 ? (half + q) * 4 : (q + 1) * 4;
    const tail: Expr[] = [];
    for (let j = octs; j < d.inW; j++) {
      const p = j + d.padLeft;
      tail.push(m.f32.store(f.get(dst), m.f32.load(f.get(src), j * 4), (p % 2 === 0 ? p / 2 : half + (p - 1) / 2) * 4));
    }
    const p = (base: Local, shift: number): Expr => i32.add(f.get(base), i32.shl(f.get(ox), c(shift)));
    // ox counts input floats; destination offsets advance by half as much.
    return [
      f.for(ox, 0, octs, 8, [
        f.set(t[0]!, m.v.load(p(src, 2))),
        f.set(t[1]!, m.v.load(p(src, 2), 16)),
        m.v.store(p(dst, 1), m.v.shuffle(f.get(t[0]!), f.get(t[1]!), EVEN), evenAt),
        m.v.store(p(dst, 1), m.v.shuffle(f.get(t[0]!), f.get(t[1]!), ODD), oddAt),
      ]),
      ...tail,
    ];
  };

  /** Residual, activation and store of accumulator `a` at `row` + 4*ox floats; `lanes` < 4 stores a tail. */
  const finish = (a: Local, row: Local, rRow: Local, lanes: number): Expr[] => {
    const stmts: Expr[] = [];
    const at = (base: Local): Expr => i32.add(f.get(base), i32.shl(f.get(ox), c(2)));
    if (d.residual) {
      let r = m.v.load32Zero(at(rRow));
      for (let l = 1; l < lanes; l++) r = m.v.load32Lane(at(rRow), r, l, l * 4);
      stmts.push(f.set(a, m.v.add(f.get(a), lanes === 4 ? m.v.load(at(rRow)) : r)));
    }
    if (d.activation) stmts.push(f.set(a, applyActivation(m, f, a, d.activation, (h) => ctx.helper(h))));
    if (lanes === 4) stmts.push(m.v.store(at(row), f.get(a)));
    else for (let l = 0; l < lanes; l++) stmts.push(m.v.store32Lane(at(row), f.get(a), l, l * 4));
    return stmts;
  };

  /**
   * One vector of outputs in `rows` (1 or 2) consecutive output rows at column ox; inRow points at the first input row, output rows at outRow (+ planeW).
   */
  const vectorStep = (rows: number, lanes: number): Expr[] => {
    const stmts: Expr[] = [];
    // Stride 2 reads the de-interleaved halves of the scratch rows at ox.
    const xAt = (): Expr => i32.add(f.get(inRow), i32.shl(f.get(ox), c(2)));
    for (let r = 0; r < rows; r++) stmts.push(f.set(acc[r]!, f.get(biasV)));
    const inputRows = (rows - 1) * d.stride + d.kH;
    for (let ir = 0; ir < inputRows; ir++) {
      const rowOff = ir * PW * 4;
      for (let kx = 0; kx < d.kW; kx++) {
        // Stride 2: column 2*ox + kx of the padded row is even[ox + kx/2] or odd[ox + (kx-1)/2].
        const col = d.stride === 1 ? kx : kx % 2 === 0 ? kx / 2 : half + (kx - 1) / 2;
        stmts.push(f.set(t[0]!, m.v.load(xAt(), rowOff + col * 4)));
        for (let r = 0; r < rows; r++) {
          const ky = ir - r * d.stride;
          if (ky < 0 || ky >= d.kH) continue;
          stmts.push(f.set(acc[r]!, m.v.madd(f.get(t[0]!), weight(ky * d.kW + kx), f.get(acc[r]!))));
        }
      }
    }
    for (let r = 0; r < rows; r++) {
      if (r === 0) stmts.push(...finish(acc[0]!, outRow, resRow, lanes));
      else {
        // The second row's addresses: one output row further.
        stmts.push(f.inc(outRow, d.outW * 4), f.inc(resRow, d.outW * 4));
        stmts.push(...finish(acc[r]!, outRow, resRow, lanes));
        stmts.push(f.inc(outRow, -d.outW * 4), f.inc(resRow, -d.outW * 4));
      }
    }
    return stmts;
  };

  const full = d.outW - (d.outW % 4);
  const rowLoop = (rows: number): Expr[] => {
    const stmts: Expr[] = [f.for(ox, 0, full, 4, vectorStep(rows, 4))];
    if (d.outW > full) stmts.push(f.set(ox, c(full)), m.block(vectorStep(rows, d.outW - full)));
    return stmts;
  };

  const rowsPerStep = d.stride === 1 ? 2 : 1;
  const pairs = d.outH - (d.outH % rowsPerStep);
  const setRows = (): Expr[] => [
    f.set(inRow, i32.add(f.get(pad), i32.mul(f.get(oy), c(d.stride * PW * 4)))),
    f.set(outRow, i32.add(i32.add(f.get(out), i32.mul(f.get(n), c(d.outBatchStride * 4))), i32.add(i32.mul(f.get(ch), c(planeOut * 4)), i32.mul(f.get(oy), c(d.outW * 4))))),
    f.set(resRow, i32.add(i32.add(f.get(res), i32.mul(f.get(n), c(d.C * planeOut * 4))), i32.add(i32.mul(f.get(ch), c(planeOut * 4)), i32.mul(f.get(oy), c(d.outW * 4))))),
  ];
  const channel: Expr[] = [
    ...copyPlane(),
    f.set(wCh, i32.add(f.get(w), i32.mul(f.get(ch), c(taps * 4)))),
    ...wv.map((l, k) => f.set(l, m.v.load32Splat(f.get(wCh), k * 4))),
    f.set(biasV, m.v.load32Splat(i32.add(f.get(b), i32.shl(f.get(ch), c(2))))),
    f.for(oy, 0, pairs, rowsPerStep, [...setRows(), ...rowLoop(rowsPerStep)]),
  ];
  if (pairs < d.outH) channel.push(f.set(oy, c(pairs)), ...setRows(), ...rowLoop(1));
  return [
    // The border (and slack) of the scratch plane stays zero: only the interior is rewritten.
    m.memFill(f.get(pad), c(0), c(depthwiseScratchBytes(d))),
    f.set(src, f.get(x)),
    f.for(n, 0, d.N, 1, [f.for(ch, 0, d.C, 1, channel)]),
  ];
}
