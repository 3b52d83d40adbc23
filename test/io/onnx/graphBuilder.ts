/** Small hand-built IR graphs for the ONNX tests: one call per node, shapes given explicitly. */
import type { Graph, Node, ParamRef, Value, WeightStore } from '../../../src/ir/graph.ts';
import { detTensor } from '../../../src/io/detTensor.ts';
import { syntheticSpan } from '../../../src/diag/span.ts';

export class GraphBuilder {
  readonly values: Value<number>[] = [];
  readonly nodes: Node<number>[] = [];
  readonly inputs: { name: string; value: number }[] = [];
  readonly outputs: { name: string; value: number }[] = [];
  readonly weights: WeightStore = new Map();

  constructor(readonly name = 'Test') {}

  input(name: string, shape: number[]): number {
    const id = this.values.length;
    this.values.push({ id, name, shape });
    this.inputs.push({ name, value: id });
    return id;
  }

  /**
   * Add a node; `params` maps a role to a shape. Weight data is deterministic pseudo-random,
   * running variances positive.
   */
  node(op: string, name: string, inputs: number[], attrs: object, outShape: number[], params: Record<string, number[]> = {}): number {
    const id = this.values.length;
    const nodeId = this.nodes.length;
    this.values.push({ id, name: `${name}.out`, shape: outShape, producer: nodeId });
    const refs: Record<string, ParamRef<number>> = {};
    for (const [role, shape] of Object.entries(params)) {
      const full = `${name}.${role}`;
      // Running statistics and the constant operand `value` of add/sub/mul/div are buffers.
      refs[role] = { name: full, shape, trainable: !role.startsWith('running_') && role !== 'value' };
      const [lo, hi] = role === 'running_var' ? [0.5, 1.5] : [-0.5, 0.5];
      this.weights.set(full, detTensor(`test/${full}`, shape, lo, hi));
    }
    this.nodes.push({
      id: nodeId, op, name, inputs, outputs: [id], attrs, params: refs,
      span: syntheticSpan(), instances: [],
    } as Node<number>);
    return id;
  }

  output(name: string, value: number): void {
    this.outputs.push({ name, value });
  }

  graph(): Graph<number> {
    return { name: this.name, values: this.values, nodes: this.nodes, inputs: this.inputs, outputs: this.outputs };
  }
}
