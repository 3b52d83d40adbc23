/**
 * Weights stored as IEEE float16 (`netc build --weights-dtype f16`): half the bytes of the
 * module or weights file, expanded to float32 by the loader before the first run (kernels
 * always compute in float32). The float constants (packed weights, biases) are stored as
 * runs of float16 values; integer tables stay in the module's data segments as they are.
 *
 * Where the float16 bytes go: with embedded weights, a custom section of the module
 * (`F16_SECTION`, read with `WebAssembly.Module.customSections`); with external weights, the
 * weights file. Either way the loader learns the runs ([byte address, count] in linear
 * memory) from `model.js`.
 */

/** Name of the custom section holding embedded float16 weights. */
export const F16_SECTION = 'netc.weights.f16';

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** float32 -> float16 bits, rounding to nearest even; overflow gives infinity, NaN stays NaN. */
export function float16Bits(value: number): number {
  f32[0] = value;
  const x = u32[0]!;
  const sign = (x >>> 16) & 0x8000;
  const exp = (x >>> 23) & 0xff;
  const mant = x & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant !== 0 ? 0x200 : 0);
  const e = exp - 127 + 15;
  if (e >= 31) return sign | 0x7c00;
  if (e <= 0) {
    // Subnormal half (or zero): shift the mantissa with its implicit bit, round to nearest even.
    if (e < -10) return sign;
    const m = mant | 0x800000;
    const shift = 14 - e;
    const half = m >>> shift;
    const rest = m & ((1 << shift) - 1);
    const mid = 1 << (shift - 1);
    return sign | (half + (rest > mid || (rest === mid && (half & 1)) ? 1 : 0));
  }
  const half = (e << 10) | (mant >>> 13);
  const rest = mant & 0x1fff;
  // A carry out of the mantissa moves into the exponent (up to infinity), as it should.
  return sign | (half + (rest > 0x1000 || (rest === 0x1000 && (half & 1)) ? 1 : 0));
}

/** float16 bits -> the number they stand for. */
export function float16Value(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const e = (h >>> 10) & 0x1f;
  const f = h & 0x3ff;
  if (e === 0) return sign * f * 2 ** -24;
  if (e === 31) return f ? Number.NaN : sign * Number.POSITIVE_INFINITY;
  return sign * (1 + f / 1024) * 2 ** (e - 15);
}

/** A run of float16 values: where the float32 values go in linear memory, and how many. */
export type F16Run = [byteOffset: number, count: number];

export interface F16Weights {
  runs: F16Run[];
  /** The float16 values of every run, in order (little-endian). */
  bytes: Uint8Array<ArrayBuffer>;
  /** The integer tables, left as they are: [byte address, bytes]. */
  tables: { offset: number; data: Uint8Array }[];
}

/**
 * Split placed constants into float16 runs (neighbouring float arrays merge, with the zero
 * alignment padding between them) and integer tables.
 */
export function toF16Weights(chunks: { offset: number; data: Float32Array | Int32Array }[]): F16Weights {
  const runs: F16Run[] = [];
  const tables: F16Weights['tables'] = [];
  // Each float chunk with the index of its value in the run-ordered output.
  const placed: { data: Float32Array; at: number }[] = [];
  let total = 0;
  for (const c of chunks) {
    if (c.data instanceof Int32Array) {
      tables.push({ offset: c.offset, data: new Uint8Array(c.data.buffer, c.data.byteOffset, c.data.byteLength) });
      continue;
    }
    const last = runs[runs.length - 1];
    const gap = last ? (c.offset - (last[0] + last[1] * 4)) / 4 : -1;
    if (last && gap >= 0 && gap < 4) {
      // Alignment padding between neighbours: zeros, stored with the run.
      total += gap;
      last[1] += gap + c.data.length;
    } else runs.push([c.offset, c.data.length]);
    placed.push({ data: c.data, at: total });
    total += c.data.length;
  }
  const halves = new Uint16Array(total);
  for (const p of placed) for (let i = 0; i < p.data.length; i++) halves[p.at + i] = float16Bits(p.data[i]!);
  const bytes = new Uint8Array(halves.buffer);
  // Typed arrays follow the platform's byte order; the format is little-endian.
  if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) for (let i = 0; i < bytes.length; i += 2) [bytes[i], bytes[i + 1]] = [bytes[i + 1]!, bytes[i]!];
  return { runs, bytes, tables };
}
