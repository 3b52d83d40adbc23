/**
 * The schedule of a module built for threads (`BuildOptions.threads`): the steps of `run()`
 * as functions, and `run_thread(tid)` that every thread runs at once on the shared memory.
 *
 * A step is either serial (nodes run by thread 0 only: pools, concats, small convs) or
 * split (the output-channel slices of one conv, kernels/split.ts; slice p runs on thread
 * p mod T). Threads meet at a barrier before a split step that follows serial work and
 * after every split step, so each thread runs the same sequence of barriers. `run()` calls
 * the same step functions in order on one thread: the same kernels on the same addresses,
 * hence bit-identical results with any thread count.
 *
 * The barrier is a counter in linear memory (BARRIER_ADDR, in the unused first 16 bytes);
 * each instance counts in a global how far the counter must get, with wrapping arithmetic,
 * so it is never reset. Thread 0 (the caller of `run()`, possibly a browser's main thread,
 * where waiting is not allowed) spins unless told it may sleep; workers spin a while, then sleep in
 * `memory.atomic.wait32` until the last thread to arrive wakes them. The loader starts a
 * run by bumping the generation word (GENERATION_ADDR) that idle workers sleep on.
 */
import type { Expr, ModuleBuilder } from './module.ts';

/** Byte address of the run generation the loader bumps to start a run on the workers. */
export const GENERATION_ADDR = 4;
/** Byte address of the barrier counter. */
export const BARRIER_ADDR = 8;
/** Polls of the barrier counter before a worker sleeps (about 10-50 microseconds). */
const SPINS = 4096;

export type Step = { kind: 'serial'; stmts: Expr[] } | { kind: 'split'; parts: Expr[][] };

/**
 * Add `run()`, `run_thread(tid)`, `set_threads(n, mainWaits)` and the step functions. `prepare` are
 * the once-only statements (derived weights) that thread 0 runs before the first step.
 */
export function emitThreadedRun(m: ModuleBuilder, steps: Step[], prepare: Expr[]): void {
  const i32 = m.i32;
  const raw = m.raw;
  // Consecutive serial nodes make one function.
  const merged: Step[] = [];
  for (const s of steps) {
    const last = merged[merged.length - 1];
    if (s.kind === 'serial' && last?.kind === 'serial') last.stmts.push(...s.stmts);
    else merged.push(s.kind === 'serial' ? { kind: 'serial', stmts: [...s.stmts] } : s);
  }
  const names: (string | string[])[] = merged.map((s, i) =>
    s.kind === 'serial' ? `step_${i}` : s.parts.map((_, p) => `step_${i}_${p}`),
  );
  merged.forEach((s, i) => {
    if (s.kind === 'serial') m.addFunction(names[i] as string, [], undefined, () => (s.stmts.length ? s.stmts : [m.nop()]));
    else s.parts.forEach((part, p) => m.addFunction((names[i] as string[])[p]!, [], undefined, () => (part.length ? part : [m.nop()])));
  });

  m.addGlobalI32('threads', 1);
  m.addGlobalI32('tid', 0);
  m.addGlobalI32('main_waits', 0);
  m.addGlobalI32('barrier_seq', 0);
  m.addGlobalI32('prepared', 0);
  const hasPrepare = prepare.length > 0;
  if (hasPrepare) m.addFunction('prepare', [], undefined, () => prepare);
  const prepareOnce = (): Expr =>
    m.if(i32.eqz(m.globalGetI32('prepared')), m.block([m.call('prepare', []), m.globalSet('prepared', i32.c(1))]));

  m.addFunction('barrier', [], undefined, (f) => {
    const old = f.local('i32');
    const v = f.local('i32');
    const spins = f.local('i32');
    const seq = (): Expr => m.globalGetI32('barrier_seq');
    const loop = m.label('W');
    const done = m.label('X');
    return [
      m.globalSet('barrier_seq', i32.add(seq(), m.globalGetI32('threads'))),
      f.set(old, m.atomic.add(i32.c(BARRIER_ADDR), i32.c(1))),
      m.if(
        i32.eq(i32.add(f.get(old), i32.c(1)), seq()),
        m.drop(m.atomic.notify(i32.c(BARRIER_ADDR), m.globalGetI32('threads'))),
        raw.block(done, [
          raw.loop(loop, raw.block(null, [
            f.set(v, m.atomic.load(i32.c(BARRIER_ADDR))),
            raw.br(done, i32.geS(i32.sub(f.get(v), seq()), i32.c(0))),
            m.if(
              i32.and(i32.or(i32.ne(m.globalGetI32('tid'), i32.c(0)), m.globalGetI32('main_waits')), i32.gtS(f.get(spins), i32.c(SPINS))),
              m.drop(m.atomic.wait(i32.c(BARRIER_ADDR), f.get(v))),
              f.inc(spins),
            ),
            raw.br(loop),
          ])),
        ]),
      ),
    ];
  });

  // One thread, every step in order.
  const runBody: Expr[] = hasPrepare ? [prepareOnce()] : [];
  merged.forEach((s, i) => {
    const n = names[i]!;
    for (const name of typeof n === 'string' ? [n] : n) runBody.push(m.call(name, []));
  });
  m.addFunction('run', [], undefined, () => (runBody.length ? runBody : [m.nop()]));
  m.exportFunction('run');

  // (threads, mainWaits): mainWaits = 1 where thread 0 may sleep too (Node's main thread,
  // unlike a browser's), which matters when the machine has fewer free cores than threads.
  m.addFunction('set_threads', ['i32', 'i32'], undefined, (f) => [m.globalSet('threads', f.get(f.param(0))), m.globalSet('main_waits', f.get(f.param(1)))]);
  m.exportFunction('set_threads');

  m.addFunction('run_thread', ['i32'], undefined, (f) => {
    const tid = f.param(0);
    const isMain = (): Expr => i32.eqz(f.get(tid));
    const body: Expr[] = [m.globalSet('tid', f.get(tid))];
    if (hasPrepare) body.push(m.if(isMain(), prepareOnce()));
    const barrier = (): Expr => m.call('barrier', []);
    merged.forEach((s, i) => {
      const n = names[i]!;
      if (typeof n === 'string') {
        body.push(m.if(isMain(), m.call(n, [])));
        return;
      }
      const prev = merged[i - 1];
      if (prev ? prev.kind === 'serial' : hasPrepare) body.push(barrier());
      // Slice p on thread p mod T.
      n.forEach((name, p) => body.push(m.if(i32.eq(i32.remS(i32.c(p), m.globalGetI32('threads')), f.get(tid)), m.call(name, []))));
      body.push(barrier());
    });
    return body.length ? body : [m.nop()];
  });
  m.exportFunction('run_thread');
}
