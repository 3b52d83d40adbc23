/**
 * Placement of activation buffers in the arena. The code generator asks for one buffer per
 * storage root (values that alias another value, e.g. flatten outputs or concat views, have
 * none) with the span of nodes during which it is live; a planner answers with offsets.
 *
 * `firstFitPlanner` is a simple liveness-based first-fit: a buffer may reuse the bytes of
 * buffers whose live ranges do not overlap. A better planner replaces it through the
 * `memoryPlan` option of buildModule.
 */
export interface BufferRequest {
  /** The value id of the storage root. */
  id: number;
  bytes: number;
  /** Index of the first node writing it (-1: a graph input, written before run()). */
  first: number;
  /** Index of the last node reading it (nodes.length: a graph output, read after run()). */
  last: number;
}

export interface ArenaPlan {
  /** Byte offset of each root from the arena start (16-byte aligned). */
  offsets: Map<number, number>;
  arenaBytes: number;
}

export type MemoryPlanner = (requests: readonly BufferRequest[]) => ArenaPlan;

export const align16 = (n: number): number => Math.ceil(n / 16) * 16;

export const firstFitPlanner: MemoryPlanner = (requests) => {
  const placed: { start: number; end: number; first: number; last: number }[] = [];
  const offsets = new Map<number, number>();
  let arenaBytes = 0;
  // Largest first packs better; ties by id keep the result deterministic.
  const order = [...requests].sort((a, b) => b.bytes - a.bytes || a.id - b.id);
  for (const r of order) {
    const size = align16(r.bytes);
    const clashes = placed
      .filter((p) => p.first <= r.last && r.first <= p.last)
      .sort((a, b) => a.start - b.start);
    let offset = 0;
    for (const p of clashes) {
      if (offset + size <= p.start) break;
      offset = Math.max(offset, p.end);
    }
    placed.push({ start: offset, end: offset + size, first: r.first, last: r.last });
    offsets.set(r.id, offset);
    arenaBytes = Math.max(arenaBytes, offset + size);
  }
  return { offsets, arenaBytes };
};

/** Check a plan given from outside: every root placed, no live buffers overlapping. */
export function validatePlan(requests: readonly BufferRequest[], plan: ArenaPlan): string | undefined {
  for (const r of requests) {
    const o = plan.offsets.get(r.id);
    if (o === undefined) return `value ${r.id} has no placement`;
    if (o % 4 !== 0) return `value ${r.id} is placed at ${o}, not a multiple of 4`;
    if (o + r.bytes > plan.arenaBytes) return `value ${r.id} ends past the arena`;
  }
  for (let i = 0; i < requests.length; i++) {
    for (let j = i + 1; j < requests.length; j++) {
      const a = requests[i]!;
      const b = requests[j]!;
      if (a.first > b.last || b.first > a.last) continue;
      const oa = plan.offsets.get(a.id)!;
      const ob = plan.offsets.get(b.id)!;
      if (oa < ob + b.bytes && ob < oa + a.bytes) return `values ${a.id} and ${b.id} are live together and overlap`;
    }
  }
  return undefined;
}
