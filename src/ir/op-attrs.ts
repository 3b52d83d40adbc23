/**
 * The IR's operator names and the type of each operator's normalised attributes. Empty here:
 * each operator adds its entry where its attributes are defined (`ops/attrs.ts`, or the
 * operator's own folder):
 *
 *   declare module '../ir/op-attrs.ts' { interface OpAttrsByName { conv: ConvAttrs } }
 *
 * and `ops/registry.ts` must then have exactly one table entry per name (it is typed
 * `{ [K in OpName]: OpDef<K> }`), so the compiler checks that the IR, the table and every
 * `Record<OpName, ...>` of a backend agree.
 */
export interface OpAttrsByName {}

/** Canonical operator names of the IR (`conv`, `relu`, `slice`, ...). */
export type OpName = keyof OpAttrsByName & string;
