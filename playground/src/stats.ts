/**
 * The numbers the run panel shows, as pure functions so that a test computes them the same
 * way from a Node build: the seeded input, output statistics, top-5 and the picture.
 */

/** A deterministic input in [-1, 1) (mulberry32), the same in the page and in Node. */
export function seededInput(length: number, seed: number): Float32Array {
  let a = seed >>> 0;
  const out = new Float32Array(length);
  for (let i = 0; i < length; i++) {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = (((t ^ (t >>> 14)) >>> 0) / 4294967296) * 2 - 1;
  }
  return out;
}

export interface OutputStats {
  min: number;
  max: number;
  mean: number;
  std: number;
}

export function outputStats(data: Float32Array): OutputStats {
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  for (const v of data) {
    if (v < min) min = v;
    if (v > max) max = v;
    sum += v;
  }
  const mean = sum / data.length;
  let sq = 0;
  for (const v of data) sq += (v - mean) * (v - mean);
  return { min, max, mean, std: Math.sqrt(sq / data.length) };
}

/** Statistics as the page prints them (6 significant digits). */
export function statsText(s: OutputStats): string {
  const f = (x: number): string => x.toPrecision(6);
  return `min ${f(s.min)}  max ${f(s.max)}  mean ${f(s.mean)}  std ${f(s.std)}`;
}

/** The five largest values of a classifier's output [1, K] (K >= 5), largest first. */
export function top5(shape: readonly number[], data: Float32Array): { index: number; value: number }[] | undefined {
  if (shape.length !== 2 || shape[0] !== 1 || (shape[1] ?? 0) < 5) return undefined;
  return [...data].map((value, index) => ({ index, value })).sort((x, y) => y.value - x.value).slice(0, 5);
}

/** RGBA of the first image of an output [N, 1 or 3, H, W]; values in [-1, 1] (tanh) or scaled to their range. */
export function imageOf(shape: readonly number[], data: Float32Array): { width: number; height: number; rgba: Uint8ClampedArray } | undefined {
  if (shape.length !== 4) return undefined;
  const [, c, h, w] = shape as [number, number, number, number];
  if ((c !== 1 && c !== 3) || h < 8 || w < 8) return undefined;
  const plane = h * w;
  const s = outputStats(data.subarray(0, c * plane));
  const [lo, hi] = s.min >= -1 && s.max <= 1 ? [-1, 1] : [s.min, s.max === s.min ? s.min + 1 : s.max];
  const rgba = new Uint8ClampedArray(plane * 4);
  for (let i = 0; i < plane; i++) {
    for (let k = 0; k < 3; k++) rgba[i * 4 + k] = ((data[(c === 3 ? k : 0) * plane + i]! - lo) / (hi - lo)) * 255;
    rgba[i * 4 + 3] = 255;
  }
  return { width: w, height: h, rgba };
}
