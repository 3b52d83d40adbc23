/**
 * One operator call becomes one graph node: the operator's own rules normalise the
 * arguments (def.attrs), infer the output shape (def.shape) and list the weights
 * (def.weights); the OpContext given to them reports at the call or at an argument, and
 * compares sizes symbolically, recording the requirements equality needs.
 */
import type { Span } from '../diag/span.ts';
import { diag } from '../diag/make.ts';
import { catalogue, formatMessage, type DiagnosticCode } from '../diag/catalogue.ts';
import type { Diagnostic, Related } from '../diag/diagnostic.ts';
import type { OpContext, OpDef, ReportExtras, ScalarValue, Spelling } from '../ops/types.ts';
import type { NodeInit, ParamRef } from '../ir/graph.ts';
import { checkPositive, compareDims, constApprox, constValue, dimAssuming, dimToString, type Dim } from '../ir/dim/dim.ts';
import type { Scope } from './context.ts';
import { LIMITS } from '../ir/limits.ts';
import { POISON, shapeText, type TensorVal, type Val } from './values.ts';
import { channelsFix, outputPadHelp } from './help.ts';
import { isLibraryFile, pointSpan, setArgFix, type CallText } from './fixes.ts';
import type { Fix } from '../diag/diagnostic.ts';

export interface OpCallSite {
  def: OpDef;
  spelling: Spelling;
  /** The span of the call (or pipeline stage) and of each argument by canonical name. */
  span: Span;
  argSpans: Map<string, Span>;
  /** The call as written, for edits. */
  text: CallText;
  /** Whether the first input came through `|>`. */
  piped: boolean;
  inputs: TensorVal[];
  args: Record<string, ScalarValue | undefined>;
  /** Full instance name of the node. */
  name: string;
}

/** Related spans for the operands of a call: where each was produced. */
export function operandRelated(inputs: readonly TensorVal[], only?: number): Related[] {
  const out: Related[] = [];
  inputs.forEach((t, i) => {
    if (only !== undefined && i !== only) return;
    out.push({ span: t.span, message: `this operand (${t.origin}) is ${shapeText(t.shape)}, produced here` });
  });
  return out;
}

/** `x |> linear(10)` -> `x |> flatten |> linear(10)`: a stage inserted before a piped call. */
function stageBeforeFix(site: OpCallSite, stage: string): Fix | undefined {
  if (!site.piped || isLibraryFile(site.span.file)) return undefined;
  return { message: `insert |> ${stage}`, edits: [{ span: pointSpan(site.span.file, site.span.start), text: `${stage} |> ` }], machineApplicable: true };
}

/**
 * What an operator's rules see of the call: one object per call, its methods shared (a
 * network makes thousands of calls).
 */
class OpCallContext implements OpContext {
  readonly spellingRank: OpContext['spellingRank'];
  readonly spelledAs: string;
  /** Whether the operator reported something (then output sizes below 1 are not reported again). */
  reported = false;
  /** The call's first error, which later ones join as notes. */
  private first: Diagnostic | undefined;

  constructor(private readonly site: OpCallSite, private readonly s: Scope) {
    this.spellingRank = site.spelling.rank;
    this.spelledAs = site.spelling.name;
  }

  report(code: DiagnosticCode, args: Record<string, string | number>, extras: ReportExtras = {}): void {
    const isError = catalogue[code].severity === 'error';
    if (isError) this.reported = true;
    const { site, s } = this;
    if (isError && this.first) {
      // One call, one diagnostic: a further mismatch of the same call (the spatial size after
      // the channels, a second operand of a concat, another axis of a pool) is a note of the first.
      const more = formatMessage(code, args);
      if (more !== this.first.message && !this.first.notes.includes(`also: ${more}`)) this.first.notes.push(`also: ${more}`);
      if (extras.input !== undefined) {
        for (const r of operandRelated(site.inputs, extras.input)) {
          if (!this.first.related.some((x) => x.span === r.span)) this.first.related.push(r);
        }
      }
      return;
    }
    const inputs = site.inputs;
    const span = (extras.at !== undefined ? site.argSpans.get(extras.at) : undefined) ?? site.span;
    const related = [...(extras.related ?? [])];
    if (extras.input !== undefined) related.push(...operandRelated(inputs, extras.input));
    else if (inputs.length > 1) related.push(...operandRelated(inputs));
    const fixes = [...(extras.fixes ?? [])];
    let help = extras.help;
    if (extras.stageBefore !== undefined) {
      const fix = stageBeforeFix(site, extras.stageBefore);
      if (fix) fixes.push(fix);
    } else if (extras.setArg) {
      const fix = setArgFix(site.text, extras.setArg.name, extras.setArg.value, !extras.setArg.guess);
      if (fix) fixes.push(fix);
    } else if (code === 'NET2001' && extras.input !== undefined) {
      const fix = channelsFix(inputs, extras.input, s.elab);
      if (fix) fixes.push(fix);
    }
    if (!extras.setArg && extras.stageBefore === undefined && help === undefined && code !== 'NET2001') {
      const pad = outputPadHelp(inputs, s.elab);
      if (pad) {
        help = pad.help;
        related.push(pad.related);
        if (pad.fix) fixes.push(pad.fix);
      }
    }
    const { at: _at, input: _input, setArg: _setArg, stageBefore: _stageBefore, ...rest } = extras;
    const d = diag(code, span, args, { ...rest, related, help, fixes, instances: s.frame.instances });
    if (isError) this.first = d;
    s.elab.report(d);
  }

