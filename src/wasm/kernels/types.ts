/**
 * What a kernel lowering gets from the code generator and gives back. A lowering turns one IR
 * node into statements of the `run()` function, usually one call of a kernel function that is
 * shared by every node of the same kind and shape class (`ctx.fn` deduplicates by key).
 */
import type { Node } from '../../ir/graph.ts';
import type { Tensor } from '../../ir/tensor.ts';
import type { Expr, FunctionBuilder, ModuleBuilder, ValType } from '../module.ts';

/** A tensor operand in linear memory: byte address and shape (row-major). */
export interface Operand {
  ptr: number;
  shape: number[];
  /** Elements between batch items; larger than the dense stride inside a concat view. */
  batchStride: number;
}

export type OutputOperand = Operand;

export interface KernelContext {
  m: ModuleBuilder;
  /**
   * The name of the kernel function for `kind` and shape class `key`, emitting it on first use.
   * Same kind and key give the same function, whatever node asks.
   */
  fn(kind: string, key: unknown, params: ValType[], build: (f: FunctionBuilder) => Expr[]): string;
  /** Place packed constant data (weights, index tables); returns its byte address. */
  constant(data: Float32Array | Int32Array, kind?: 'weight' | 'table'): number;
  /** A scratch buffer of `bytes`, valid for the duration of this node only. */
  scratch(bytes: number): number;
  /**
   * Memory for data derived from the constants when the module starts (transformed weights,
   * kept out of the download): its byte address. `prepare` adds statements that run once,
   * before the first run. Contexts without them get the data as constants instead.
   */
  derived?(bytes: number): number;
  prepare?(stmts: Expr[]): void;
  /** Whether conv lowering may try the fast paths (conv-paths.ts) before the direct kernel. */
  fastPaths?: boolean;
  /** Winograd for 3x3 convs: by the cost model (default), whenever possible, or never (conv-winograd.ts). */
  winograd?: 'auto' | 'always' | 'never';
  /**
   * Set while one slice of a conv's output channels is lowered (split.ts, for threads): the
   * whole conv's channel count, so that algorithm choices are the whole conv's and every
   * slice computes its outputs exactly as the unsplit conv would.
   */
  splitOf?: { Cout: number };
  /** Record a decision about the node being lowered (the kernel chosen and why), for `--explain`. */
  explain?(message: string): void;
  /** Helper functions shared by kernels (vector exp, sigmoid, tanh, erf). */
  helper(name: 'exp' | 'sigmoid' | 'tanh' | 'erf'): string;
}

export interface LowerArgs<A = Record<string, unknown>> {
  node: Node<number>;
  attrs: A;
  inputs: Operand[];
  output: OutputOperand;
  params: Record<string, Tensor>;
  ctx: KernelContext;
}

/** Lower one node to statements of `run()`. */
export type Lowering = (a: LowerArgs<any>) => Expr[];

export const ptr = (m: ModuleBuilder, p: number): Expr => m.i32.c(p);
