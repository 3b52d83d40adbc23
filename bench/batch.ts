/**
 * Batch scaling: GoogLeNet's module for a batch of 4 against the one for a batch of 1, both
 * netc, timed alternately in one row (so the machine's drifts hit both alike). The figure is
 * time(batch 4) / time(batch 1): 4 means a batch costs as much as its images one by one,
 * below 4 that the batch shares work (weights read once for several images).
 */
import type { Contender } from './contender.ts';
import { netcNetworkContender } from './networks.ts';
import type { Timing } from './run.ts';

export interface BatchRatio {
  medianRatio: number;
  minRatio: number;
  timings: Timing[];
}

export async function googlenetBatchRatio(time: (c: Contender[]) => Promise<Timing[]>): Promise<BatchRatio> {
  const one = await netcNetworkContender('googlenet', 'netc batch 1');
  const four = await netcNetworkContender('googlenet-b4', 'netc batch 4');
  const timings = await time([one, four]);
  const [a, b] = timings as [Timing, Timing];
  return { medianRatio: b.medianMs / a.medianMs, minRatio: b.minMs / a.minMs, timings };
}
