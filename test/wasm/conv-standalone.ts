/**
 * A Wasm module that runs one convolution or transposed convolution node on its own,
 * through the same lowering the code generator uses (src/wasm/kernels/lower-conv.ts:
 * padding, then the fast paths or the direct kernel; transposed-conv.ts: the stride phases
 * or the scatter kernel). The kernel tests compare it with the interpreter without a whole
 * network around it.
 */
import type { ConvAttrs, ConvTransposeAttrs } from '../../src/ops/attrs.ts';
import { convOutputShape, convTransposeOutputShape } from '../../src/ops/output-size.ts';
import { syntheticSpan } from '../../src/diag/span.ts';
import { numel, type Tensor } from '../../src/ir/tensor.ts';
import type { Epilogue } from '../../src/ir/graph.ts';
import { fastConvPaths } from '../../src/wasm/kernels/conv-paths.ts';
import { align16 } from '../../src/wasm/layout.ts';
import { ModuleBuilder, type Expr, type FunctionBuilder, type ValType } from '../../src/wasm/module.ts';
import { emitErfHelper, emitExpHelper, emitSigmoidHelper, emitTanhHelper } from '../../src/wasm/kernels/activation.ts';
import { lowerConv } from '../../src/wasm/kernels/lower-conv.ts';
import { lowerConvTranspose } from '../../src/wasm/kernels/transposed-conv.ts';
import type { KernelContext } from '../../src/wasm/kernels/types.ts';

/** `conv` (the default) or `conv_transpose`, with its attributes and an optional epilogue. */
export type SingleConvOptions = SingleConvLayer & {
  xShape: number[];
  weight: Tensor;
  bias?: Tensor;
  /** Use only the direct kernel (the conv fast paths switched off while lowering). */
  directOnly?: boolean;
  /** Winograd for 3x3 convs: by the cost model (default), whenever possible, or never. */
  winograd?: 'auto' | 'always' | 'never';
};

type SingleConvLayer =
  | { op?: 'conv'; attrs: ConvAttrs & { epilogue?: Epilogue } }
  | { op: 'conv_transpose'; attrs: ConvTransposeAttrs & { epilogue?: Epilogue } };

export interface SingleConv {
  outShape: number[];
  /** Kernel functions emitted. */
  functions: string[];
  wasm: Uint8Array;
  /** Copy inputs in, run, copy the output out. */
  run(x: Float32Array, residual?: Float32Array): Float32Array;
  /** Run on whatever the input buffer holds (for timing the kernel alone). */
  runInPlace(): void;
  /** Views of the input and output buffers in linear memory. */
  input(): Float32Array;
  output(): Float32Array;
}

export { convOutputShape as convOutShape, convTransposeOutputShape as convTransposeOutShape } from '../../src/ops/output-size.ts';

