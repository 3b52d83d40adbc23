/**
 * Upsampling (PyTorch interpolate): nearest (legacy floor rule, float32 scale as PyTorch
 * computes it) and linear/bilinear/trilinear with or without align_corners. Source indices
 * and weights of every output position are computed per axis at build time into a table,
 * so the kernel only gathers and blends.
 *
 * Four outputs along x at a time: each lane's source is gathered (one lane load per
 * neighbour) and the blend runs on vectors, with the x weights loaded from the table four at
 * a time and the others splatted; the same operations in the same order as the one-output
 * loop, which finishes rows whose width is not a multiple of 4. Nearest x2 along x (the
 * usual decoder upsampling) loads four sources and duplicates them with shuffles.
 */
import type { UpsampleAttrs } from '../../ops/attrs.ts';
import type { Expr, Local } from '../module.ts';
import { to3 } from './axes.ts';
import type { LowerArgs } from './types.ts';

interface AxisMap {
  i0: number[];
  i1: number[];
  l0: number[];
  l1: number[];
}

function nearestAxis(out: number, input: number, scaleFactor: number | undefined): AxisMap {
  const f = Math.fround;
  const scale = scaleFactor !== undefined && scaleFactor > 0 ? f(1 / scaleFactor) : f(input / out);
  const i0: number[] = [];
  for (let o = 0; o < out; o++) {
    if (out === input) i0.push(o);
    else if (out === 2 * input) i0.push(o >> 1);
    else i0.push(Math.min(Math.floor(f(o * scale)), input - 1));
  }
  return { i0, i1: i0, l0: i0.map(() => 1), l1: i0.map(() => 0) };
}

function linearAxis(out: number, input: number, scaleFactor: number | undefined, alignCorners: boolean): AxisMap {
  const m: AxisMap = { i0: [], i1: [], l0: [], l1: [] };
  let scale: number;
  if (alignCorners) scale = out > 1 ? (input - 1) / (out - 1) : 0;
  else scale = scaleFactor !== undefined && scaleFactor > 0 ? 1 / scaleFactor : input / out;
  for (let o = 0; o < out; o++) {
    let src = alignCorners ? scale * o : scale * (o + 0.5) - 0.5;
    if (src < 0) src = 0;
    const lo = Math.min(Math.floor(src), input - 1);
    const lambda = Math.min(Math.max(src - lo, 0), 1);
    m.i0.push(lo);
    m.i1.push(lo < input - 1 ? lo + 1 : lo);
    m.l0.push(1 - lambda);
    m.l1.push(lambda);
  }
  return m;
}

