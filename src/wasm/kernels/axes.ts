/** Kernels work on three spatial axes; 1-D and 2-D shapes are padded at the front. */
export type Triple = [number, number, number];

/** `values` (one per spatial axis) padded at the front with `fill` to three axes. */
export function to3(values: readonly number[], fill: number): Triple {
  return [...Array<number>(3 - values.length).fill(fill), ...values] as Triple;
}
