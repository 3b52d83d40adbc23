/**
 * The operator table: one entry per operator, combining each family's rules (`def.ts`:
 * arguments, attribute normalisation, shape, weights, MACs, traits) with its reference kernel
 * (`interp.ts`). Stages look operators up here instead of switching on names.
 *
 * `OP_TABLE` is typed `{ [K in OpName]: OpDef<K> }`: an operator whose attributes are declared
 * (ir/op-attrs.ts `OpAttrsByName`) but that has no entry here, or an entry whose name was
 * never declared, is a type error.
 */
import type { Graph, Node } from '../ir/graph.ts';
import type { OpName } from '../ir/op-attrs.ts';
import type { OpDef, Spelling } from './types.ts';
import { reluDef, relu6Def, clipDef, leakyReluDef, sigmoidDef, tanhDef } from './activation/def.ts';
import { eluDef, geluDef, hardsigmoidDef, hardswishDef, siluDef } from './activation/gated.ts';
import { activationKernel } from './activation/interp.ts';
import { batchnormDef } from './batchnorm/def.ts';
import { batchnormInterp } from './batchnorm/interp.ts';
import { channelShuffleDef } from './channel_shuffle/def.ts';
import { channelShuffleInterp } from './channel_shuffle/interp.ts';
import { concatDef } from './concat/def.ts';
import { concatInterp } from './concat/interp.ts';
import { convDef } from './conv/def.ts';
import { convInterp } from './conv/interp.ts';
import { convTransposeDef } from './conv_transpose/def.ts';
import { convTransposeInterp } from './conv_transpose/interp.ts';
import { addDef, divDef, mulDef, subDef } from './elementwise/def.ts';
import { addInterp, divInterp, mulInterp, subInterp } from './elementwise/interp.ts';
import { flattenDef } from './flatten/def.ts';
import { flattenInterp } from './flatten/interp.ts';
import { dropoutDef, identityDef } from './identity/def.ts';
import { dropoutInterp, identityInterp } from './identity/interp.ts';
import { linearDef } from './linear/def.ts';
import { linearInterp } from './linear/interp.ts';
import { padDef } from './pad/def.ts';
import { padInterp } from './pad/interp.ts';
import { adaptiveAvgpoolDef, adaptiveMaxpoolDef, avgpoolDef, maxpoolDef } from './pool/def.ts';
import { adaptiveAvgpoolInterp, adaptiveMaxpoolInterp, avgpoolInterp, maxpoolInterp } from './pool/interp.ts';
import { preluDef } from './prelu/def.ts';
import { preluInterp } from './prelu/interp.ts';
import { reduceMaxDef, reduceMeanDef } from './reduce/def.ts';
import { reduceMaxInterp, reduceMeanInterp } from './reduce/interp.ts';
import { sliceDef } from './slice/def.ts';
import { softmaxDef } from './softmax/def.ts';
import { softmaxInterp } from './softmax/interp.ts';
import { upsampleDef } from './upsample/def.ts';
import { upsampleInterp } from './upsample/interp.ts';

/** Join a family's rules with its kernel. */
function entry<K extends OpName>(def: Omit<OpDef<K>, 'interp'>, interp: OpDef<K>['interp']): OpDef<K> {
  return Object.freeze({ ...def, interp });
}

/** An activation's kernel is its formula, evaluated per element. */
function activationEntry<K extends OpName>(def: Omit<OpDef<K>, 'interp'> & Required<Pick<OpDef<K>, 'activation'>>): OpDef<K> {
  return entry(def, activationKernel(def.activation));
}