  sameDim(a: Dim, b: Dim): boolean {
    const c = compareDims(a, b);
    if (c.kind === 'equal') return true;
    if (c.kind === 'unequal') return false;
    this.s.elab.requirements.addDivisibility(c.requirements, this.site.span, this.s.frame.instances);
    return true;
  }

  dimText(d: Dim): string {
    return dimToString(dimAssuming(d, this.s.elab.requirements.assumptions()));
  }

  positiveDim(d: Dim): boolean {
    const c = checkPositive(d);
    if (c.kind === 'ok') return true;
    if (c.kind === 'never') return false;
    this.s.elab.requirements.addPositive(c.text, c.expr, this.site.span, this.s.frame.instances);
    return true;
  }
}

export function callOp(site: OpCallSite, s: Scope): Val {
  const { def, inputs } = site;
  const instances = s.frame.instances;
  const ctx = new OpCallContext(site, s);
  const shapes = inputs.map((t) => t.shape);
  const attrs = def.attrs(site.args, shapes, ctx);
  if (attrs === undefined) return POISON;
  const shape = def.shape(attrs, shapes, ctx);
  if (shape === undefined) return POISON;
  if (!checkOutputSizes(shape, site, s, ctx.reported)) return POISON;
  const params: Record<string, ParamRef<Dim>> = {};
  for (const w of def.weights?.(attrs, shapes) ?? []) {
    params[w.role] = { name: `${site.name}.${w.role}`, shape: w.shape, trainable: w.trainable };
  }
  const nodeId = s.elab.graph.nodes.length;
  s.elab.callTexts.set(nodeId, site.text);
  const value = s.elab.addValue(site.name, shape, site.span, nodeId);
  s.elab.addNode({
    op: def.name,
    name: site.name,
    inputs: inputs.map((t) => t.id),
    outputs: [value.id],
    attrs,
    params,
    span: site.span,
    instances,
    // `attrs` came from this `def`: they belong together, which TypeScript cannot follow
    // through the union of table entries.
  } as NodeInit<Dim>);
  return { t: 'tensor', id: value.id, shape, span: site.span, origin: site.spelling.name, producer: nodeId };
}

/**
 * Sizes of an output: each known size at least 1 and below 2^31. Operators check the sizes
 * they compute; this catches what they did not report.
 */
function checkOutputSizes(shape: Dim[], site: OpCallSite, s: Scope, reported: boolean): boolean {
  for (const d of shape) {
    const c = constValue(d);
    if (d.invalid) {
      s.elab.report(diag('NET9005', site.span, { dim: dimToString(d) }, { instances: s.frame.instances, notes: [d.invalid] }));
      return false;
    }
    // constApprox also sees constants beyond 2^53, for which constValue is undefined.
    const big = constApprox(d);
    if (big !== undefined && big > LIMITS.maxDim) {
      s.elab.report(diag('NET9005', site.span, { dim: c ?? dimToString(d) }, { instances: s.frame.instances }));
      return false;
    }
    if (c !== undefined && c < 1 && !reported) {
      s.elab.report(diag('NET2105', site.span, { what: `the output of ${site.spelling.name}`, detail: `it would be ${shapeText(shape)}` }, {
        instances: s.frame.instances,
        related: operandRelated(site.inputs),
      }));
      return false;
    }
  }
  return true;
}
