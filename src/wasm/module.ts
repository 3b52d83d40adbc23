/**
 * The one place that talks to binaryen. Kernel emitters build code through the small typed
 * vocabulary below (locals, counted loops, f32/v128 memory access, f32x4 arithmetic, i32
 * arithmetic, calls), so the rest of the backend never sees binaryen's API.
 *
 * binaryen is loaded with a dynamic import from `ModuleBuilder.create()`: only a build pays
 * for it, `netc check` never loads it.
 */
import type binaryenNs from 'binaryen';
import { appendDataSegments, appendDataSegmentsText, dataSegments } from './data-section.ts';
import { BackendMissingError, isMissingPackage } from './errors.ts';

type Binaryen = typeof binaryenNs;
type BModule = InstanceType<Binaryen['Module']>;

/** An expression handle; only meaningful to the ModuleBuilder that made it. */
export type Expr = number;
export type ValType = 'i32' | 'f32' | 'v128';

export interface Local {
  readonly index: number;
  readonly type: ValType;
}

let binaryenPromise: Promise<Binaryen> | undefined;
async function loadBinaryen(): Promise<Binaryen> {
  binaryenPromise ??= import('binaryen').then(
    (mod) => mod.default,
    (e: unknown) => {
      binaryenPromise = undefined;
      throw isMissingPackage(e, 'binaryen') ? new BackendMissingError() : e;
    },
  );
  return binaryenPromise;
}

/** Builds the body of one function: parameters first, then locals added on demand. */
export class FunctionBuilder {
  private readonly types: ValType[];
  readonly paramCount: number;

  constructor(private readonly mb: ModuleBuilder, params: readonly ValType[]) {
    this.types = [...params];
    this.paramCount = params.length;
  }

  param(i: number): Local {
    if (i >= this.paramCount) throw new Error(`param ${i} out of range`);
    return { index: i, type: this.types[i]! };
  }

  local(type: ValType): Local {
    this.types.push(type);
    return { index: this.types.length - 1, type };
  }

  /** The binaryen types of the non-parameter locals, in order. */
  varTypes(): number[] {
    return this.types.slice(this.paramCount).map((t) => this.mb.type(t));
  }

  get(l: Local): Expr {
    return this.mb.raw.local.get(l.index, this.mb.type(l.type));
  }

  set(l: Local, value: Expr): Expr {
    return this.mb.raw.local.set(l.index, value);
  }

  tee(l: Local, value: Expr): Expr {
    return this.mb.raw.local.tee(l.index, value, this.mb.type(l.type));
  }

  /** `l += step` for an i32 local. */
  inc(l: Local, step = 1): Expr {
    return this.set(l, this.mb.i32.add(this.get(l), this.mb.i32.c(step)));
  }

  /**
   * `for (i = from; i < to; i += step) body` with bounds known at build time: the test sits
   * at the bottom (the loop is known to run), which is what V8 compiles best.
   */
  for(i: Local, from: number, to: number, step: number, body: Expr[]): Expr {
    const m = this.mb;
    const raw = m.raw;
    if (from >= to) return raw.nop();
    const label = m.label('L');
    const loop = raw.loop(label, raw.block(null, [...body, this.inc(i, step), raw.br(label, m.i32.ltS(this.get(i), m.i32.c(to)))]));
    return raw.block(null, [this.set(i, m.i32.c(from)), loop]);
  }

  /**
   * `for (i = from; i < to; i += step) body` with bounds computed at run time (expressions
   * evaluated once, before the loop); the loop may run zero times.
   * (Expressions are plain numbers to TypeScript, hence a separate method from `for`.)
   */
  forRange(i: Local, from: Expr, to: Expr, step: number, body: Expr[]): Expr {
    const m = this.mb;
    const raw = m.raw;
    const label = m.label('L');
    const exit = m.label('B');
    const end = this.local('i32');
    const loop = raw.loop(label, raw.block(null, [
      raw.br(exit, m.i32.geS(this.get(i), this.get(end))),
      ...body,
      this.inc(i, step),
      raw.br(label),
    ]));
    return raw.block(exit, [this.set(i, from), this.set(end, to), loop]);
  }
}

