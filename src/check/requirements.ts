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
import { combineRequirements, dimSymbols, dimToString, evalDim, type Dim, type Requirement } from '../ir/dim/dim.ts';
import { lcmBig } from '../ir/dim/dim-rational.ts';

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
  /** Every place that asked for it (for a divisibility: each on the same sizes, with its own divisor). */
  sources: { text: string; span: Span; instances: InstanceFrame[] }[];
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
    this.positive.set(key, { text, kind: 'positive', expr, span, instances, network: this.network, sources: [{ text, span, instances }] });
  }

  /** The divisibility recorded so far, alone and combined: what messages may assume when they print sizes. */
  assumptions(): Requirement[] {
    const raw = this.divisible.map((o) => o.req);
    return raw.length === 0 ? [] : [...raw, ...(combineRequirements(raw) ?? [])];
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
        const key = dimSymbols(r.expr).join(',');
        const sources = this.divisible.filter((_, i) => symbolKeys[i] === key).map((o) => ({ text: o.req.text, span: o.span, instances: o.instances }));
        out.push({
          text: r.text, kind: 'divisible', expr: r.expr, divisor: r.divisor,
          span: origin.span, instances: origin.instances, network: this.network, sources,
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

/** Whether the bound sizes meet a requirement; undefined when a size it uses is not bound. */
function holds(r: ShapeRequirement, bindings: ReadonlyMap<string, number>): boolean | undefined {
  const n = evalDim(r.expr, bindings);
  if (n === undefined) {
    // Not a whole number: an exact division inside the expression failed.
    return dimSymbols(r.expr).every((s) => bindings.has(s)) ? false : undefined;
  }
  return r.kind === 'divisible' ? n % (r.divisor ?? 1) === 0 : n >= 1;
}

/** The sizes nearest to the bound one, below and above, that meet every requirement on that size. */
function sizesThatWork(symbol: string, reqs: readonly ShapeRequirement[], bindings: ReadonlyMap<string, number>): number[] {
  const on = reqs.filter((r) => dimSymbols(r.expr).includes(symbol));
  const bound = bindings.get(symbol)!;
  const works = (v: number) => {
    const b = new Map(bindings).set(symbol, v);
    return on.every((r) => holds(r, b) === true);
  };
  // Candidates: the sizes next to the bound one, and the multiples of every divisor (and of
  // their least common multiple) around it. A fixed number of tries, whatever the divisors:
  // a divisor of 2^40 must not mean 2^42 tries.
  const candidates = new Set<number>();
  for (let d = 1; d <= 256; d++) candidates.add(bound - d).add(bound + d);
  const divisors = on.map((r) => r.divisor ?? 1).filter((k) => k > 1);
  const lcm = divisors.reduce((a, k) => lcmBig(a, BigInt(k)), 1n);
  for (const k of lcm <= BigInt(Number.MAX_SAFE_INTEGER) ? [...divisors, Number(lcm)] : divisors) {
    const m = Math.floor(bound / k) * k;
    for (const v of [m - k, m, m + k, m + 2 * k]) candidates.add(v);
  }
  let below: number | undefined;
  let above: number | undefined;
  for (const v of [...candidates].filter((v) => v >= 1 && v !== bound && Number.isSafeInteger(v)).sort((a, b) => Math.abs(a - bound) - Math.abs(b - bound))) {
    if (below !== undefined && above !== undefined) break;
    if (v < bound ? below !== undefined : above !== undefined) continue;
    if (!works(v)) continue;
    if (v < bound) below = v;
    else above = v;
  }
  return [below, above].filter((v): v is number => v !== undefined);
}

/** Where a requirement arose as the checked file shows it: the call of the library block it came from. */
function inFile(span: Span, instances: readonly InstanceFrame[], file: string): { span: Span; via?: InstanceFrame } {
  if (span.file === file) return { span };
  const frame = [...instances].reverse().find((f) => f.span.file === file);
  return frame ? { span: frame.span, via: frame } : { span };
}

const listText = (xs: readonly string[]): string =>
  xs.length <= 1 ? xs.join('') : `${xs.slice(0, -1).join(', ')} and ${xs[xs.length - 1]}`;

/**
 * Requirements the bound sizes break, one error each (NET2107): which requirement, which
 * size breaks it, where it comes from (each place that asked for it, in the checked file),
 * and the nearest sizes that would work.
 */
export function bindingViolations(reqs: readonly ShapeRequirement[], bindings: ReadonlyMap<string, number>, file: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const r of reqs) {
    if (holds(r, bindings) !== false) continue;
    const symbols = dimSymbols(r.expr);
    const values = symbols.map((s) => `${s} = ${bindings.get(s)}`).join(', ');
    const expr = dimToString(r.expr);
    const single = symbols.length === 1 && (r.kind === 'positive' || expr === symbols[0]);
    const what = single ? `${values} is not`
      : r.kind === 'divisible' ? `with ${values} it is ${evalDim(r.expr, bindings) ?? 'not a whole number'}` : `with ${values} it is not`;
    const alternatives = symbols.length === 1 ? sizesThatWork(symbols[0]!, reqs, bindings) : [];
    const work = alternatives.length > 0 ? `; ${alternatives.join(' or ')} would work` : '';
    const places = r.sources.map((s) => ({ ...inFile(s.span, s.instances, file), text: s.text }));
    // The first place of each weaker requirement that led to this one (D by 2, then by 4).
    const seen = new Set<string>([r.text]);
    const distinct = places.filter((p) => (seen.has(p.text) ? false : (seen.add(p.text), true)));
    const origin = inFile(r.span, r.instances, file);
    const by = distinct.map((p) => (p.via ? p.via.instance : `line ${p.span.start.line}`));
    const notes = by.length > 0 ? [`it builds up through ${listText([...by, origin.via ? origin.via.instance : `line ${origin.span.start.line}`])}`] : [];
    out.push(diag('NET2107', origin.span, { text: r.text, detail: `${what}${work}` }, {
      related: distinct.filter((p) => p.span !== origin.span).map((p) => ({ span: p.span, message: p.via ? `${p.text} for ${p.via.instance}` : `${p.text} here` })),
      notes,
      instances: origin.via ? [] : r.instances,
    }));
  }
  return out;
}
