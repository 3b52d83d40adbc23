/**
 * Limits that keep the checker's time and memory bounded on any input. Exceeding one is a
 * NET9xxx diagnostic, never a crash.
 */
export const LIMITS = {
  /** Nesting of block instances (a block inside a block inside ...). */
  instanceDepth: 64,
  /** Nesting of expressions and pipeline stages. */
  expressionDepth: 200,
  /** Iterations of one `repeat`. */
  repeatCount: 10000,
  /**
   * Layers (graph nodes) of one network. Real networks have thousands at most; the checker
   * instantiates about 100,000 layers a second, so this keeps a hostile file (nested repeats)
   * to about a second rather than the 13 s a million layers took.
   */
  nodes: 100_000,
  /**
   * Stages, statements and expressions evaluated while instantiating one network. The
   * examples need under 2,000; a step can be a whole block instance (unifying its input
   * shapes), so 200,000 keeps the worst hostile file found by fuzzing near a second.
   */
  steps: 200_000,
  /** Largest size of one dimension. */
  maxDim: 2 ** 31 - 1,
  /**
   * Bytes of one source file (4 MiB; NET9008). Real `.net` files are kilobytes: this bounds
   * what a mistaken or hostile operand (a dataset, a disk image) costs to read and parse.
   */
  sourceBytes: 4 * 1024 * 1024,
  /** Depth of a chain of imports (a imports b imports c ...); loading recurses along it. */
  importDepth: 100,
} as const;

/** The limits a caller may lower (the language server, tests); the others protect the representation. */
export type AdjustableLimits = Partial<Pick<typeof LIMITS, 'instanceDepth' | 'repeatCount' | 'nodes' | 'steps' | 'sourceBytes' | 'importDepth'>>;

export interface Limits {
  instanceDepth: number;
  repeatCount: number;
  nodes: number;
  steps: number;
  sourceBytes: number;
  importDepth: number;
}

export function limitsWith(overrides: AdjustableLimits = {}): Limits {
  return {
    instanceDepth: overrides.instanceDepth ?? LIMITS.instanceDepth,
    repeatCount: overrides.repeatCount ?? LIMITS.repeatCount,
    nodes: overrides.nodes ?? LIMITS.nodes,
    steps: overrides.steps ?? LIMITS.steps,
    sourceBytes: overrides.sourceBytes ?? LIMITS.sourceBytes,
    importDepth: overrides.importDepth ?? LIMITS.importDepth,
  };
}
