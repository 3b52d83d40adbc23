/**
 * What an ONNX operator handler works with while a model is imported: the node, its inputs
 * as IR values or constants, typed attribute readers, and the graph being built. A handler
 * that meets something it cannot map calls `reject` (NET5011) or `mismatch` (NET5012); the
 * import then stops and reports, so no half-built graph escapes.
 */
import type { DiagnosticCode } from '../../diag/catalogue.ts';
import type { Diagnostic } from '../../diag/diagnostic.ts';
import { diag } from '../../diag/make.ts';
import type { Node, OpAttrsByName, OpName, ParamRef, Value, WeightStore } from '../../ir/graph.ts';
import { syntheticSpan, type Span } from '../../diag/span.ts';
import type { OnnxAttr, OnnxConst, OnnxNode } from './read.ts';

export class ImportFailure extends Error {
  constructor(readonly diagnostic: Diagnostic) {
    super(diagnostic.message);
  }
}

/** An ONNX value during import: a tensor of the IR graph, or a constant known at import time. */
export type Operand = { kind: 'value'; id: number } | { kind: 'const'; c: OnnxConst; name: string };

/** A node the handler wants in the graph; its instance name and weight names are chosen later. */
export type PendingNode = { [K in OpName]: PendingNodeOf<K> }[OpName];

interface PendingNodeOf<K extends OpName> {
  op: K;
  inputs: number[];
  attrs: OpAttrsByName[K];
  outShape: number[];
  /** Weights by role, with their data and the initializer they came from (for naming). */
  params: Record<string, { data: Float32Array; shape: number[]; trainable: boolean; source?: string }>;
}

export class ImportState {
  readonly values: Value<number>[] = [];
  readonly nodes: Node<number>[] = [];
  readonly weights: WeightStore = new Map();
  /** ONNX value name -> operand. */
  readonly env = new Map<string, Operand>();
  /** How many nodes read each ONNX value (graph outputs count as readers). */
  readonly uses = new Map<string, number>();
  /** ONNX nodes a handler consumed together with an earlier one (MatMul + Add). */
  readonly absorbed = new Set<OnnxNode>();
  readonly span: Span;

  constructor(readonly file: string, readonly opset: number) {
    this.span = syntheticSpan(file);
  }

  fail(code: DiagnosticCode, args: Record<string, string | number>): never {
    throw new ImportFailure(diag(code, this.span, { file: this.file, ...args }));
  }
}

const kindNames: Record<OnnxAttr['kind'], string> = {
  int: 'INT', ints: 'INTS', float: 'FLOAT', floats: 'FLOATS', string: 'STRING', tensor: 'TENSOR', other: 'another type',
};

export class NodeContext {
  constructor(readonly state: ImportState, readonly node: OnnxNode, readonly consumers: (value: string) => OnnxNode[]) {}

  get opset(): number {
    return this.state.opset;
  }

  reject(detail: string): never {
    this.state.fail('NET5011', { node: this.node.name, op: this.node.opType, detail });
  }

  mismatch(detail: string): never {
    this.state.fail('NET5012', { node: this.node.name, op: this.node.opType, detail });
  }

  has(i: number): boolean {
    return (this.node.inputs[i] ?? '') !== '';
  }

  operand(i: number): Operand {
    const name = this.node.inputs[i] ?? '';
    if (name === '') this.reject(`input ${i} is required`);
    return this.state.env.get(name)!;
  }

  /** Input i as an IR value; a constant there is not supported. */
  tensor(i: number): number {
    const o = this.operand(i);
    if (o.kind !== 'value') this.reject(`input ${i} (${o.name}) is a constant; netc needs a computed tensor there`);
    return o.id;
  }

  shape(i: number): number[] {
    return this.state.values[this.tensor(i)]!.shape;
  }

  /** Input i as a constant (a weight, clip bound, scale ...). */
  constant(i: number, what: string): OnnxConst & { name: string } {
    const o = this.operand(i);
    if (o.kind !== 'const') this.reject(`the ${what} (input ${i}, ${this.node.inputs[i]}) must be an initializer or a Constant, not a computed tensor`);
    return { ...o.c, name: o.name };
  }

  floats(i: number, what: string): { dims: number[]; data: Float32Array; name: string } {
    const c = this.constant(i, what);
    const data = c.floats ?? (c.ints ? Float32Array.from(c.ints) : new Float32Array(0));
    return { dims: c.dims, data, name: c.name };
  }

  ints(i: number, what: string): number[] {
    const c = this.constant(i, what);
    if (!c.ints) this.reject(`the ${what} (input ${i}) must be an integer tensor`);
    return c.ints!;
  }

  private attr(name: string, kind: OnnxAttr['kind']): OnnxAttr | undefined {
    const a = this.node.attrs.get(name);
    if (a && a.kind !== kind) this.reject(`attribute ${name} must be ${kindNames[kind]}, found ${a.kind === 'other' ? a.type : kindNames[a.kind]}`);
    return a;
  }

  attrInt(name: string, dflt: number): number {
    const a = this.attr(name, 'int');
    return a && a.kind === 'int' ? a.value : dflt;
  }

  attrInts(name: string): number[] | undefined {
    const a = this.attr(name, 'ints');
    return a && a.kind === 'ints' ? a.value : undefined;
  }

  attrFloat(name: string, dflt: number): number {
    const a = this.attr(name, 'float');
    return a && a.kind === 'float' ? a.value : dflt;
  }

  attrFloats(name: string): number[] | undefined {
    const a = this.attr(name, 'floats');
    return a && a.kind === 'floats' ? a.value : undefined;
  }

  attrString(name: string, dflt: string): string {
    const a = this.attr(name, 'string');
    return a && a.kind === 'string' ? a.value : dflt;
  }

  /** Only output 0 is mapped; reading any other output of this node is not supported. */
  onlyFirstOutput(): void {
    for (const o of this.node.outputs.slice(1)) {
      if (o !== '' && (this.state.uses.get(o) ?? 0) > 0) this.reject(`its output ${o} is read, and netc maps only the first output`);
    }
  }

  /** Bind output 0 to an IR value that already exists (Identity, Dropout). */
  alias(id: number): void {
    this.state.env.set(this.node.outputs[0]!, { kind: 'value', id });
  }

  /** Bind output 0 to a constant (Constant). */
  constantOutput(c: OnnxConst): void {
    this.state.env.set(this.node.outputs[0]!, { kind: 'const', c, name: this.node.outputs[0]! });
  }
}

export type { ParamRef };
