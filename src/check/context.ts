/**
 * State of one network's instantiation: the graph being built, diagnostics, requirements,
 * hover records and limit counters (`Elab`); the variables of a block instance (`Env`); the
 * naming of instances (`Namespace`, `Naming`); and what an expression is evaluated in
 * (`Scope`).
 */
import type { BlockDecl, Stmt } from '../syntax/ast.ts';
import type { Span } from '../diag/span.ts';
import type { Diagnostic, InstanceFrame } from '../diag/diagnostic.ts';
import { diag } from '../diag/make.ts';
import type { Graph, Node, NodeInit, Value } from '../ir/graph.ts';
import type { Dim } from '../ir/dim/dim.ts';
import type { LoadedProgram, ModuleInfo } from './modules.ts';
import type { Val } from './values.ts';
import { LIMITS, type Limits } from '../ir/limits.ts';
import { RequirementCollector } from './requirements.ts';
import type { CallText } from './fixes.ts';

/** What the language server shows on hover: the shape (or scalar value) of a named value or stage. */
export interface HoverInfo {
  span: Span;
  /** Name of the value, for named values; undefined for pipeline stages. */
  name?: string;
  /** Network the instance belongs to, and the instance path ('' at the network's top level). */
  network: string;
  instance: string;
  shape?: Dim[];
  scalar?: string;
  /** For a stage's label: the full name of the instance it names (`features.0.0`). */
  instanceName?: string;
}

/** Thrown when a limit is exceeded, after its diagnostic has been reported. */
export class LimitExceeded extends Error {}

export class Elab {
  readonly graph: Graph<Dim>;
  /** Values already given a source name (a let or an input); others keep their node's name. */
  readonly namedValues = new Set<number>();
  readonly constCache = new Map<object, Val>();
  readonly constsInProgress = new Set<object>();
  readonly usedBindings = new Set<string>();
  /** inputDependentParams of each block, computed once per network (blocks repeat). */
  readonly dependentParams = new Map<BlockDecl, ReadonlySet<string>>();
  /** Where each operator node's call is written, by node id (edits that fix a call). */
  readonly callTexts = new Map<number, CallText>();
  /** Statements the parser repaired (damaged.ts): their values count as errors. */
  damaged: ReadonlySet<Stmt> = new Set();
  private steps = 0;

  constructor(
    readonly prog: LoadedProgram,
    readonly networkName: string,
    readonly diags: Diagnostic[],
    readonly requirements: RequirementCollector,
    /** Where hover records go; undefined when they are not collected. */
    readonly hovers: HoverInfo[] | undefined,
    readonly bindings: ReadonlyMap<string, number>,
    readonly limits: Limits = { ...LIMITS },
  ) {
    this.graph = { name: networkName, values: [], nodes: [], inputs: [], outputs: [] };
  }

  report(d: Diagnostic): void {
    this.diags.push(d);
  }

  /** Count one unit of work; past the limit, report and abandon the network. */
  step(span: Span): void {
    if (++this.steps > this.limits.steps) {
      this.report(diag('NET9006', span, { limit: this.limits.steps }));
      throw new LimitExceeded();
    }
  }

  addValue(name: string, shape: Dim[], span: Span, producer?: number): Value<Dim> {
    const v: Value<Dim> = { id: this.graph.values.length, name, shape, span, producer };
    this.graph.values.push(v);
    return v;
  }

  addNode(node: NodeInit<Dim>): Node<Dim> {
    if (this.graph.nodes.length >= this.limits.nodes) {
      this.report(diag('NET9004', node.span, { limit: this.limits.nodes }, { instances: node.instances }));
      throw new LimitExceeded();
    }
    const n: Node<Dim> = { id: this.graph.nodes.length, ...node };
    this.graph.nodes.push(n);
    return n;
  }
}

/** Variables of a block instance; repeat bodies add a child scope for their index. */
export class Env {
  private readonly vars = new Map<string, Val>();
  constructor(private readonly parent?: Env) {}

  get(name: string): Val | undefined {
    return this.vars.get(name) ?? this.parent?.get(name);
  }

  has(name: string): boolean {
    return this.vars.has(name) || (this.parent?.has(name) ?? false);
  }

  set(name: string, v: Val): void {
    this.vars.set(name, v);
  }

  child(): Env {
    return new Env(this);
  }
}

/** Instance names used in one namespace (a block instance, a seq, a repeat iteration). */
export class Namespace {
  private readonly used = new Map<string, { span: Span; inlinedAt?: Span }>();
  private readonly counters = new Map<string, number>();
  constructor(readonly path: string) {}

  full(local: string): string {
    return this.path === '' ? local : `${this.path}.${local}`;
  }

  /**
   * Take a name; a second instance with the same name is NET1020. `inlinedAt` is the `_:` call
   * whose block body the name comes from, if any (the name's own span is then in that block).
   */
  claim(local: string, span: Span, elab: Elab, instances: InstanceFrame[], inlinedAt?: Span): void {
    const first = this.used.get(local);
    if (first) {
      const related = [{ span: first.span, message: 'the first instance with this name' }];
      if (first.inlinedAt) related.push({ span: first.inlinedAt, message: 'the first one comes from this call without a namespace' });
      if (inlinedAt) related.push({ span: inlinedAt, message: 'the second one comes from this call without a namespace' });
      elab.report(diag('NET1020', span, { name: this.full(local) }, { related, instances }));
      return;
    }
    this.used.set(local, { span, inlinedAt });
  }

  /** The next automatic name with this prefix: `conv1`, `conv2`, ... */
  next(prefix: string, sep = ''): string {
    const n = (this.counters.get(prefix) ?? 0) + 1;
    this.counters.set(prefix, n);
    return `${prefix}${sep}${n}`;
  }
}

/** How stages are named where they appear: in a namespace, by index inside a seq. */
export interface Naming {
  ns: Namespace;
  seq?: { next: number };
}

/** A block instance being elaborated. */
export interface Frame {
  mod: ModuleInfo;
  block: BlockDecl;
  /** Innermost first; empty at the network's top level. */
  instances: InstanceFrame[];
  /** Blocks being instantiated, outermost first (recursion check). */
  blockStack: BlockDecl[];
  /** Instance path of this block instance ('' for the network). */
  path: string;
  /** For a block called with `_:` (no namespace of its own): where it was called. */
  inlinedAt?: Span;
}

export interface Scope {
  elab: Elab;
  frame: Frame;
  env: Env;
  naming: Naming;
  depth: number;
}
