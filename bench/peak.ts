/**
 * The machine's Wasm SIMD multiply-add ceiling, measured: a module whose loop updates A
 * independent f32x4 accumulators, acc_i += a_i * b (one mul and one add each, 8 flops), with
 * a_i read from L1-resident memory each step (as a matrix-product kernel reads its panel)
 * and b in a register, built with the same module builder as netc's kernels. The peak is
 * the best over A in {8, 10}.
 *
 * Why this form: on Node 20 (x64) V8 allocates 14 vector registers to this loop; with 11
 * accumulators it already spills one to the stack (17 GFLOP/s) and with 12 two (7), while
 * 10 run at ~49 and 8 at ~46. Products of operands that all sit in registers run out of
 * registers the same way, and identical products get merged by the compiler: both would
 * measure the compiler, not the machine.
 */
import { ModuleBuilder, type Expr } from '../src/wasm/module.ts';

const ACCUMULATOR_COUNTS = [8, 10];

export interface SimdPeak {
  gflops: number;
  how: string;
}

/** With `relaxed`, the same loop with f32x4.relaxed_madd (the engine must support relaxed SIMD). */
export async function measureSimdPeak(runs = 9, relaxed = false): Promise<SimdPeak> {
  let best: SimdPeak = { gflops: 0, how: '' };
  for (const count of ACCUMULATOR_COUNTS) {
    const p = await measureWith(count, runs, relaxed);
    if (p.gflops > best.gflops) best = p;
  }
  return best;
}

async function measureWith(accumulators: number, runs: number, relaxed: boolean): Promise<SimdPeak> {
  const m = await ModuleBuilder.create({ relaxed });
  m.addFunction('peak', ['i32'], undefined, (f) => {
    const n = f.param(0);
    const i = f.local('i32');
    const b = f.local('v128');
    const accs = Array.from({ length: accumulators }, () => f.local('v128'));
    const body: Expr[] = accs.map((acc, k) => f.set(acc, m.v.madd(m.v.load(m.i32.c(64), k * 16), f.get(b), f.get(acc))));
    let sum = f.get(accs[0]!);
    for (const acc of accs.slice(1)) sum = m.v.add(sum, f.get(acc));
    return [
      // b comes from memory: a constant would be propagated into the loop and rematerialised.
      f.set(b, m.v.load(m.i32.c(32))),
      ...accs.map((acc) => f.set(acc, m.v.splatC(0))),
      f.set(i, m.i32.c(0)),
      m.doWhile([...body, f.inc(i)], m.i32.ltS(f.get(i), f.get(n))),
      // Keep the result observable so that nothing is optimised away.
      m.v.store(m.i32.c(16), sum),
    ];
  });
  m.exportFunction('peak');
  m.setMemoryBytes(65536);
  const { wasm } = m.finish();
  const inst = new WebAssembly.Instance(new WebAssembly.Module(wasm), {});
  new Float32Array((inst.exports['memory'] as WebAssembly.Memory).buffer, 32, 8 + accumulators * 4).fill(1e-3);
  const peak = inst.exports['peak'] as (n: number) => void;
  const iters = 2_000_000;
  for (let k = 0; k < 8; k++) peak(iters);
  let best = Infinity;
  for (let k = 0; k < runs; k++) {
    const t0 = performance.now();
    peak(iters);
    best = Math.min(best, performance.now() - t0);
  }
  return { gflops: (iters * accumulators * 8) / best / 1e6, how: `${accumulators} accumulators, best of ${runs}` };
}
