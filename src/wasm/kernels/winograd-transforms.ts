/**
 * Winograd's minimal filtering F(m, 3) for 3x3 convolutions (Lavin & Gray, "Fast Algorithms
 * for Convolutional Neural Networks", 2016): an output tile of m x m positions from an input
 * tile of a x a = (m + 2) x (m + 2),
 *
 *   Y = A^T [ (G g G^T) (.) (B^T d B) ] A
 *
 * (`.` element-wise), a correlation like PyTorch's conv. The a^2 element-wise products, summed
 * over input channels, are a^2 independent matrix products [Cout x C] x [C x tiles]: the
 * multiplications drop from 9 per output to a^2 / m^2 (4 for m = 2, 2.25 for m = 4).
 *
 * The matrices are the usual ones, with interpolation points 0, +-1 (m = 2) and 0, +-1, +-2
 * (m = 4). Larger tiles (m = 6: points +-1/2 as well) lose too much accuracy in float32 for
 * netc's 1e-5 tolerance, so they are not offered. The filter transform runs at build time in
 * float64; the data transforms run in the module (conv-winograd.ts).
 */

export type WinogradTile = 2 | 4;

export interface WinogradMatrices {
  /** Output tile size m and input tile size a = m + 2. */
  m: WinogradTile;
  a: number;
  /** B^T: a x a (input transform, rows applied to the input tile's columns). */
  BT: number[][];
  /** G: a x 3 (filter transform). */
  G: number[][];
  /** A^T: m x a (output transform). */
  AT: number[][];
}

const F2: WinogradMatrices = {
  m: 2,
  a: 4,
  BT: [
    [1, 0, -1, 0],
    [0, 1, 1, 0],
    [0, -1, 1, 0],
    [0, 1, 0, -1],
  ],
  G: [
    [1, 0, 0],
    [0.5, 0.5, 0.5],
    [0.5, -0.5, 0.5],
    [0, 0, 1],
  ],
  AT: [
    [1, 1, 1, 0],
    [0, 1, -1, -1],
  ],
};

const F4: WinogradMatrices = {
  m: 4,
  a: 6,
  BT: [
    [4, 0, -5, 0, 1, 0],
    [0, -4, -4, 1, 1, 0],
    [0, 4, -4, -1, 1, 0],
    [0, -2, -1, 2, 1, 0],
    [0, 2, -1, -2, 1, 0],
    [0, 4, 0, -5, 0, 1],
  ],
  G: [
    [1 / 4, 0, 0],
    [-1 / 6, -1 / 6, -1 / 6],
    [-1 / 6, 1 / 6, -1 / 6],
    [1 / 24, 1 / 12, 1 / 6],
    [1 / 24, -1 / 12, 1 / 6],
    [0, 0, 1],
  ],
  AT: [
    [1, 1, 1, 1, 1, 0],
    [0, 1, -1, 2, -2, 0],
    [0, 1, 1, 4, 4, 0],
    [0, 1, -1, 8, -8, 1],
  ],
};

export function winogradMatrices(m: WinogradTile): WinogradMatrices {
  return m === 2 ? F2 : F4;
}

/**
 * Transformed filters, U[xi][co][ci] = (G g[co][ci] G^T)[xi] with xi = row * a + column,
 * from PyTorch weights [Cout, C, 3, 3]; computed in float64, rounded once.
 */
export function transformFilters(weight: Float32Array, cout: number, cin: number, w: WinogradMatrices): Float32Array[] {
  const a = w.a;
  const out = Array.from({ length: a * a }, () => new Float32Array(cout * cin));
  const gg = new Float64Array(a * 3);
  for (let co = 0; co < cout; co++) {
    for (let ci = 0; ci < cin; ci++) {
      const g = (r: number, c: number): number => weight[((co * cin + ci) * 3 + r) * 3 + c]!;
      // gg = G g  (a x 3)
      for (let i = 0; i < a; i++) for (let c = 0; c < 3; c++) gg[i * 3 + c] = w.G[i]![0]! * g(0, c) + w.G[i]![1]! * g(1, c) + w.G[i]![2]! * g(2, c);
      // U = gg G^T  (a x a)
      for (let i = 0; i < a; i++) {
        for (let j = 0; j < a; j++) {
          const v = gg[i * 3]! * w.G[j]![0]! + gg[i * 3 + 1]! * w.G[j]![1]! + gg[i * 3 + 2]! * w.G[j]![2]!;
          out[i * a + j]![co * cin + ci] = v;
        }
      }
    }
  }
  return out;
}

