/**
 * Transposed convolution of a single input position (a latent vector [N, C, 1, ...]) with no
 * padding: the output is the kernel itself, weighted by the input channels,
 *
 *   out[n, co, k] = bias[co] + sum_ci x[n, ci] * W[ci, co, k]
 *
 * and W's stored layout [C][Cout * taps] is already the output's [Cout][taps] order, so this
 * is a vector-matrix product that streams the weights once, four input channels per pass
 * over the output (which stays in L1). The stride-phase path would compute every tap at
 * every output position, 16x the products for a k4 kernel, and the scatter kernel reads the
 * weights with a stride of Cout * taps floats.
 *
 * Taken for groups 1, padding 0, output padding 0, dilation 1, an input of one position and
 * taps a multiple of 4 (vectors never straddle two output channels).
 */
import type { ConvTransposeAttrs } from '../../ops/attrs.ts';
import type { Expr } from '../module.ts';
import { activationKey, applyActivation } from './activation.ts';
import { to3 } from './axes.ts';
import type { Epilogue } from '../../ir/graph.ts';
import { epilogueFormula } from '../../ops/activations.ts';
import type { LowerArgs } from './types.ts';

/** Statements of `run()`, or undefined when the node is not a one-position projection. */
export function lowerConvTransposeGemv(a: LowerArgs<ConvTransposeAttrs & { epilogue?: Epilogue }>): Expr[] | undefined {
  const { attrs, inputs, output, params, ctx } = a;
  const x = inputs[0]!;
  const [N, C] = x.shape as [number, number];
  const Cout = output.shape[1]!;
  const K = to3(attrs.kernel, 1);
  const taps = K[0] * K[1] * K[2];
  const one = to3(x.shape.slice(2), 1).every((v) => v === 1);
  const outSp = to3(output.shape.slice(2), 1);
  if (!one || attrs.groups !== 1 || taps % 4 !== 0 || C < 1) return undefined;
  if (attrs.pad.some((p) => p !== 0) || attrs.dilation.some((d) => d !== 1) || outSp.some((v, d) => v !== K[d])) return undefined;
  const ep = attrs.epilogue;
  const residual = ep?.residual && inputs.length > 1 ? inputs[inputs.length - 1] : undefined;
  const act = epilogueFormula(ep);
  const J = Cout * taps;
  const m = ctx.m;
  const wPtr = ctx.constant(params['weight']!.data, 'weight');
  const bPtr = ctx.constant(params['bias']?.data ?? new Float32Array(Cout), 'weight');
  const key = { N, C, J, taps, xs: x.batchStride, os: output.batchStride, rs: residual?.batchStride, act: activationKey(act) };
  const fn = ctx.fn('conv_transpose_gemv', key, ['i32', 'i32', 'i32', 'i32', 'i32'], (f) => {
    const i32 = m.i32;
    const xp = f.param(0);
    const w = f.param(1);
    const bias = f.param(2);
    const out = f.param(3);
    const res = f.param(4);
    const n = f.local('i32');
    const ci = f.local('i32');
    const j = f.local('i32');
    const co = f.local('i32');
    const t = f.local('i32');
    const wp = f.local('i32');
    const op = f.local('i32');
    const rp = f.local('i32');
    const xs = [0, 1, 2, 3].map(() => f.local('v128'));
    const a = f.local('v128');
    const b = f.local('v128');
    // One pass over the output per `lanes` input channels: o += sum_l x[ci + l] * W[ci + l][j].
    const pass = (lanes: number): Expr[] => [
      ...xs.slice(0, lanes).map((v, l) => f.set(v, m.v.load32Splat(i32.add(f.get(xp), i32.shl(f.get(ci), i32.c(2))), l * 4))),
      f.set(wp, i32.add(f.get(w), i32.mul(f.get(ci), i32.c(J * 4)))),
      f.set(op, f.get(out)),
      f.for(j, 0, J / 4, 1, [
        f.set(a, m.v.load(f.get(op), 0)),
        ...xs.slice(0, lanes).map((v, l) => f.set(a, m.v.add(f.get(a), m.v.mul(f.get(v), m.v.load(f.get(wp), l * J * 4))))),
        m.v.store(f.get(op), f.get(a), 0),
        f.inc(op, 16),
        f.inc(wp, 16),
      ]),
    ];
    const full = Math.floor(C / 4);
    const body: Expr[] = [m.memFill(f.get(out), i32.c(0), i32.c(J * 4))];
    if (full > 0) body.push(f.for(ci, 0, full * 4, 4, pass(4)));
    if (C % 4) body.push(f.for(ci, full * 4, C, 1, pass(1)));
    // Bias, residual and activation, one output channel (taps / 4 vectors) at a time.
    body.push(
      f.set(op, f.get(out)),
      f.set(rp, f.get(res)),
      f.for(co, 0, Cout, 1, [
        f.set(b, m.v.load32Splat(i32.add(f.get(bias), i32.shl(f.get(co), i32.c(2))))),
        f.for(t, 0, taps / 4, 1, [
          f.set(a, m.v.add(m.v.load(f.get(op), 0), f.get(b))),
          ...(residual ? [f.set(a, m.v.add(f.get(a), m.v.load(f.get(rp), 0))), f.inc(rp, 16)] : []),
          m.v.store(f.get(op), applyActivation(m, f, a, act, (h) => ctx.helper(h)), 0),
          f.inc(op, 16),
        ]),
      ]),
    );
    return [
      f.for(n, 0, N, 1, [
        ...body,
        f.inc(xp, x.batchStride * 4),
        f.inc(out, output.batchStride * 4),
        ...(residual ? [f.inc(res, residual.batchStride * 4)] : []),
      ]),
    ];
  });
  return [m.call(fn, [m.i32.c(x.ptr), m.i32.c(wPtr), m.i32.c(bPtr), m.i32.c(output.ptr), m.i32.c(residual?.ptr ?? 0)])];
}
