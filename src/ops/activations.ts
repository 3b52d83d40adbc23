/**
 * The activation formula of a node or of a fused epilogue, read from the operator table:
 * what the interpreter evaluates and the Wasm backend lowers.
 */
import type { Epilogue, EpilogueActivation } from '../ir/annotations.ts';
import type { Node } from '../ir/graph.ts';
import type { OpAttrsByName, OpName } from '../ir/op-attrs.ts';
import type { Formula } from './activation/formula.ts';
import { OP_TABLE } from './registry.ts';
import type { OpDef } from './types.ts';

/** Whether the operator is an activation (its table entry has a formula). */
export function isActivation(op: OpName): boolean {
  return OP_TABLE[op].activation !== undefined;
}

/** The formula of activation `op` with attributes `attrs`; undefined when `op` is no activation. */
export function activationFormula<K extends OpName>(op: K, attrs: Partial<OpAttrsByName[K]>): Formula | undefined {
  const def: OpDef<K> = OP_TABLE[op];
  return def.activation?.(attrs);
}

/** The activation an epilogue applies, undefined when it has none. */
export function epilogueFormula(epilogue: Epilogue | undefined): Formula | undefined {
  if (!epilogue?.activation) return undefined;
  const formula = activationFormula(epilogue.activation, epilogue);
  if (!formula) throw new Error(`epilogue activation ${epilogue.activation} is not an activation operator`);
  return formula;
}

/**
 * An activation node in the form an epilogue records it: its operator name beside its own
 * attributes (`{activation: "clip", min: 0, max: 6}`). The node must carry no pass records
 * (fuse-epilogue works on graphs cloned without them).
 */
export function epilogueActivation(node: Node): EpilogueActivation {
  if (!isActivation(node.op)) throw new Error(`${node.op} is not an activation operator`);
  // op and attrs belong together in every node; TypeScript cannot follow that through the
  // union once they are taken apart.
  return { activation: node.op, ...node.attrs } as EpilogueActivation;
}