export function lowerUpsample({ attrs, inputs, output, ctx }: LowerArgs<UpsampleAttrs>): Expr[] {
  const m = ctx.m;
  const x = inputs[0]!;
  const rank = x.shape.length - 2;
  const inSp = to3(x.shape.slice(2), 1);
  const outSp = to3(output.shape.slice(2), 1);
  const planes = x.shape[0]! * x.shape[1]!;
  const linear = attrs.mode !== 'nearest';
  const scaleOf = (a: number): number | undefined => attrs.scale?.[a - (3 - rank)];
  const maps = [0, 1, 2].map((a) =>
    linear ? linearAxis(outSp[a]!, inSp[a]!, scaleOf(a), attrs.alignCorners) : nearestAxis(outSp[a]!, inSp[a]!, scaleOf(a)),
  );
  // Table per axis: i0 (pre-multiplied by the axis' element stride), i1, l0, l1, each O_a words.
  const strides = [inSp[1]! * inSp[2]!, inSp[2]!, 1];
  const total = outSp.reduce((s, o) => s + 4 * o, 0);
  const buf = new ArrayBuffer(total * 4);
  const ints = new Int32Array(buf);
  const floats = new Float32Array(buf);
  const base: number[] = [];
  let at = 0;
  maps.forEach((mp, a) => {
    const O = outSp[a]!;
    base.push(at);
    for (let o = 0; o < O; o++) {
      ints[at + o] = mp.i0[o]! * strides[a]!;
      ints[at + O + o] = mp.i1[o]! * strides[a]!;
      floats[at + 2 * O + o] = mp.l0[o]!;
      floats[at + 3 * O + o] = mp.l1[o]!;
    }
    at += 4 * O;
  });
  // An axis of size 1 in and out (a padded leading axis) needs no second neighbour.
  const active = [0, 1, 2].map((a) => linear && !(inSp[a] === 1 && outSp[a] === 1));
  const key = { planes, inSp, outSp, active, linear };
  const name = ctx.fn('upsample', key, ['i32', 'i32', 'i32'], (f) => {
    const i32 = m.i32;
    const [src, dst, tab] = [f.param(0), f.param(1), f.param(2)];
    const o = [f.local('i32'), f.local('i32'), f.local('i32')];
    const plane = f.local('i32');
    const idx: Local[][] = [0, 1, 2].map(() => [f.local('i32'), f.local('i32')]);
    const lam: Local[][] = [0, 1, 2].map(() => [f.local('f32'), f.local('f32')]);
    const entry = (a: number, which: number): Expr =>
      i32.add(f.get(tab), i32.shl(f.get(o[a]!), i32.c(2)));
    const offset = (a: number, which: number): number => (base[a]! + which * outSp[a]!) * 4;
    const setAxis = (a: number): Expr[] => {
      const s: Expr[] = [f.set(idx[a]![0]!, i32.load(entry(a, 0), offset(a, 0)))];
      if (active[a]) {
        s.push(
          f.set(idx[a]![1]!, i32.load(entry(a, 1), offset(a, 1))),
          f.set(lam[a]![0]!, m.f32.load(entry(a, 2), offset(a, 2))),
          f.set(lam[a]![1]!, m.f32.load(entry(a, 3), offset(a, 3))),
        );
      }
      return s;
    };
    const load = (d: number, h: number, w: number): Expr =>
      m.f32.load(i32.add(f.get(src), i32.shl(i32.add(i32.add(f.get(idx[0]![d]!), f.get(idx[1]![h]!)), f.get(idx[2]![w]!)), i32.c(2))));
    /** Blend along axes a..2 for fixed choices on the earlier axes. */
    const blend = (a: number, pick: number[]): Expr => {
      if (a === 3) return load(pick[0]!, pick[1]!, pick[2]!);
      if (!active[a]) return blend(a + 1, [...pick, 0]);
      return m.f32.add(
        m.f32.mul(f.get(lam[a]![0]!), blend(a + 1, [...pick, 0])),
        m.f32.mul(f.get(lam[a]![1]!), blend(a + 1, [...pick, 1])),
      );
    };
    const OW = outSp[2]!;
    // Nearest with an exact x2 along x: sources ox/2, two outputs each.
    const double = !linear && OW === 2 * inSp[2]! && nearestAxis(OW, inSp[2]!, scaleOf(2)).i0.every((v, k) => v === k >> 1);
    const lanes = [f.local('i32'), f.local('i32'), f.local('i32'), f.local('i32'), f.local('i32'), f.local('i32'), f.local('i32'), f.local('i32')];
    const vs = [f.local('v128'), f.local('v128')];
    const wx = [f.local('v128'), f.local('v128')];
    /** Source vector for neighbour `pick` (d, h, w choices): lane l from its own x index. */
    const gather = (pick: number[]): Expr => {
      // A fresh expression per use: binaryen's expressions form a tree, never shared.
      const rowBase = (): Expr => i32.add(f.get(src), i32.shl(i32.add(f.get(idx[0]![pick[0]!]!), f.get(idx[1]![pick[1]!]!)), i32.c(2)));
      const at = (l: number): Expr => i32.add(rowBase(), i32.shl(f.get(lanes[pick[2]! * 4 + l]!), i32.c(2)));
      let v = m.v.load32Zero(at(0));
      for (let l = 1; l < 4; l++) v = m.v.load32Lane(at(l), v, l);
      return v;
    };
    const blendV = (a: number, pick: number[]): Expr => {
      if (a === 3) return gather(pick);
      if (!active[a]) return blendV(a + 1, [...pick, 0]);
      const w0 = a === 2 ? f.get(wx[0]!) : m.v.splat(f.get(lam[a]![0]!));
      const w1 = a === 2 ? f.get(wx[1]!) : m.v.splat(f.get(lam[a]![1]!));
      return m.v.add(m.v.mul(w0, blendV(a + 1, [...pick, 0])), m.v.mul(w1, blendV(a + 1, [...pick, 1])));
    };
    const tab2 = (which: number, l: number): Expr => i32.load(entry(2, which), offset(2, which) + l * 4);
    const vectorX: Expr[] = [];
    for (let l = 0; l < 4; l++) vectorX.push(f.set(lanes[l]!, tab2(0, l)));
    if (active[2]) {
      for (let l = 0; l < 4; l++) vectorX.push(f.set(lanes[4 + l]!, tab2(1, l)));
      vectorX.push(f.set(wx[0]!, m.v.load(entry(2, 2), offset(2, 2))), f.set(wx[1]!, m.v.load(entry(2, 3), offset(2, 3))));
    }
    vectorX.push(m.v.store(f.get(dst), blendV(0, [])), f.inc(dst, 16));
    const rowSrc = (): Expr => i32.add(f.get(src), i32.shl(i32.add(i32.add(f.get(idx[0]![0]!), f.get(idx[1]![0]!)), i32.shrU(f.get(o[2]!), i32.c(1))), i32.c(2)));
    const doubled: Expr[] = [
      f.set(vs[0]!, m.v.load(rowSrc())),
      m.v.store(f.get(dst), m.v.shuffle(f.get(vs[0]!), f.get(vs[0]!), [0, 1, 2, 3, 0, 1, 2, 3, 4, 5, 6, 7, 4, 5, 6, 7])),
      m.v.store(f.get(dst), m.v.shuffle(f.get(vs[0]!), f.get(vs[0]!), [8, 9, 10, 11, 8, 9, 10, 11, 12, 13, 14, 15, 12, 13, 14, 15]), 16),
      f.inc(dst, 32),
    ];
    const step = double ? 8 : 4;
    const vecEnd = OW - (OW % step);
    const one = [...setAxis(2), m.f32.store(f.get(dst), blend(0, [])), f.inc(dst, 4)];
    return [
      f.for(plane, 0, planes, 1, [
        f.for(o[0]!, 0, outSp[0]!, 1, [
          ...setAxis(0),
          f.for(o[1]!, 0, outSp[1]!, 1, [
            ...setAxis(1),
            f.for(o[2]!, 0, vecEnd, step, double ? doubled : vectorX),
            f.for(o[2]!, vecEnd, OW, 1, one),
          ]),
        ]),
        f.inc(src, inSp[0]! * inSp[1]! * inSp[2]! * 4),
      ]),
    ];
  });
  return [m.call(name, [m.i32.c(x.ptr), m.i32.c(output.ptr), m.i32.c(ctx.constant(ints))])];
}