export interface FinishOptions {
  /** Also return the optimised module as text. */
  emitText?: boolean;
}

export interface ModuleOptions {
  /**
   * `v.madd` emits `f32x4.relaxed_madd` (one rounding where the engine fuses) instead of a
   * multiply and an add; the module then needs the relaxed SIMD feature.
   */
  relaxed?: boolean;
  /** Import the memory (`env.memory`) instead of defining and exporting it; no data segments. */
  importMemory?: boolean;
  /**
   * The imported memory is shared and atomics are enabled (threads.ts): workers instantiate
   * the same module on the same memory. Implies importMemory.
   */
  shared?: boolean;
}

/** The C API entry points binaryen.js has no wrapper for (relaxed SIMD's multiply-add). */
interface BinaryenCApi {
  _BinaryenSIMDTernary(module: number, op: number, a: number, b: number, c: number): number;
  _BinaryenRelaxedMaddVecF32x4(): number;
}

/** A Wasm module under construction: functions, one memory, data segments, exports. */
export class ModuleBuilder {
  private labels = 0;
  private readonly segments: { offset: number; data: Uint8Array }[] = [];
  private memoryBytes = 0;
  private readonly functionNames = new Set<string>();
  private disposed = false;

  private constructor(readonly b: Binaryen, readonly raw: BModule, readonly options: ModuleOptions) {}

  static async create(options: ModuleOptions = {}): Promise<ModuleBuilder> {
    const b = await loadBinaryen();
    const raw = new b.Module();
    const relaxed = options.relaxed ? b.Features.RelaxedSIMD : 0;
    const atomics = options.shared ? b.Features.Atomics : 0;
    raw.setFeatures(b.Features.SIMD128 | b.Features.BulkMemory | b.Features.BulkMemoryOpt | b.Features.NontrappingFPToInt | b.Features.SignExt | b.Features.MutableGlobals | relaxed | atomics);
    // memory.copy / memory.fill resolve the memory when they are built: declare one now,
    // finish() replaces it with the real size and data.
    raw.setMemory(1, 1);
    return new ModuleBuilder(b, raw, options);
  }

  type(t: ValType): number {
    return t === 'i32' ? this.b.i32 : t === 'f32' ? this.b.f32 : this.b.v128;
  }

  label(prefix: string): string {
    return `${prefix}${this.labels++}`;
  }

  // ---- control ----
  /** A sequence; with `result`, the last child's value is the block's value. */
  block(children: Expr[], result?: ValType): Expr {
    if (result) return this.raw.block(null, children, this.type(result));
    return children.length === 0 ? this.raw.nop() : this.raw.block(null, children);
  }
  if(cond: Expr, then: Expr, otherwise?: Expr): Expr {
    return this.raw.if(cond, then, otherwise);
  }
  call(name: string, args: Expr[]): Expr {
    return this.raw.call(name, args, this.b.none);
  }
  callValue(name: string, args: Expr[], result: ValType): Expr {
    return this.raw.call(name, args, this.type(result));
  }
  nop(): Expr {
    return this.raw.nop();
  }
  /** `do { body } while (cond)`: one test at the bottom, for hot loops known to run. */
  doWhile(body: Expr[], cond: Expr): Expr {
    const label = this.label('D');
    return this.raw.loop(label, this.raw.block(null, [...body, this.raw.br(label, cond)]));
  }
  select(cond: Expr, ifTrue: Expr, ifFalse: Expr): Expr {
    return this.raw.select(cond, ifTrue, ifFalse);
  }

