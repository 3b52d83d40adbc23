/**
 * Faster convolution kernels tried before the direct one. A path gets the normalised conv
 * (input already zero-padded at `x`) and returns the statements of `run()` that compute it,
 * or undefined when it does not handle the case. It packs the weights it needs itself with
 * `ctx.constant` and may use `ctx.scratch`.
 */
import type { ConvFastPath } from './direct-conv.ts';
import { gemmConvPath } from './conv-fast.ts';
import { winogradConvPath } from './conv-winograd.ts';

export const fastConvPaths: ConvFastPath[] = [winogradConvPath, gemmConvPath];
