/**
 * Symbolic sizes across ONNX: a `dim_param` (or open) input axis imports as a dimension
 * symbol of the network, `--bind` fixes it, and `netc export` writes a symbol left free as
 * `dim_param`, so that onnxruntime runs the exported model at any batch size.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkSource } from '../../../src/check/check.ts';
import { runGraph } from '../../../src/interp/run.ts';
import { detTensor } from '../../../src/io/detTensor.ts';
import { importOnnx } from '../../../src/io/onnx/import.ts';
import { onnx } from '../../../src/io/onnx/proto.ts';
import { readSafetensors } from '../../../src/io/safetensors.ts';
import { relativeL2, type Tensor } from '../../../src/ir/tensor.ts';
import { netc } from '../../support/cli.ts';
import { checkToGraph, runOrt, weightSignature } from './helpers.ts';
import { ProtoModel } from './protoModel.ts';

function classifier(batch: number | string): Uint8Array {
  return new ProtoModel([batch, 3, 8, 8])
    .conv('/features/features.0', 4, 'features.0.weight', 'features.0.bias')
    .op('/features/features.1', 'Relu')
    .op('/pool', 'GlobalAveragePool')
    .op('/flatten', 'Flatten')
    .bytes({ outputDims: [batch, 4] });
}

/** `n` samples stacked on the batch axis. */
function batchOf(samples: Tensor[]): Tensor {
  const data = new Float32Array(samples.reduce((a, s) => a + s.data.length, 0));
  let at = 0;
  for (const s of samples) {
    data.set(s.data, at);
    at += s.data.length;
  }
  return { shape: [samples.length, ...samples[0]!.shape.slice(1)], data };
}

const sample = (k: number) => detTensor(`symbolic/x${k}`, [1, 3, 8, 8], -1, 1);

describe('importing symbolic sizes', () => {
  it('a dim_param batch is a dimension symbol of the network, and the source runs at any batch', () => {
    const r = importOnnx(classifier('batch'), { file: 'dyn.onnx' });
    expect(r.diagnostics).toEqual([]);
    expect(r.symbols).toEqual(['batch']);
    expect(r.source).toContain('in input: f32[batch, 3, 8, 8]');
    const one = [...runGraph(r.graph!, r.weights!, [sample(0)]).values()][0]!;
    const g = checkToGraph(r.source!, 'dyn.net', { batch: 3 });
    expect(weightSignature(g)).toEqual(weightSignature(r.graph!));
    const three = [...runGraph(g, r.weights!, [batchOf([sample(0), sample(1), sample(2)])]).values()][0]!;
    expect(three.shape).toEqual([3, 4]);
    expect(relativeL2(three.data.slice(0, 4), one.data)).toBe(0);
  });

  it('an axis without a size or a name is N', () => {
    const r = importOnnx(classifier(''), { file: 'open.onnx' });
    expect(r.symbols).toEqual(['N']);
    expect(r.source).toContain('in input: f32[N, 3, 8, 8]');
  });

  it('a dim_param is made a symbol that no value of the network is named', () => {
    const r = importOnnx(classifier('input'), { file: 'dyn.onnx' });
    expect(r.source).toContain('in input: f32[input_dim, 3, 8, 8]');
    expect(checkSource(r.source!, 'dyn.net', {}).diagnostics.filter((d) => d.severity !== 'note')).toEqual([]);
    expect(importOnnx(classifier('batch size'), { file: 'dyn.onnx' }).source).toContain('in input: f32[batch_size, 3, 8, 8]');
  });

  it('a binding fixes the symbol', () => {
    const r = importOnnx(classifier('batch'), { file: 'dyn.onnx', bindings: new Map([['batch', 5]]) });
    expect(r.source).toContain('in input: f32[5, 3, 8, 8]');
    expect(r.graph!.values[r.graph!.inputs[0]!.value]!.shape).toEqual([5, 3, 8, 8]);
  });

  it('netc import --bind, and a binding of a size the model does not have', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'netc-sym-'));
    writeFileSync(join(dir, 'dyn.onnx'), classifier('batch'));
    expect((await netc(['import', 'dyn.onnx', '--bind', 'batch=2'], { cwd: dir })).code).toBe(0);
    expect(readFileSync(join(dir, 'dyn.net'), 'utf8')).toContain('in input: f32[2, 3, 8, 8]');
    const bad = await netc(['import', 'dyn.onnx', '--bind', 'H=2'], { cwd: dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('the model has no such symbolic size (its symbolic sizes are batch)');
  });
});