  // ---- i32 ----
  readonly i32 = {
    c: (v: number): Expr => this.raw.i32.const(v | 0),
    add: (a: Expr, b: Expr): Expr => this.raw.i32.add(a, b),
    sub: (a: Expr, b: Expr): Expr => this.raw.i32.sub(a, b),
    mul: (a: Expr, b: Expr): Expr => this.raw.i32.mul(a, b),
    divS: (a: Expr, b: Expr): Expr => this.raw.i32.div_s(a, b),
    remS: (a: Expr, b: Expr): Expr => this.raw.i32.rem_s(a, b),
    shl: (a: Expr, b: Expr): Expr => this.raw.i32.shl(a, b),
    shrU: (a: Expr, b: Expr): Expr => this.raw.i32.shr_u(a, b),
    and: (a: Expr, b: Expr): Expr => this.raw.i32.and(a, b),
    or: (a: Expr, b: Expr): Expr => this.raw.i32.or(a, b),
    eq: (a: Expr, b: Expr): Expr => this.raw.i32.eq(a, b),
    ne: (a: Expr, b: Expr): Expr => this.raw.i32.ne(a, b),
    ltS: (a: Expr, b: Expr): Expr => this.raw.i32.lt_s(a, b),
    leS: (a: Expr, b: Expr): Expr => this.raw.i32.le_s(a, b),
    gtS: (a: Expr, b: Expr): Expr => this.raw.i32.gt_s(a, b),
    geS: (a: Expr, b: Expr): Expr => this.raw.i32.ge_s(a, b),
    ltU: (a: Expr, b: Expr): Expr => this.raw.i32.lt_u(a, b),
    eqz: (a: Expr): Expr => this.raw.i32.eqz(a),
    load: (ptr: Expr, offset = 0): Expr => this.raw.i32.load(offset, 4, ptr),
    /** Non-trapping conversion: NaN gives 0, out of range saturates. */
    fromF32: (v: Expr): Expr => this.raw.i32.trunc_s_sat.f32(v),
  };

  // ---- f32 ----
  readonly f32 = {
    c: (v: number): Expr => this.raw.f32.const(v),
    load: (ptr: Expr, offset = 0): Expr => this.raw.f32.load(offset, 4, ptr),
    store: (ptr: Expr, value: Expr, offset = 0): Expr => this.raw.f32.store(offset, 4, ptr, value),
    add: (a: Expr, b: Expr): Expr => this.raw.f32.add(a, b),
    sub: (a: Expr, b: Expr): Expr => this.raw.f32.sub(a, b),
    mul: (a: Expr, b: Expr): Expr => this.raw.f32.mul(a, b),
    div: (a: Expr, b: Expr): Expr => this.raw.f32.div(a, b),
    /** IEEE min/max: NaN in either operand gives NaN. */
    min: (a: Expr, b: Expr): Expr => this.raw.f32.min(a, b),
    max: (a: Expr, b: Expr): Expr => this.raw.f32.max(a, b),
    gt: (a: Expr, b: Expr): Expr => this.raw.f32.gt(a, b),
    ne: (a: Expr, b: Expr): Expr => this.raw.f32.ne(a, b),
    fromI32: (v: Expr): Expr => this.raw.f32.convert_s.i32(v),
  };

