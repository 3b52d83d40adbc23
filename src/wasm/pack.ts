/**
 * Weight packing for the matrix-product convolution kernels (kernels/gemm.ts).
 *
 * Packed convolution layout, float32, per group g, per block b of MR output channels
 * (channels g*cog + b*MR + r, r < MR), per reduction step k = ci * taps + t (input channel
 * ci of the group, kernel tap t in PyTorch order kd, kh, kw):
 *
 *   packed[((g * blocks + b) * K + k) * MR + r] = W[g*cog + b*MR + r][ci][t]
 *
 * with K = cig * taps and blocks = ceil(cog / MR); rows past cog are zero. The MR weights
 * of one step are contiguous, so the micro-kernel reads them with MR load-splats and moves
 * on by MR floats.
 */

export interface ConvPackShape {
  /** Output channels, groups, input channels per group, kernel taps (product of k). */
  cout: number;
  groups: number;
  cig: number;
  taps: number;
}

/** `weight` in PyTorch layout [cout, cig, k...]; `mr` the micro-kernel's row count. */
export function packConvWeights(shape: ConvPackShape, weight: Float32Array, mr: number): Float32Array {
  const { cout, groups, cig, taps } = shape;
  const cog = cout / groups;
  const blocks = Math.ceil(cog / mr);
  const K = cig * taps;
  const packed = new Float32Array(groups * blocks * K * mr);
  for (let g = 0; g < groups; g++) {
    for (let b = 0; b < blocks; b++) {
      const base = (g * blocks + b) * K * mr;
      for (let r = 0; r < mr; r++) {
        const co = b * mr + r;
        if (co >= cog) break;
        const src = (g * cog + co) * K;
        for (let k = 0; k < K; k++) packed[base + k * mr + r] = weight[src + k]!;
      }
    }
  }
  return packed;
}
