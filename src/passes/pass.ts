/**
 * A graph pass: takes a concrete graph and its weights, returns a new graph (and weights when
 * it changes them). Each pass lives in its own file, documents the pattern it matches and the
 * condition under which its rewrite is exact, and reports what it did in source terms.
 */
import type { Graph, WeightStore } from '../ir/graph.ts';

export interface PassResult {
  graph: Graph;
  weights: WeightStore;
}

/** What passes say they did, for `netc build --explain`. */
export class ExplainLog {
  readonly lines: { pass: string; message: string }[] = [];
  add(pass: string, message: string): void {
    this.lines.push({ pass, message });
  }
  forPass(pass: string): string[] {
    return this.lines.filter((l) => l.pass === pass).map((l) => l.message);
  }
}

export interface Pass {
  name: string;
  /** One line: what the pass does. */
  doc: string;
  run(graph: Graph, weights: WeightStore, log: ExplainLog): PassResult;
}
