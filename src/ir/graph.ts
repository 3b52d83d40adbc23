/**
 * The graph IR: values with shapes, nodes with an operator and normalised attributes, and
 * weights as named parameters. The checker builds it with symbolic dimensions
 * (`Graph<Dim>`); `check/concretize.ts` binds every dimension to an integer (`Graph<number>`),
 * which is what passes, the interpreter and the backends work on.
 *
 * Node and value ids are indices into `nodes` / `values`; passes build new graphs rather than
 * editing in place (the shared graph surgery is passes/rewrite.ts).
 */
import type { InstanceFrame } from '../diag/diagnostic.ts';
import type { Span } from '../diag/span.ts';
import type { NodeAnnotations } from './annotations.ts';
import type { OpAttrsByName, OpName } from './op-attrs.ts';

export type { Epilogue, EpilogueActivation, NodeAnnotations, OutputView } from './annotations.ts';
export type { OpAttrsByName, OpName } from './op-attrs.ts';

export type ValueId = number;
export type NodeId = number;

export interface Value<D = number> {
  id: ValueId;
  /** Readable name: the source name where there is one (`inception3a.p2`), else generated. */
  name: string;
  shape: D[];
  /** The node that produces it; undefined for graph inputs. */
  producer?: NodeId;
  span?: Span;
}

/** A weight tensor of a node, e.g. role `weight` named `inception3a.p2_2.weight`. */
export interface ParamRef<D = number> {
  /** Full hierarchical name, the key in a weight file. */
  name: string;
  shape: D[];
  /** Trainable parameter (counted in `params`) or buffer (batch-norm running statistics). */
  trainable: boolean;
}

interface NodeCommon<D> {
  id: NodeId;
  /** Hierarchical instance name, e.g. `inception3a.p2_2`; unique within the graph. */
  name: string;
  inputs: ValueId[];
  outputs: ValueId[];
  /** Weights by role (`weight`, `bias`, `running_mean`, ...). */
  params: Record<string, ParamRef<D>>;
  /** Source of the operator call, and the instance chain it came through (innermost first). */
  span: Span;
  instances: InstanceFrame[];
}

/** A node of operator `K`: its attributes are that operator's, plus what passes record. */
export type NodeOf<K extends OpName, D = number> = NodeCommon<D> & {
  op: K;
  attrs: OpAttrsByName[K] & NodeAnnotations;
};

/** Any node; `if (node.op === 'conv')` narrows `node.attrs` to the conv's attributes. */
export type Node<D = number> = { [K in OpName]: NodeOf<K, D> }[OpName];

/** A node before it is given its id (`Omit` over each operator, so `op` still narrows `attrs`). */
export type NodeInit<D = number> = { [K in OpName]: Omit<NodeOf<K, D>, 'id'> }[OpName];

export interface GraphIO {
  name: string;
  value: ValueId;
}

export interface Graph<D = number> {
  /** Name of the network this graph was built from. */
  name: string;
  values: Value<D>[];
  nodes: Node<D>[];
  inputs: GraphIO[];
  outputs: GraphIO[];
  /** Set by the memory planner (passes/plan-memory.ts), the last pass. */
  memory?: MemoryPlan;
}

/** Weight data by full parameter name. */
export type WeightStore = Map<string, import('./tensor.ts').Tensor>;

/**
 * Where every value lives in the one activation arena, as planned by passes/plan-memory.ts.
 * Values that alias another (a channel slice of a fused conv's output, a concat operand
 * written in place, an in-place activation) share its bytes at an offset.
 */
export interface MemoryPlan {
  /** Bytes of the arena holding every planned value. */
  arenaBytes: number;
  /** Sum of the sizes of all values: what the graph would take without reuse. */
  unplannedBytes: number;
  slots: Map<ValueId, { offset: number; bytes: number }>;
}

