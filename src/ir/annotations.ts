/**
 * What optimisation passes record on a node besides its operator's attributes, defined once
 * for every stage that honours them: the interpreter and the Wasm kernels apply epilogues,
 * `passes/aliases.ts` (for the memory planner) and `wasm/storage.ts` follow the views.
 * They live in `node.attrs` next to the operator's own attributes, so the IR dump prints them
 * as `epilogue={...}`, `outputView={...}`.
 */
import type { OpAttrsByName, OpName } from './op-attrs.ts';

/**
 * The activation of an epilogue: the name of an activation operator with that operator's own
 * attributes beside it (`{activation: "clip", min: 0, max: 6}`), exactly as the node it
 * replaced carried them.
 */
export type EpilogueActivation = { [K in OpName]: { activation: K } & Partial<OpAttrsByName[K]> }[OpName];

/**
 * The epilogue a producing layer applies while storing its output (set by
 * passes/fuse-epilogue.ts on operators whose table entry says `epilogueHost`):
 *
 *   y = activation(layer(x) + residual)
 *
 * The layer's own bias is part of `layer(x)`; the residual operand, when present, is the
 * node's last input.
 */
export type Epilogue = { residual?: boolean } & (EpilogueActivation | { activation?: undefined });

/** Where a node writes its output when it writes straight into a slice of a larger tensor. */
export interface OutputView {
  /** The tensor (a concat's output) this node's output is part of. */
  value: number;
  /** First channel of the slice. */
  channelOffset: number;
}

/** The records passes leave on a node; every one is optional and operator-independent. */
export interface NodeAnnotations {
  /** Fused activation and residual add (conv, conv_transpose). */
  epilogue?: Epilogue;
  /** The node writes its output into part of another tensor (concat-in-place). */
  outputView?: OutputView;
  /** The output reuses the first input's bytes (plan-memory, elementwise operators). */
  inPlace?: boolean;
  /** A channel slice that is a view of its input, no copy (concat-in-place, slice only). */
  view?: boolean;
  /** Per operand of a concat: written in place by its producer, so not copied. */
  operandsInPlace?: boolean[];
  /** Names of the convolutions a horizontally fused conv was made from. */
  fusedFrom?: string[];
}

/** Annotation keys that record memory layout decisions, valid only for the graph they were made on. */
export const LAYOUT_ANNOTATIONS = ['outputView', 'view', 'inPlace', 'operandsInPlace'] as const satisfies readonly (keyof NodeAnnotations)[];