  // ---- v128 / f32x4 ----
  readonly v = {
    load: (ptr: Expr, offset = 0): Expr => this.raw.v128.load(offset, 4, ptr),
    store: (ptr: Expr, value: Expr, offset = 0): Expr => this.raw.v128.store(offset, 4, ptr, value),
    load32Splat: (ptr: Expr, offset = 0): Expr => this.raw.v128.load32_splat(offset, 4, ptr),
    load32Zero: (ptr: Expr, offset = 0): Expr => this.raw.v128.load32_zero(offset, 4, ptr),
    load32Lane: (ptr: Expr, vec: Expr, lane: number, offset = 0): Expr => this.raw.v128.load32_lane(offset, 4, lane, ptr, vec),
    store32Lane: (ptr: Expr, vec: Expr, lane: number, offset = 0): Expr => this.raw.v128.store32_lane(offset, 4, lane, ptr, vec),
    splat: (f: Expr): Expr => this.raw.f32x4.splat(f),
    /** Bytes of a (0-15) and b (16-31) picked by `mask` (16 byte indices). */
    shuffle: (a: Expr, b: Expr, mask: number[]): Expr => this.raw.i8x16.shuffle(a, b, mask),
    splatC: (f: number): Expr => this.raw.f32x4.splat(this.raw.f32.const(f)),
    isplat: (i: Expr): Expr => this.raw.i32x4.splat(i),
    lane: (vec: Expr, i: number): Expr => this.raw.f32x4.extract_lane(vec, i as unknown as Expr),
    add: (a: Expr, b: Expr): Expr => this.raw.f32x4.add(a, b),
    sub: (a: Expr, b: Expr): Expr => this.raw.f32x4.sub(a, b),
    mul: (a: Expr, b: Expr): Expr => this.raw.f32x4.mul(a, b),
    /** a * b + c: relaxed_madd in a relaxed module, else a multiply and an add. */
    madd: (a: Expr, b: Expr, c: Expr): Expr => {
      if (!this.options.relaxed) return this.raw.f32x4.add(c, this.raw.f32x4.mul(a, b));
      const api = this.b as unknown as BinaryenCApi;
      return api._BinaryenSIMDTernary((this.raw as unknown as { ptr: number }).ptr, api._BinaryenRelaxedMaddVecF32x4(), a, b, c);
    },
    div: (a: Expr, b: Expr): Expr => this.raw.f32x4.div(a, b),
    /** IEEE min/max (NaN-propagating), unlike pmin/pmax. */
    min: (a: Expr, b: Expr): Expr => this.raw.f32x4.min(a, b),
    max: (a: Expr, b: Expr): Expr => this.raw.f32x4.max(a, b),
    abs: (a: Expr): Expr => this.raw.f32x4.abs(a),
    neg: (a: Expr): Expr => this.raw.f32x4.neg(a),
    nearest: (a: Expr): Expr => this.raw.f32x4.nearest(a),
    gt: (a: Expr, b: Expr): Expr => this.raw.f32x4.gt(a, b),
    lt: (a: Expr, b: Expr): Expr => this.raw.f32x4.lt(a, b),
    ne: (a: Expr, b: Expr): Expr => this.raw.f32x4.ne(a, b),
    bitselect: (ifTrue: Expr, ifFalse: Expr, mask: Expr): Expr => this.raw.v128.bitselect(ifTrue, ifFalse, mask),
    or: (a: Expr, b: Expr): Expr => this.raw.v128.or(a, b),
    and: (a: Expr, b: Expr): Expr => this.raw.v128.and(a, b),
    /** Lane-wise f32 -> i32, saturating, NaN -> 0. */
    toI32x4: (a: Expr): Expr => this.raw.i32x4.trunc_sat_f32x4_s(a),
    i32x4Add: (a: Expr, b: Expr): Expr => this.raw.i32x4.add(a, b),
    i32x4Shl: (a: Expr, bits: number): Expr => this.raw.i32x4.shl(a, this.raw.i32.const(bits)),
  };

  // ---- globals ----
  /** A mutable i32 global starting at `init`. */
  addGlobalI32(name: string, init: number): void {
    this.raw.addGlobal(name, this.b.i32, true, this.raw.i32.const(init));
  }
  globalGetI32(name: string): Expr {
    return this.raw.global.get(name, this.b.i32);
  }
  globalSet(name: string, value: Expr): Expr {
    return this.raw.global.set(name, value);
  }

