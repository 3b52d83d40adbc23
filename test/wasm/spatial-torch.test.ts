/**
 * The spatial and channel operator cases of test/fixtures/ops-torch (pads, interpolation,
 * channel shuffle, chunk/split, pools with ceil_mode/dilation/count_include_pad, 3-D global
 * pools, transposed convolutions with output_padding, 3-D batch norm) through the interpreter
 * kernels and through Wasm, against PyTorch's float64 outputs (relative L2 < 1e-5).
 */
import { describe, expect, it } from 'vitest';
import type { WeightStore } from '../../src/ir/graph.ts';
import { relativeL2 } from '../../src/ir/tensor.ts';
import type { OpName } from '../../src/ops/attrs.ts';
import { opByName } from '../../src/ops/registry.ts';
import { torchCases, type LoadedTorchCase } from '../support/torch-ops.ts';
import { buildGraph, runWasm, type NodeSpec } from './harness.ts';

const perAxis = (v: unknown, rank: number, fallback: number): number[] =>
  v === undefined ? new Array<number>(rank).fill(fallback) : Array.isArray(v) ? (v as number[]) : new Array<number>(rank).fill(v as number);

/** One IR node per output of the case (a split gives one channel slice per part). */
interface IrNode { op: OpName; attrs: Record<string, unknown> }

function irNodes(c: LoadedTorchCase): IrNode[] {
  const k = c.kwargs;
  const x = c.inputs[0]!.shape;
  const rank = x.length - 2;
  const y = c.outputs[0]!.shape;
  const base = c.op.replace(/[123]d$/, '');
  switch (base) {
    case 'interpolate':
      return [{ op: 'upsample', attrs: { rank, mode: k['mode'] === 'nearest' ? 'nearest' : 'linear', size: y.slice(2), ...(k['scale_factor'] === undefined ? {} : { scale: perAxis(k['scale_factor'], rank, 1) }), alignCorners: k['align_corners'] ?? false } }];
    case 'max_pool':
    case 'avg_pool': {
      const kernel = perAxis(k['kernel_size'], rank, 1);
      return [{ op: base === 'max_pool' ? 'maxpool' : 'avgpool', attrs: { rank, kernel, stride: k['stride'] === undefined ? kernel : perAxis(k['stride'], rank, 1), pad: perAxis(k['padding'], rank, 0), dilation: perAxis(k['dilation'], rank, 1), ceil: k['ceil_mode'] ?? false, countIncludePad: k['count_include_pad'] ?? true } }];
    }
    case 'adaptive_avg_pool':
    case 'adaptive_max_pool':
      return [{ op: base === 'adaptive_avg_pool' ? 'adaptive_avgpool' : 'adaptive_maxpool', attrs: { rank, size: perAxis(k['output_size'], rank, 1) } }];
    case 'conv_transpose': {
      const w = c.params['weight']!.shape;
      const groups = (k['groups'] as number | undefined) ?? 1;
      return [{ op: 'conv_transpose', attrs: { rank, outChannels: w[1]! * groups, kernel: w.slice(2), stride: perAxis(k['stride'], rank, 1), pad: perAxis(k['padding'], rank, 0), outputPad: perAxis(k['output_padding'], rank, 0), dilation: perAxis(k['dilation'], rank, 1), groups, bias: 'bias' in c.params } }];
    }
    case 'pad': {
      // PyTorch lists (begin, end) pairs from the last axis backwards.
      const p = k['pad'] as number[];
      const begin = Array.from({ length: rank }, (_, a) => p[2 * (rank - 1 - a)] ?? 0);
      const end = Array.from({ length: rank }, (_, a) => p[2 * (rank - 1 - a) + 1] ?? 0);
      return [{ op: 'pad', attrs: { rank, mode: k['mode'], begin, end, value: k['value'] ?? 0 } }];
    }
    case 'channel_shuffle':
      return [{ op: 'channel_shuffle', attrs: { groups: k['groups'] } }];
    case 'batch_norm':
      return [{ op: 'batchnorm', attrs: { eps: k['eps'] ?? 1e-5 } }];
    case 'chunk':
    case 'split': {
      const axis = k['dim'] as number;
      let start = 0;
      return c.outputs.map((o) => {
        const length = o.shape[axis]!;
        const node: IrNode = { op: 'slice', attrs: { axis, start, length } };
        start += length;
        return node;
      });
    }
    default:
      throw new Error(`no IR mapping for ${c.op}`);
  }
}

const COVERED = /^(pad_|channel_shuffle|nearest|bilinear|trilinear|maxpool|avgpool|global_maxpool|adaptive_avg_3d|convT|batchnorm3d|chunk|split)/;
const cases = torchCases((name) => COVERED.test(name));

describe('spatial operators against PyTorch (ops-torch cases)', () => {
  it('covers the cases', () => expect(cases.length).toBe(28));

  it.each(cases.map((c) => [c.name, c] as const))('interpreter: %s', (_name, c) => {
    irNodes(c).forEach((n, i) => {
      const y = c.outputs[i]!;
      const out = opByName(n.op).interp(c.inputs, c.params, n.attrs as never, y.shape);
      expect(out.shape).toEqual(y.shape);
      expect(relativeL2(out.data, y.data)).toBeLessThan(1e-5);
    });
  });

  it('Wasm: every case in one module', async () => {
    const inputs: Record<string, number[]> = {};
    const nodes: NodeSpec[] = [];
    const weights: WeightStore = new Map();
    const expected = new Map<string, Float32Array>();
    for (const c of cases) {
      const id = c.name.replace(/\W/g, '_');
      inputs[`${id}_x`] = c.inputs[0]!.shape;
      irNodes(c).forEach((n, i) => {
        const output = `${id}_${i}`;
        const params: Record<string, number[]> = {};
        for (const [role, t] of Object.entries(c.params)) {
          params[role] = t.shape;
          weights.set(`${output}.${role}`, t);
        }
        nodes.push({ op: n.op, inputs: [`${id}_x`], output, shape: c.outputs[i]!.shape, attrs: n.attrs, params });
        expected.set(output, c.outputs[i]!.data);
      });
    }
    const graph = buildGraph(inputs, nodes, nodes.map((n) => n.output));
    const { outputs } = await runWasm(graph, weights, cases.map((c) => c.inputs[0]!));
    for (const [name, ref] of expected) expect.soft(relativeL2(outputs.get(name)!.data, ref), name).toBeLessThan(1e-5);
  });
});