describe('exporting symbolic sizes', () => {
  const SOURCE = `network Sym {
  in x: f32[N, 3, 16, 16]
  out y = x |> c1: conv(8, k=3, pad=1) |> relu |> maxpool(k=2) |> global_avgpool |> flatten |> fc: linear(5)
}
`;

  it('writes a free symbol as dim_param; onnxruntime runs the model at two batch sizes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'netc-sym-'));
    writeFileSync(join(dir, 'sym.net'), SOURCE);
    const r = await netc(['export', 'sym.net', '-o', 'sym.onnx', '--random-weights', '3'], { cwd: dir });
    expect(r.stderr).toContain('wrote sym.onnx');
    expect(r.code).toBe(0);
    const bytes = new Uint8Array(readFileSync(join(dir, 'sym.onnx')));
    const model = onnx.ModelProto.decode(bytes);
    const dims = (v: { type?: { tensorType?: { shape?: { dim?: { dimParam?: string | null; dimValue?: unknown }[] | null } | null } | null } | null }) =>
      v.type!.tensorType!.shape!.dim!.map((d) => d.dimParam || String(d.dimValue));
    expect(dims(model.graph!.input![0]!)).toEqual(['N', '3', '16', '16']);
    expect(dims(model.graph!.output![0]!)).toEqual(['N', '5']);
    // The interpreter on the .net at N=1 is the reference for each sample.
    expect((await netc(['import', 'sym.onnx', '-o', 'back.net'], { cwd: dir })).code).toBe(0);
    expect(readFileSync(join(dir, 'back.net'), 'utf8')).toContain('in x: f32[N, 3, 16, 16]');
    const weights = readSafetensors(readFileSync(join(dir, 'back.safetensors')), 'back.safetensors');
    const g = checkToGraph(SOURCE, 'sym.net', { N: 1 });
    const x = [0, 1, 2].map((k) => detTensor(`symbolic/export${k}`, [1, 3, 16, 16], -1, 1));
    const expected = x.map((s) => [...runGraph(g, weights, [s]).values()][0]!);
    for (const n of [1, 3]) {
      const y = (await runOrt(bytes, { x: batchOf(x.slice(0, n)) })).get('y')!;
      expect(y.shape).toEqual([n, 5]);
      const err = relativeL2(y.data, batchOf(expected.slice(0, n)).data);
      console.log(`onnxruntime at N=${n} vs interpreter: rel L2 ${err.toExponential(2)}`);
      expect(err).toBeLessThan(1e-5);
    }
  });

  it('refuses, naming the node, when a symbol decides what is written; --bind fixes it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'netc-sym-'));
    writeFileSync(join(dir, 'flat.net'), 'network Flat {\n  in x: f32[N, 3, 8, 8]\n  out y = x |> c1: conv(4, k=1) |> flatten(start=2)\n}\n');
    const r = await netc(['export', 'flat.net', '-o', 'flat.onnx', '--random-weights', '1'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('error[NET5020]: cannot export /flatten#1/Reshape (Reshape) to ONNX: what it writes depends on the size of N');
    expect((await netc(['export', 'flat.net', '-o', 'flat.onnx', '--random-weights', '1', '--bind', 'N=2'], { cwd: dir })).code).toBe(0);
  });
});
