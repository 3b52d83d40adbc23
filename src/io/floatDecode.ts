/**
 * Decoding stored floating-point elements (float16, bfloat16, float32, float64) into a
 * float32 array. Shared by the safetensors and .npy readers; offsets need no alignment.
 */

export type FloatKind = 'f16' | 'bf16' | 'f32' | 'f64';

export const floatKindBytes: Record<FloatKind, number> = { f16: 2, bf16: 2, f32: 4, f64: 8 };

/** Largest element count of one tensor: a Float32Array of it must be allocatable. */
export const MAX_TENSOR_ELEMENTS = 2 ** 31 - 1;

/** IEEE 754 half precision bits to a number (exact; every half is a float32). */
export function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 0x1f) return frac === 0 ? sign * Infinity : NaN;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

/** Round a number to the nearest half-precision bit pattern (ties to even). */
export function floatToHalf(x: number): number {
  const f32 = new Float32Array(1);
  const u32 = new Uint32Array(f32.buffer);
  f32[0] = x;
  const bits = u32[0]!;
  const sign = (bits >>> 16) & 0x8000;
  const exp = (bits >>> 23) & 0xff;
  let mant = bits & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0);
  const e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    mant |= 0x800000;
    const shift = 14 - e;
    let half = mant >> shift;
    const rest = mant & ((1 << shift) - 1);
    const halfway = 1 << (shift - 1);
    if (rest > halfway || (rest === halfway && half & 1)) half++;
    return sign | half;
  }
  let half = (e << 10) | (mant >> 13);
  const rest = mant & 0x1fff;
  // A carry out of the mantissa correctly bumps the exponent (up to infinity).
  if (rest > 0x1000 || (rest === 0x1000 && half & 1)) half++;
  return sign | half;
}

/** Read `count` elements of `kind` starting at `byteOffset` of `bytes`. */
export function decodeFloats(
  bytes: Uint8Array,
  byteOffset: number,
  count: number,
  kind: FloatKind,
  littleEndian = true,
): Float32Array {
  const out = new Float32Array(count);
  const view = new DataView(bytes.buffer, bytes.byteOffset + byteOffset, count * floatKindBytes[kind]);
  switch (kind) {
    case 'f32':
      for (let i = 0; i < count; i++) out[i] = view.getFloat32(4 * i, littleEndian);
      break;
    case 'f64':
      for (let i = 0; i < count; i++) out[i] = view.getFloat64(8 * i, littleEndian);
      break;
    case 'f16':
      for (let i = 0; i < count; i++) out[i] = halfToFloat(view.getUint16(2 * i, littleEndian));
      break;
    case 'bf16': {
      // bfloat16 is the top half of a float32.
      const bits = new Uint32Array(out.buffer);
      for (let i = 0; i < count; i++) bits[i] = view.getUint16(2 * i, littleEndian) << 16;
      break;
    }
  }
  return out;
}