  // ---- atomics (modules with `shared` memory only) ----
  readonly atomic = {
    load: (ptr: Expr): Expr => this.raw.i32.atomic.load(0, ptr),
    /** Adds and returns the value before the addition. */
    add: (ptr: Expr, value: Expr): Expr => this.raw.i32.atomic.rmw.add(0, ptr, value),
    /** Sleep while the i32 at ptr equals `expected` (until notified); returns 0, 1 or 2. */
    wait: (ptr: Expr, expected: Expr): Expr => this.raw.memory.atomic.wait32(ptr, expected, this.raw.i64.const(-1n)),
    /** Wake up to `count` waiters on ptr; returns how many woke. */
    notify: (ptr: Expr, count: Expr): Expr => this.raw.memory.atomic.notify(ptr, count),
  };
  drop(value: Expr): Expr {
    return this.raw.drop(value);
  }

  // ---- memory ----
  memCopy(dest: Expr, src: Expr, bytes: Expr): Expr {
    return this.raw.memory.copy(dest, src, bytes);
  }
  memFill(dest: Expr, byte: Expr, bytes: Expr): Expr {
    return this.raw.memory.fill(dest, byte, bytes);
  }

  /** Reserve the memory size in bytes (rounded up to whole 64 KiB pages at finish). */
  setMemoryBytes(bytes: number): void {
    this.memoryBytes = bytes;
  }

  /** Place bytes at a fixed address when the module is instantiated. */
  addData(offset: number, data: Uint8Array): void {
    if (data.length > 0) this.segments.push({ offset, data });
  }

  // ---- functions ----
  hasFunction(name: string): boolean {
    return this.functionNames.has(name);
  }

  /** Add a function; `build` returns the body statements. */
  addFunction(name: string, params: ValType[], result: ValType | undefined, build: (f: FunctionBuilder) => Expr[] | Expr): void {
    const f = new FunctionBuilder(this, params);
    const body = build(f);
    const bodyExpr = Array.isArray(body) ? this.raw.block(null, body, result ? this.type(result) : this.b.none) : body;
    this.raw.addFunction(
      name,
      this.b.createType(params.map((p) => this.type(p))),
      result ? this.type(result) : this.b.none,
      f.varTypes(),
      bodyExpr,
    );
    this.functionNames.add(name);
  }

  exportFunction(name: string, as = name): void {
    this.raw.addFunctionExport(name, as);
  }

  /**
   * Validate, optimise (optimizeLevel 3) and emit. shrinkLevel 0 (which gives the same bytes
   * as 1 here): level 2 made GoogLeNet's code 22% smaller (51 -> 39 KB, weights apart) but
   * trades speed for size in inlining and loop code, and the code is small next to weights.
   *
   * The data segments never enter binaryen: they are appended to the emitted bytes
   * (data-section.ts), which keeps tens of MB of weights out of its heap and passes.
   */
  finish(options: FinishOptions = {}): { wasm: Uint8Array<ArrayBuffer>; wat?: string } {
    const pages = Math.max(1, Math.ceil(this.memoryBytes / 65536));
    if (this.options.importMemory || this.options.shared) {
      this.raw.setMemory(pages, pages, null, [], !!this.options.shared);
      this.raw.addMemoryImport('0', 'env', 'memory', !!this.options.shared);
    } else this.raw.setMemory(pages, pages, 'memory');
    if (!this.raw.validate()) {
      throw new Error('internal error: generated Wasm module does not validate');
    }
    this.b.setOptimizeLevel(3);
    this.b.setShrinkLevel(0);
    // Keep kernels out of run(): one giant function compiles worse in V8 (register allocation
    // is per function) and hides kernels from profiles.
    this.b.setOneCallerInlineMaxSize(40);
    this.b.setFastMath(false);
    this.raw.optimize();
    const code = this.raw.emitBinary();
    const text = options.emitText ? this.raw.emitText() : undefined;
    this.dispose();
    const segments = this.options.importMemory || this.options.shared ? [] : this.segments.flatMap((s) => dataSegments(s.offset, s.data));
    const wasm = appendDataSegments(code, segments);
    const wat = text === undefined ? undefined : appendDataSegmentsText(text, segments);
    return { wasm, wat };
  }

  /** Release binaryen's memory (idempotent; after finish or an error). */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.raw.dispose();
  }
}
