/**
 * Conditions on symbolic sizes that the network needs but that are not errors while the
 * sizes are free: "H must be divisible by 16" (exact divisions, stride-2 layers feeding
 * concatenations) and "H must be at least 7" (sizes left after kernels). They are collected
 * per network, combined into their strongest form, and reported as notes at the span where
 * they first arose.
 */
import type { Span } from '../diag/span.ts';
import type { InstanceFrame } from '../diag/diagnostic.ts';
import { diag } from '../diag/make.ts';
import type { Diagnostic } from '../diag/diagnostic.ts';
import { combineRequirements, dimSymbols, dimToString, type Dim, type Requirement } from '../ir/dim/dim.ts';

export interface ShapeRequirement {
  /** "H must be divisible by 16", "H must be at least 7". */
  text: string;
  kind: 'divisible' | 'positive';
  expr: Dim;
  /** For `divisible`: the divisor. */
  divisor?: number;
  span: Span;
  instances: InstanceFrame[];
  network: string;
}

interface Occurrence {
  req: Requirement;
  span: Span;
  instances: InstanceFrame[];
}

export class RequirementCollector {
  private readonly divisible: Occurrence[] = [];
  private readonly positive = new Map<string, ShapeRequirement>();
  private network = '';

  startNetwork(name: string): void {
    this.network = name;
  }

  addDivisibility(reqs: readonly Requirement[], span: Span, instances: InstanceFrame[]): void {
    for (const req of reqs) this.divisible.push({ req, span, instances });
  }

  addPositive(text: string, expr: Dim, span: Span, instances: InstanceFrame[]): void {
    // "H must be at least 8" supersedes "H must be at least 2": keep the largest bound per name.
    const m = /^(.+) must be at least (\d+)$/.exec(text);
    const key = m ? `min:${m[1]}` : text;
    const prev = this.positive.get(key);
    if (prev && m) {
      const old = /at least (\d+)$/.exec(prev.text);
      if (old && Number(old[1]) >= Number(m[2])) return;
    } else if (prev) return;
    this.positive.set(key, { text, kind: 'positive', expr, span, instances, network: this.network });
  }

  /** The combined requirements: each divisibility in its strongest form, then positivity. */
  result(): ShapeRequirement[] {
    const out: ShapeRequirement[] = [];
    if (this.divisible.length > 0) {
      const combined = combineRequirements(this.divisible.map((o) => o.req)) ?? this.divisible.map((o) => o.req);
      // The symbols of each occurrence, once: every combined requirement looks through all of them.
      const symbolKeys = this.divisible.map((o) => dimSymbols(o.req.expr).join(','));
      for (const r of combined) {
        const origin = this.originOf(r, symbolKeys);
        out.push({
          text: r.text, kind: 'divisible', expr: r.expr, divisor: r.divisor,
          span: origin.span, instances: origin.instances, network: this.network,
        });
      }
    }
    out.push(...this.positive.values());
    return out;
  }

  /** Where a combined requirement arose: the first occurrence on the same symbols with the largest divisor. */
  private originOf(r: Requirement, symbolKeys: readonly string[]): Occurrence {
    const key = dimSymbols(r.expr).join(',');
    let best: Occurrence | undefined;
    for (let i = 0; i < this.divisible.length; i++) {
      const o = this.divisible[i]!;
      if (symbolKeys[i] !== key) continue;
      if (!best || o.req.divisor > best.req.divisor) best = o;
    }
    return best ?? this.divisible.find((o) => dimToString(o.req.expr) === dimToString(r.expr)) ?? this.divisible[0]!;
  }
}

export function requirementNotes(reqs: readonly ShapeRequirement[]): Diagnostic[] {
  return reqs.map((r) =>
    diag('NET2104', r.span, { text: r.text }, {
      instances: r.instances,
      notes: [`a requirement on the input sizes of ${r.network}; it is checked when they are bound (--bind)`],
    }));
}
