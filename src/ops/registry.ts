/**
 * The operator table: one entry per operator, combining each family's rules (`def.ts`:
 * arguments, attribute normalisation, shape, weights, MACs) with its reference kernel
 * (`interp.ts`). Stages look operators up here instead of switching on names.
 */
import type { OpName } from './attrs.ts';
import type { OpDef, Spelling } from './types.ts';
import { reluDef, relu6Def, clipDef, leakyReluDef, sigmoidDef, tanhDef } from './activation/def.ts';
import { reluInterp, relu6Interp, clipInterp, leakyReluInterp, sigmoidInterp, tanhInterp } from './activation/interp.ts';
import { batchnormDef } from './batchnorm/def.ts';
import { batchnormInterp } from './batchnorm/interp.ts';
import { concatDef } from './concat/def.ts';
import { concatInterp } from './concat/interp.ts';
import { convDef } from './conv/def.ts';
import { convInterp } from './conv/interp.ts';
import { convTransposeDef } from './conv_transpose/def.ts';
import { convTransposeInterp } from './conv_transpose/interp.ts';
import { addDef, mulDef } from './elementwise/def.ts';
import { addInterp, mulInterp } from './elementwise/interp.ts';
import { flattenDef } from './flatten/def.ts';
import { flattenInterp } from './flatten/interp.ts';
import { dropoutDef, identityDef } from './identity/def.ts';
import { dropoutInterp, identityInterp } from './identity/interp.ts';
import { linearDef } from './linear/def.ts';
import { linearInterp } from './linear/interp.ts';
import { adaptiveAvgpoolDef, adaptiveMaxpoolDef, avgpoolDef, maxpoolDef } from './pool/def.ts';
import { adaptiveAvgpoolInterp, adaptiveMaxpoolInterp, avgpoolInterp, maxpoolInterp } from './pool/interp.ts';
import { sliceDef } from './slice/def.ts';
import { softmaxDef } from './softmax/def.ts';
import { softmaxInterp } from './softmax/interp.ts';
import { upsampleDef } from './upsample/def.ts';
import { upsampleInterp } from './upsample/interp.ts';

/** Join a family's rules with its kernel. */
function entry<A>(def: Omit<OpDef<A>, 'interp'>, interp: OpDef<A>['interp']): OpDef<A> {
  return Object.freeze({ ...def, interp });
}

export const OPS: readonly OpDef[] = Object.freeze([
  entry(convDef, convInterp),
  entry(convTransposeDef, convTransposeInterp),
  entry(maxpoolDef, maxpoolInterp),
  entry(avgpoolDef, avgpoolInterp),
  entry(adaptiveAvgpoolDef, adaptiveAvgpoolInterp),
  entry(adaptiveMaxpoolDef, adaptiveMaxpoolInterp),
  entry(batchnormDef, batchnormInterp),
  entry(reluDef, reluInterp),
  entry(relu6Def, relu6Interp),
  entry(clipDef, clipInterp),
  entry(leakyReluDef, leakyReluInterp),
  entry(sigmoidDef, sigmoidInterp),
  entry(tanhDef, tanhInterp),
  entry(softmaxDef, softmaxInterp),
  entry(addDef, addInterp),
  entry(mulDef, mulInterp),
  entry(concatDef, concatInterp),
  entry(flattenDef, flattenInterp),
  entry(linearDef, linearInterp),
  entry(dropoutDef, dropoutInterp),
  entry(identityDef, identityInterp),
  entry(upsampleDef, upsampleInterp),
  // Created by optimisation passes only; it has no spelling in the language.
  sliceDef as OpDef,
]);

const bySpelling = new Map<string, { def: OpDef; spelling: Spelling }>();
const byName = new Map<string, OpDef>();
for (const def of OPS) {
  byName.set(def.name, def);
  for (const spelling of def.spellings) bySpelling.set(spelling.name, { def, spelling });
}

/** The operator a name in the language refers to (`conv2d` -> conv with rank 2). */
export function lookupOp(spelling: string): { def: OpDef; spelling: Spelling } | undefined {
  return bySpelling.get(spelling);
}

/** The table entry of a canonical IR operator name. */
export function opByName(name: OpName): OpDef {
  const def = byName.get(name);
  if (!def) throw new Error(`operator table has no entry for ${name}`);
  return def;
}

/** Every operator name the language accepts, sorted (for completion and "did you mean"). */
export function allSpellings(): string[] {
  return [...bySpelling.keys()].sort();
}