/** Tiles per axis covering `size` outputs (the last one shifted back to end at the edge). */
export function tilesAlong(size: number, m: number): number {
  return Math.ceil(size / m);
}

/** Where tile t of an axis starts: m * t, except the last, which ends at the last output. */
export function tileStart(t: number, size: number, m: number): number {
  return Math.min(t * m, size - m);
}

export interface WinogradShape {
  C: number;
  Cout: number;
  /** Output height and width. */
  OH: number;
  OW: number;
  /** Wide positions the direct matrix-product engine computes per plane. */
  widePositions: number;
}

/** Bytes of transformed input and products a tile group may hold (half of a 1 MB L2)... */
export const GROUP_BYTES = 512 * 1024;
/** ...unless the transformed weights are larger than this: then fewer passes over them matter more. */
const LARGE_WEIGHTS = 2 * 1024 * 1024;
const GROUP_BYTES_LARGE_WEIGHTS = 4 * 1024 * 1024;

/** Blocks of 8 tiles per group, given the blocks in all, channels and input tile size a. */
export function tileBlocksPerGroup(blocks: number, C: number, Cout: number, a: number): number {
  const perBlock = a * a * (C + Cout) * 8 * 4;
  const budget = a * a * C * Cout * 4 > LARGE_WEIGHTS ? GROUP_BYTES_LARGE_WEIGHTS : GROUP_BYTES;
  return Math.max(1, Math.min(blocks, Math.floor(budget / perBlock)));
}

/**
 * Relative cost of a convolution on this backend, in nanoseconds at the rates measured on
 * the target machines (one thread): the 4x8 micro-kernel at ~35 GFLOP/s, the data
 * transforms at about 1.5 ns per input tile and channel (m = 4: 36 gathered lane loads and
 * ~80 vector operations per 4 tiles) and 1.2 ns per output tile and channel; a micro-kernel
 * call costs ~15 ns of set-up and stores whatever the reduction length; weights larger than
 * L2 stream from L3 or memory at ~8 bytes/ns, once per group of tiles.
 */
const GEMM_NS_PER_FLOP = 1 / 35;
const CALL_NS = 15;
const STREAM_BYTES_PER_NS = 8;
const L2_BYTES = 1024 * 1024;
const TRANSFORM_NS: Record<WinogradTile, { in: number; out: number }> = { 2: { in: 0.5, out: 0.4 }, 4: { in: 1.5, out: 1.2 } };

const streamNs = (bytes: number, passes: number): number => (bytes > L2_BYTES ? (bytes * passes) / STREAM_BYTES_PER_NS : 0);

export function directCostNs(s: WinogradShape): number {
  const calls = Math.ceil(s.Cout / 4) * Math.ceil(s.widePositions / 8) * Math.ceil((s.C * 9) / 512);
  // The engine packs up to 8 tiles (64 KiB of panel) before the weights run over them.
  const tilesPerPass = Math.max(1, Math.min(8, Math.floor(65536 / (Math.min(s.C * 9, 512) * 32))));
  const passes = Math.ceil(s.widePositions / 8 / tilesPerPass);
  return 2 * s.Cout * s.C * 9 * s.widePositions * GEMM_NS_PER_FLOP + calls * CALL_NS + streamNs(9 * s.C * s.Cout * 4, passes);
}

export function winogradCostNs(s: WinogradShape, m: WinogradTile): number {
  const a = m + 2;
  const tiles = Math.ceil((tilesAlong(s.OH, m) * tilesAlong(s.OW, m)) / 8) * 8;
  const calls = a * a * Math.ceil(s.Cout / 4) * (tiles / 8);
  const passes = Math.ceil(tiles / 8 / tileBlocksPerGroup(tiles / 8, s.C, s.Cout, a));
  const gemm = 2 * s.Cout * s.C * a * a * tiles * GEMM_NS_PER_FLOP + calls * CALL_NS + streamNs(a * a * s.C * s.Cout * 4, passes);
  return gemm + TRANSFORM_NS[m].in * s.C * tiles + TRANSFORM_NS[m].out * s.Cout * tiles;
}
