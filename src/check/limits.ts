/**
 * Limits that keep the checker's time and memory bounded on any input. Exceeding one is a
 * NET9xxx diagnostic, never a crash.
 */
export const LIMITS = {
  /** Nesting of block instances (a block inside a block inside ...). */
  instanceDepth: 64,
  /** Nesting of expressions and pipeline stages. */
  expressionDepth: 256,
  /** Iterations of one `repeat`. */
  repeatCount: 10000,
  /** Layers (graph nodes) of one network. */
  nodes: 1_000_000,
  /** Stages, statements and expressions evaluated while instantiating one network. */
  steps: 5_000_000,
  /** Largest size of one dimension. */
  maxDim: 2 ** 31 - 1,
} as const;
