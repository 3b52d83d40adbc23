/**
 * Transposed convolution in scatter form, without inserting zeros: each input position and
 * kernel tap adds x * w to output position i * stride - pad + k * dilation (taps landing in
 * the cropped padding are skipped). Accumulation happens in a channels-last scratch buffer
 * [N][outSpatial][groups * C_out/groups rounded up to 4], vectorised over output channels
 * with the input channel loop innermost in registers; a final pass adds the bias, residual
 * and activation and transposes to NC(spatial).
 *
 * Weights are packed at build time from [C_in, C_out/groups, k...] to
 * [C_in][k][C_out/groups rounded up to 4].
 */
import type { ConvTransposeAttrs } from '../../ops/attrs.ts';
import type { Expr } from '../module.ts';
import { activationKey, applyActivation } from './activation.ts';
import { to3 } from './axes.ts';
import { lowerConvTransposeFast } from './conv-transpose-fast.ts';
import { lowerConvTransposeGemv } from './conv-transpose-gemv.ts';
import type { Epilogue } from '../../ir/graph.ts';
import { epilogueFormula } from '../../ops/activations.ts';
import type { LowerArgs } from './types.ts';

export function lowerConvTranspose(args: LowerArgs<ConvTransposeAttrs & { epilogue?: Epilogue }>): Expr[] {
  // Stride phases as matrix products (conv-transpose-fast.ts) when they apply, unless the
  // build asks for the plain kernels only (tests compare both paths).
  const fast = args.ctx.fastPaths === false ? undefined : (lowerConvTransposeGemv(args) ?? lowerConvTransposeFast(args));
  if (fast) return fast;
  const { attrs, inputs, output, params, ctx } = args;
  const m = ctx.m;
  const x = inputs[0]!;
  const ep = attrs.epilogue;
  // The residual operand is the node's last input (ir/annotations.ts).
  const residual = ep?.residual && inputs.length > 1 ? inputs[inputs.length - 1] : undefined;
  const act = epilogueFormula(ep);
  const [N, C] = x.shape as [number, number];
  const Cout = output.shape[1]!;
  const G = attrs.groups;
  const cig = C / G;
  const cog = Cout / G;
  const cogPad = Math.ceil(cog / 4) * 4;
  const inSp = to3(x.shape.slice(2), 1);
  const outSp = to3(output.shape.slice(2), 1);
  const K = to3(attrs.kernel, 1);
  const S = to3(attrs.stride, 1);
  const P = to3(attrs.pad, 0);
  const D = to3(attrs.dilation, 1);
  const kvol = K[0] * K[1] * K[2];
  const planeIn = inSp[0] * inSp[1] * inSp[2];
  const planeOut = outSp[0] * outSp[1] * outSp[2];
  const rowAcc = G * cogPad;

  const w = params['weight']!.data;
  const packed = new Float32Array(C * kvol * cogPad);
  for (let ci = 0; ci < C; ci++) for (let co = 0; co < cog; co++) for (let k = 0; k < kvol; k++) {
    packed[(ci * kvol + k) * cogPad + co] = w[(ci * cog + co) * kvol + k]!;
  }
  const bias = params['bias']?.data ?? new Float32Array(Cout);
  const scratch = ctx.scratch(N * planeOut * rowAcc * 4);

  const spec = { N, C, Cout, G, inSp, outSp, K, S, P, D, act: activationKey(act), residual: !!residual, obs: output.batchStride };
  const name = ctx.fn('conv_transpose', spec, ['i32', 'i32', 'i32', 'i32', 'i32', 'i32'], (f) => {
    const i32 = m.i32;
    const xp0 = f.param(0);
    const wp0 = f.param(1);
    const bp = f.param(2);
    const out = f.param(3);
    const res = f.param(4);
    const acc0 = f.param(5);
    const n = f.local('i32');
    const ii = [f.local('i32'), f.local('i32'), f.local('i32')];
    const kk = [f.local('i32'), f.local('i32'), f.local('i32')];
    const oo = [f.local('i32'), f.local('i32'), f.local('i32')];
    const g = f.local('i32');
    const cb = f.local('i32');
    const ci = f.local('i32');
    const pa = f.local('i32');
    const pw = f.local('i32');
    const px = f.local('i32');
    const acc = f.local('v128');
    const co = f.local('i32');
    const o = f.local('i32');
    const v = f.local('v128');
    const c = i32.c;

    // Scatter: out position per axis o = i*s - p + k*d, skipped when outside [0, O).
    const inBounds = (a: number): Expr => i32.ltU(f.get(oo[a]!), c(outSp[a]!));
    const tapBody: Expr[] = [
      f.for(g, 0, G, 1, [
        f.for(cb, 0, cogPad, 4, [
          f.set(pa, i32.add(f.get(acc0), i32.shl(i32.add(i32.add(
            i32.mul(i32.add(i32.mul(f.get(n), c(planeOut)), i32.add(i32.mul(f.get(oo[0]!), c(outSp[1] * outSp[2])), i32.add(i32.mul(f.get(oo[1]!), c(outSp[2])), f.get(oo[2]!)))), c(rowAcc)),
            i32.mul(f.get(g), c(cogPad))), f.get(cb)), c(2)))),
          f.set(pw, i32.add(f.get(wp0), i32.shl(i32.add(i32.mul(i32.add(i32.mul(i32.mul(f.get(g), c(cig)), c(kvol)),
            i32.add(i32.mul(f.get(kk[0]!), c(K[1] * K[2])), i32.add(i32.mul(f.get(kk[1]!), c(K[2])), f.get(kk[2]!)))), c(cogPad)), f.get(cb)), c(2)))),
          f.set(px, i32.add(f.get(xp0), i32.shl(i32.add(
            i32.mul(i32.add(i32.mul(f.get(n), c(C)), i32.mul(f.get(g), c(cig))), c(planeIn)),
            i32.add(i32.mul(f.get(ii[0]!), c(inSp[1] * inSp[2])), i32.add(i32.mul(f.get(ii[1]!), c(inSp[2])), f.get(ii[2]!)))), c(2)))),
          f.set(acc, m.v.load(f.get(pa))),
          f.for(ci, 0, cig, 1, [
            f.set(acc, m.v.add(f.get(acc), m.v.mul(m.v.load32Splat(f.get(px)), m.v.load(f.get(pw))))),
            f.inc(px, planeIn * 4),
            f.inc(pw, kvol * cogPad * 4),
          ]),
          m.v.store(f.get(pa), f.get(acc)),
        ]),
      ]),
    ];
    let taps: Expr[] = tapBody;
    for (let a = 2; a >= 0; a--) {
      taps = [f.for(kk[a]!, 0, K[a]!, 1, [
        f.set(oo[a]!, i32.add(i32.sub(i32.mul(f.get(ii[a]!), c(S[a]!)), c(P[a]!)), i32.mul(f.get(kk[a]!), c(D[a]!)))),
        m.if(inBounds(a), m.block(taps)),
      ])];
    }
    let scatter: Expr[] = taps;
    for (let a = 2; a >= 0; a--) scatter = [f.for(ii[a]!, 0, inSp[a]!, 1, scatter)];

    // Final pass: gather 4 output positions of one channel from the channels-last scratch.
    const vecEnd = (planeOut >> 2) << 2;
    const accAt = (): Expr => i32.add(f.get(acc0), i32.shl(i32.add(i32.add(i32.mul(i32.add(i32.mul(f.get(n), c(planeOut)), f.get(o)), c(rowAcc)),
      i32.mul(i32.divS(f.get(co), c(cog)), c(cogPad))), i32.remS(f.get(co), c(cog))), c(2)));
    const outAt = (): Expr => i32.add(f.get(out), i32.shl(i32.add(i32.add(i32.mul(f.get(n), c(output.batchStride)), i32.mul(f.get(co), c(planeOut))), f.get(o)), c(2)));
    const resAt = (): Expr => i32.add(f.get(res), i32.shl(i32.add(i32.add(i32.mul(f.get(n), c(Cout * planeOut)), i32.mul(f.get(co), c(planeOut))), f.get(o)), c(2)));
    const finish = (lanes: number): Expr[] => {
      const s: Expr[] = [];
      let gather = m.v.load32Zero(accAt());
      for (let l = 1; l < lanes; l++) gather = m.v.load32Lane(accAt(), gather, l, l * rowAcc * 4);
      s.push(f.set(v, m.v.add(gather, m.v.load32Splat(i32.add(f.get(bp), i32.shl(f.get(co), c(2)))))));
      if (residual) s.push(f.set(v, m.v.add(f.get(v), lanes === 4 ? m.v.load(resAt()) : m.v.load32Zero(resAt()))));
      if (act) s.push(f.set(v, applyActivation(m, f, v, act, (h) => ctx.helper(h))));
      s.push(lanes === 4 ? m.v.store(outAt(), f.get(v)) : m.v.store32Lane(outAt(), f.get(v), 0));
      return s;
    };
    return [
      m.memFill(f.get(acc0), c(0), c(N * planeOut * rowAcc * 4)),
      f.for(n, 0, N, 1, [
        ...scatter,
        f.for(co, 0, Cout, 1, [
          f.for(o, 0, vecEnd, 4, finish(4)),
          f.for(o, vecEnd, planeOut, 1, finish(1)),
        ]),
      ]),
    ];
  });
  return [m.call(name, [m.i32.c(x.ptr), m.i32.c(ctx.constant(packed)), m.i32.c(ctx.constant(bias)), m.i32.c(output.ptr), m.i32.c(residual?.ptr ?? 0), m.i32.c(scratch)])];
}