/** Every operator, by canonical name (the order is the order of `OPS`). */
export const OP_TABLE: { readonly [K in OpName]: OpDef<K> } = Object.freeze({
  conv: entry(convDef, convInterp),
  conv_transpose: entry(convTransposeDef, convTransposeInterp),
  maxpool: entry(maxpoolDef, maxpoolInterp),
  avgpool: entry(avgpoolDef, avgpoolInterp),
  adaptive_avgpool: entry(adaptiveAvgpoolDef, adaptiveAvgpoolInterp),
  adaptive_maxpool: entry(adaptiveMaxpoolDef, adaptiveMaxpoolInterp),
  reduce_mean: entry(reduceMeanDef, reduceMeanInterp),
  reduce_max: entry(reduceMaxDef, reduceMaxInterp),
  batchnorm: entry(batchnormDef, batchnormInterp),
  relu: activationEntry(reluDef),
  relu6: activationEntry(relu6Def),
  clip: activationEntry(clipDef),
  leaky_relu: activationEntry(leakyReluDef),
  sigmoid: activationEntry(sigmoidDef),
  tanh: activationEntry(tanhDef),
  hardsigmoid: activationEntry(hardsigmoidDef),
  hardswish: activationEntry(hardswishDef),
  silu: activationEntry(siluDef),
  gelu: activationEntry(geluDef),
  elu: activationEntry(eluDef),
  prelu: entry(preluDef, preluInterp),
  softmax: entry(softmaxDef, softmaxInterp),
  add: entry(addDef, addInterp),
  sub: entry(subDef, subInterp),
  mul: entry(mulDef, mulInterp),
  div: entry(divDef, divInterp),
  concat: entry(concatDef, concatInterp),
  channel_shuffle: entry(channelShuffleDef, channelShuffleInterp),
  flatten: entry(flattenDef, flattenInterp),
  linear: entry(linearDef, linearInterp),
  dropout: entry(dropoutDef, dropoutInterp),
  identity: entry(identityDef, identityInterp),
  upsample: entry(upsampleDef, upsampleInterp),
  pad: entry(padDef, padInterp),
  // Created by optimisation passes only; it has no spelling in the language.
  slice: sliceDef,
});

/**
 * Every entry, as `OpDef` (of any operator): what stages that treat operators alike iterate
 * over. Code about one operator reads `OP_TABLE[name]`, typed with that operator's attributes.
 */
export const OPS: readonly OpDef[] = Object.freeze(Object.values(OP_TABLE));

const bySpelling = new Map<string, { def: OpDef; spelling: Spelling }>();
for (const def of OPS) {
  for (const spelling of def.spellings) bySpelling.set(spelling.name, { def, spelling });
}

/** The operator a name in the language refers to (`conv2d` -> conv with rank 2). */
export function lookupOp(spelling: string): { def: OpDef; spelling: Spelling } | undefined {
  return bySpelling.get(spelling);
}

/** The table entry of a canonical IR operator name. */
export function opByName<K extends OpName>(name: K): OpDef<K> {
  return OP_TABLE[name] as OpDef<K>;
}

/** Multiply-adds of a node with concrete shapes, by its operator's rule (0 for operators without one). */
export function nodeMacs(node: Pick<Node<unknown>, 'op' | 'attrs'>, inputs: number[][], output: number[]): number {
  const macs = opByName(node.op).macs as ((attrs: unknown, inputs: number[][], output: number[]) => number) | undefined;
  return macs ? macs(node.attrs, inputs, output) : 0;
}

/** Multiply-adds of a whole concrete graph. */
export function graphMacs(graph: Graph<number>): number {
  return graph.nodes.reduce((s, n) => s + nodeMacs(n, n.inputs.map((v) => graph.values[v]!.shape), graph.values[n.outputs[0]!]!.shape), 0);
}

/** Whether `name` is a canonical IR operator name (for names read from files or the command line). */
export function isOpName(name: string): name is OpName {
  return Object.hasOwn(OP_TABLE, name);
}

/** The operator a tensor infix operator (`+`, `-`, `*`, `/`) stands for. */
export function opByInfix(symbol: string): OpDef | undefined {
  return OPS.find((def) => def.infix === symbol);
}

/** Every operator name the language accepts, sorted (for completion and "did you mean"). */
export function allSpellings(): string[] {
  return [...bySpelling.keys()].sort();
}