export async function buildSingleConv(o: SingleConvOptions): Promise<SingleConv> {
  const layer: SingleConvLayer = o;
  const outShape = layer.op === 'conv_transpose' ? convTransposeOutputShape(o.xShape, layer.attrs) : convOutputShape(o.xShape, layer.attrs);
  const xBytes = numel(o.xShape) * 4;
  const outBytes = numel(outShape) * 4;
  const xPtr = 16;
  const resPtr = align16(xPtr + xBytes);
  const outPtr = align16(resPtr + outBytes);
  const constBase = align16(outPtr + outBytes);

  const m = await ModuleBuilder.create();
  const functions: string[] = [];
  const names = new Map<string, string>();
  const fn = (kind: string, key: unknown, params: ValType[], build: (f: FunctionBuilder) => Expr[]): string => {
    const k = `${kind}|${JSON.stringify(key)}`;
    let name = names.get(k);
    if (!name) {
      name = `${kind}_${names.size}`;
      names.set(k, name);
      functions.push(name);
      m.addFunction(name, params, undefined, build);
    }
    return name;
  };
  const helpers = new Map<string, string>();
  const helper = (h: 'exp' | 'sigmoid' | 'tanh' | 'erf'): string => {
    let name = helpers.get(h);
    if (name) return name;
    name = `${h}_v`;
    helpers.set(h, name);
    if (h === 'exp') emitExpHelper(m, name);
    else if (h === 'sigmoid') emitSigmoidHelper(m, name, helper('exp'));
    else if (h === 'tanh') emitTanhHelper(m, name, helper('exp'));
    else emitErfHelper(m, name);
    return name;
  };
  const chunks: { at: number; data: Float32Array | Int32Array }[] = [];
  let constEnd = constBase;
  const scratchRequests: number[] = [];
  const ctx: KernelContext = {
    m,
    fn,
    helper,
    constant: (data) => {
      const at = constEnd;
      chunks.push({ at, data });
      constEnd = align16(constEnd + data.byteLength);
      return at;
    },
    scratch: () => 0,
    winograd: o.winograd,
    // Also keeps the depthwise kernel (tried before the fast paths) out of direct-only builds.
    fastPaths: !o.directOnly,
  };
  // Scratch addresses are only known once the constants are placed: lower once to learn the
  // sizes, then again with real addresses (what codegen.ts does).
  let derivedUsed = 0;
  const prepared: Expr[] = [];
  const lower = (derivedBase: number, scratchBase: number): Expr[] => {
    let used = 0;
    derivedUsed = 0;
    prepared.length = 0;
    ctx.derived = (bytes) => {
      const at = derivedBase + derivedUsed;
      derivedUsed += align16(bytes);
      return at;
    };
    ctx.prepare = (s) => void prepared.push(...s);
    ctx.scratch = (bytes) => {
      const at = scratchBase + used;
      used += align16(bytes);
      scratchRequests.push(used);
      return at;
    };
    chunks.length = 0;
    constEnd = constBase;
    const common = {
      id: 0,
      name: 'conv',
      inputs: o.attrs.epilogue?.residual ? [0, 2] : [0],
      outputs: [1],
      params: {},
      span: syntheticSpan(),
      instances: [],
    };
    const saved = fastConvPaths.splice(0, fastConvPaths.length);
    if (!o.directOnly) fastConvPaths.push(...saved);
    const params: Record<string, Tensor> = { weight: o.weight };
    if (o.bias) params.bias = o.bias;
    const operands = {
      inputs: [
        { ptr: xPtr, shape: o.xShape, batchStride: numel(o.xShape) / o.xShape[0]! },
        { ptr: resPtr, shape: outShape, batchStride: numel(outShape) / outShape[0]! },
      ],
      output: { ptr: outPtr, shape: outShape, batchStride: numel(outShape) / outShape[0]! },
      params,
      ctx,
    };
    try {
      if (layer.op === 'conv_transpose') {
        return lowerConvTranspose({ node: { ...common, op: 'conv_transpose', attrs: layer.attrs }, attrs: layer.attrs, ...operands });
      }
      return lowerConv({ node: { ...common, op: 'conv', attrs: layer.attrs }, attrs: layer.attrs, ...operands });
    } finally {
      fastConvPaths.splice(0, fastConvPaths.length, ...saved);
    }
  };
  lower(0, 0);
  const derivedBase = align16(constEnd);
  const scratchBase = align16(derivedBase + derivedUsed);
  scratchRequests.length = 0;
  const stmts = lower(derivedBase, scratchBase);
  // Weights derived at start-up (codegen.ts runs them from run() behind a flag): once, here.
  if (prepared.length > 0) {
    m.addFunction('prepare', [], undefined, () => [...prepared]);
    m.exportFunction('prepare');
  }
  const total = scratchBase + Math.max(0, ...scratchRequests) + 64;
  for (const c of chunks) m.addData(c.at, new Uint8Array(c.data.buffer, c.data.byteOffset, c.data.byteLength));
  m.addFunction('run', [], undefined, () => (stmts.length ? stmts : [m.nop()]));
  m.exportFunction('run');
  m.setMemoryBytes(total);
  const { wasm } = m.finish();
  const inst = new WebAssembly.Instance(new WebAssembly.Module(wasm), {});
  const run = inst.exports['run'] as () => void;
  (inst.exports['prepare'] as (() => void) | undefined)?.();
  const mem = (): ArrayBuffer => (inst.exports['memory'] as WebAssembly.Memory).buffer;
  const input = (): Float32Array => new Float32Array(mem(), xPtr, xBytes / 4);
  const output = (): Float32Array => new Float32Array(mem(), outPtr, outBytes / 4);
  return {
    outShape,
    functions,
    wasm,
    run(x, residual) {
      input().set(x);
      if (residual) new Float32Array(mem(), resPtr, outBytes / 4).set(residual);
      run();
      return output().slice();
    },
    runInPlace: run,
    input,
    output,
  };
}
