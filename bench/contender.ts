/** One implementation of a workload, timed by the runner. */
export interface Contender {
  name: string;
  /** One inference on the prepared input. */
  run(): Promise<void> | void;
  /** The output of the last run (for the agreement check). */
  output(): Float32Array;
  dispose?(): Promise<void> | void;
}
