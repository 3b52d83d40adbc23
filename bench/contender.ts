/** One implementation of a workload, timed by the runner. */
export interface Contender {
  name: string;
  /** One inference on the prepared input. */
  run(): Promise<void> | void;
  /** The output of the last run (for the agreement check). */
  output(): Float32Array;
  dispose?(): Promise<void> | void;
}

/** The median of run times (the mean of the middle two for an even count). */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}
