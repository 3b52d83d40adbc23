/**
 * Running an operator's rules outside the checker: a recording OpContext (sameDim and
 * positiveDim as the checker decides them, with requirements collected), argument binding
 * by canonical name or PyTorch alias with defaults applied, and shape inference end to end.
 */
import { checkPositive, compareDims, constValue, dimConst, dimSym, type Dim, type Requirement } from '../../src/ir/dim/dim.ts';
import type { DiagnosticCode } from '../../src/diag/catalogue.ts';
import { lookupOp } from '../../src/ops/registry.ts';
import type { OpAttrsByName, OpName } from '../../src/ir/graph.ts';
import type { OpContext, OpDef, ScalarValue } from '../../src/ops/types.ts';

export interface Report {
  code: DiagnosticCode;
  args: Record<string, string | number>;
  at?: string;
  input?: number;
  help?: string;
}

export interface RecordingContext extends OpContext {
  reports: Report[];
  requirements: Requirement[];
  positivity: string[];
}

export function recordingContext(spelledAs: string, spellingRank?: 1 | 2 | 3): RecordingContext {
  const ctx: RecordingContext = {
    reports: [],
    requirements: [],
    positivity: [],
    spelledAs,
    spellingRank,
    report(code, args, extras) {
      ctx.reports.push({ code, args, at: extras?.at, input: extras?.input, help: extras?.help });
    },
    sameDim(a, b) {
      const r = compareDims(a, b);
      if (r.kind === 'requires') ctx.requirements.push(...r.requirements);
      return r.kind !== 'unequal';
    },
    positiveDim(d) {
      const r = checkPositive(d);
      if (r.kind === 'requires') ctx.positivity.push(r.text);
      return r.kind !== 'never';
    },
  };
  return ctx;
}

/** Bind arguments by canonical name or alias and apply defaults, as the checker does. */
export function bindArgs(def: Pick<OpDef, 'args'>, given: Record<string, ScalarValue>): Record<string, ScalarValue | undefined> {
  const out: Record<string, ScalarValue | undefined> = {};
  for (const spec of def.args) out[spec.name] = spec.default;
  for (const [name, value] of Object.entries(given)) {
    const spec = def.args.find((s) => s.name === name || s.aliases?.includes(name));
    if (!spec) throw new Error(`${name} is not an argument`);
    out[spec.name] = value;
  }
  return out;
}

export const dims = (shape: readonly (number | string)[]): Dim[] =>
  shape.map((d) => (typeof d === 'number' ? dimConst(d) : dimSym(d)));

export const concrete = (shape: readonly Dim[] | undefined): (number | undefined)[] | undefined => shape?.map(constValue);

export interface Inferred {
  def: OpDef;
  /** Undefined when attrs() reported an error; tests that read it check reports first. */
  attrs: OpAttrsByName[OpName];
  shape: Dim[] | undefined;
  ctx: RecordingContext;
}

/** attrs() then shape() of the operator spelled `spelling`, on the given input shapes. */
export function infer(spelling: string, inputs: readonly (readonly (number | string | Dim)[])[], args: Record<string, ScalarValue> = {}): Inferred {
  const found = lookupOp(spelling);
  if (!found) throw new Error(`no operator ${spelling}`);
  const ctx = recordingContext(spelling, found.spelling.rank);
  const ins = inputs.map((s) => s.map((d) => (typeof d === 'number' ? dimConst(d) : typeof d === 'string' ? dimSym(d) : d)));
  const attrs = found.def.attrs(bindArgs(found.def, args), ins, ctx);
  const shape = attrs === undefined ? undefined : found.def.shape(attrs, ins, ctx);
  return { def: found.def, attrs: attrs as OpAttrsByName[OpName], shape, ctx };
}
