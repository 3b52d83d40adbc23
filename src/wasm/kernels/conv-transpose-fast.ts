/**
 * Transposed convolution without inserting zeros, by stride phases: along an axis with
 * stride s, pad p and kernel k, the outputs o with (o + p) mod s = r only receive the taps
 * k = r + s*t, from inputs i = q - t where o = s*q + r - p. Each phase is therefore a plain
 * stride-1 correlation of the input with a sub-kernel of ceil((k - r) / s) taps (flipped),
 * whose results land in the output with step s (conv-gemm.ts does both). Across 2 or 3
 * axes the phases are the combinations of the per-axis ones (4 for k4 s2 in 2-D, 8 for
 * k2 s2 in 3-D).
 *
 * The input is padded once (pad.ts) by the most any phase needs; each phase starts at its
 * own offset inside the padded planes. Every output position belongs to exactly one phase,
 * so bias, residual and activation are applied once, in the phase's scatter.
 *
 * Taken for dilation 1 when every phase has at least one tap and the engine fits each
 * phase; otherwise undefined (the scatter kernel in transposed-conv.ts runs).
 */
import type { ConvTransposeAttrs } from '../../ops/attrs.ts';
import type { Expr } from '../module.ts';
import { emitGemmConv, gemmConvFits, gemmConvScratch, type GemmConvPlan } from './conv-gemm.ts';
import { to3, type Triple } from './axes.ts';
import { padFunction } from './pad.ts';
import type { Epilogue } from '../../ir/graph.ts';
import { epilogueFormula } from '../../ops/activations.ts';
import type { LowerArgs } from './types.ts';

interface AxisPhase {
  r: number;
  /** Taps of the phase, first computed position q0, and positions computed. */
  taps: number;
  q0: number;
  count: number;
  /** Padding the phase's correlation needs before the input (may be negative). */
  padLow: number;
}

function axisPhases(I: number, O: number, k: number, s: number, p: number): AxisPhase[] | undefined {
  const out: AxisPhase[] = [];
  for (let r = 0; r < s; r++) {
    const q0 = Math.ceil((p - r) / s);
    const q1 = Math.floor((O - 1 + p - r) / s);
    const count = q1 - q0 + 1;
    if (count <= 0) continue;
    const taps = r < k ? Math.ceil((k - r) / s) : 0;
    // Outputs no tap reaches would need the bias alone: left to the general kernel.
    if (taps === 0) return undefined;
    out.push({ r, taps, q0, count, padLow: taps - 1 - q0 });
  }
  return I > 0 ? out : undefined;
}

/** Statements of `run()` for the transposed conv, or undefined when the phases do not apply. */
export function lowerConvTransposeFast(a: LowerArgs<ConvTransposeAttrs & { epilogue?: Epilogue }>): Expr[] | undefined {
  const { attrs, inputs, output, params, ctx } = a;
  if (attrs.dilation.some((d) => d !== 1)) return undefined;
  const x = inputs[0]!;
  const ep = attrs.epilogue;
  const residual = ep?.residual && inputs.length > 1 ? inputs[inputs.length - 1] : undefined;
  const [N, C] = x.shape as [number, number];
  const Cout = output.shape[1]!;
  const G = attrs.groups;
  const cig = C / G;
  const cog = Cout / G;
  const inSp = to3(x.shape.slice(2), 1);
  const outSp = to3(output.shape.slice(2), 1);
  const K = to3(attrs.kernel, 1);
  const S = to3(attrs.stride, 1);
  const P = to3(attrs.pad, 0);

  const axes: AxisPhase[][] = [];
  for (let d = 0; d < 3; d++) {
    const ph = axisPhases(inSp[d]!, outSp[d]!, K[d]!, S[d]!, P[d]!);
    if (!ph || ph.length === 0) return undefined;
    axes.push(ph);
  }
  const begin = axes.map((ph) => Math.max(0, ...ph.map((q) => q.padLow))) as Triple;
  const end = axes.map((ph, d) => Math.max(0, ...ph.map((q) => begin[d]! - q.padLow + q.count + q.taps - 1)) - inSp[d]! - begin[d]!).map((v) => Math.max(0, v)) as Triple;
  const padded = inSp.map((v, d) => v + begin[d]! + end[d]!) as Triple;

  const activation = epilogueFormula(ep);
  const plans: { plan: GemmConvPlan; phase: AxisPhase[] }[] = [];
  for (const pz of axes[0]!) for (const py of axes[1]!) for (const px of axes[2]!) {
    const phase = [pz, py, px];
    const off = phase.map((q, d) => begin[d]! - q.padLow);
    plans.push({
      phase,
      plan: {
        N,
        C,
        Cout,
        groups: G,
        inDims: padded,
        xOffset: (off[0]! * padded[1] + off[1]!) * padded[2] + off[2]!,
        count: phase.map((q) => q.count) as Triple,
        kernel: phase.map((q) => q.taps) as Triple,
        dilation: [1, 1, 1],
        outDims: outSp,
        start: phase.map((q, d) => S[d]! * q.q0 + q.r - P[d]!) as Triple,
        step: S,
        outBatchStride: output.batchStride,
        activation,
        residual: residual !== undefined,
      },
    });
  }
  if (!plans.every((p) => gemmConvFits(p.plan))) return undefined;

  const m = ctx.m;
  const stmts: Expr[] = [];
  let xPtr = x.ptr;
  if (begin.some((v) => v > 0) || end.some((v) => v > 0)) {
    xPtr = ctx.scratch(N * C * padded[0] * padded[1] * padded[2] * 4);
    stmts.push(m.call(padFunction(ctx, { planes: N * C, dims: inSp, begin, end }), [m.i32.c(x.ptr), m.i32.c(xPtr)]));
  }
  const need = plans.map((p) => gemmConvScratch(p.plan));
  const panel = ctx.scratch(Math.max(...need.map((n) => n.panel)));
  const tmpBytes = Math.max(...need.map((n) => n.tmp));
  const tmp = tmpBytes > 0 ? ctx.scratch(tmpBytes) : 0;
  const w = params['weight']!.data;
  const bias = params['bias']?.data ?? new Float32Array(Cout);
  const kvol = K[0] * K[1] * K[2];
  for (const { plan, phase } of plans) {
    // Sub-kernel in conv layout [Cout, cig, Tz, Ty, Tx], taps flipped: t -> k = r + s*(T-1-t).
    const [Tz, Ty, Tx] = plan.kernel;
    const sub = new Float32Array(Cout * cig * Tz * Ty * Tx);
    for (let g = 0; g < G; g++) for (let co = 0; co < cog; co++) for (let ci = 0; ci < cig; ci++) {
      for (let tz = 0; tz < Tz; tz++) for (let ty = 0; ty < Ty; ty++) for (let tx = 0; tx < Tx; tx++) {
        const kz = phase[0]!.r + S[0] * (Tz - 1 - tz);
        const ky = phase[1]!.r + S[1] * (Ty - 1 - ty);
        const kx = phase[2]!.r + S[2] * (Tx - 1 - tx);
        const src = ((g * cig + ci) * cog + co) * kvol + (kz * K[1] + ky) * K[2] + kx;
        sub[((((g * cog + co) * cig + ci) * Tz + tz) * Ty + ty) * Tx + tx] = w[src]!;
      }
    }
    const code = emitGemmConv(ctx, plan, { x: xPtr, out: output.ptr, residual: residual?.ptr ?? 0, weight: sub, bias, panel, tmp });
    if (!code) return undefined;
    stmts.push(...code);
  }
  return stmts;
}
