/**
 * The PyTorch reference op cases (test/fixtures/reference: cases.json and ops.safetensors) as
 * netc IR: each case's operator and normalised attributes from PyTorch's keyword arguments,
 * and its tensors by parameter role. Shared by the interpreter and Wasm reference tests.
 */
import { readFileSync } from 'node:fs';
import { readSafetensors } from '../../src/io/safetensors.ts';
import type { Tensor } from '../../src/ir/tensor.ts';

export interface OpCase {
  kind: 'op';
  op: string;
  x: number[];
  w: number[] | null;
  bias: boolean;
  kwargs: Record<string, number | boolean | string | number[]>;
  y: number[];
  tensors: string[];
}

const dir = new URL('../fixtures/reference/', import.meta.url);
const cases = JSON.parse(readFileSync(new URL('cases.json', dir), 'utf8')) as Record<string, OpCase | { kind: string }>;
export const referenceTensors = readSafetensors(new Uint8Array(readFileSync(new URL('ops.safetensors', dir))), 'ops.safetensors');

const allOpCases = Object.entries(cases).filter((e): e is [string, OpCase] => e[1].kind === 'op');
const hasTensors = ([name, c]: [string, OpCase]): boolean => c.tensors.every((t) => referenceTensors.has(`${name}.${t}`));
/** Op cases whose tensors are in ops.safetensors. */
export const opCases = allOpCases.filter(hasTensors);
/** Cases the reference file has no tensors for (leaky_relu_0.1). */
export const casesWithoutData = allOpCases.filter((e) => !hasTensors(e));

const perAxis = (v: unknown, rank: number, fallback: number): number[] =>
  v === undefined ? new Array<number>(rank).fill(fallback) : Array.isArray(v) ? (v as number[]) : new Array<number>(rank).fill(v as number);

/** IR operator and attributes of a PyTorch functional call. */
export function irOp(c: OpCase): { op: string; attrs: Record<string, unknown> } {
  const k = c.kwargs;
  const rank = c.x.length - 2;
  const base = c.op.replace(/[123]d$/, '');
  switch (base) {
    case 'conv': {
      const pad = perAxis(k['padding'], rank, 0);
      return { op: 'conv', attrs: { rank, outChannels: c.w![0], kernel: c.w!.slice(2), stride: perAxis(k['stride'], rank, 1), padBegin: pad, padEnd: pad, dilation: perAxis(k['dilation'], rank, 1), groups: k['groups'] ?? 1, bias: c.bias } };
    }
    case 'conv_transpose': {
      const groups = (k['groups'] as number) ?? 1;
      return { op: 'conv_transpose', attrs: { rank, outChannels: c.w![1]! * groups, kernel: c.w!.slice(2), stride: perAxis(k['stride'], rank, 1), pad: perAxis(k['padding'], rank, 0), outputPad: perAxis(k['output_padding'], rank, 0), dilation: perAxis(k['dilation'], rank, 1), groups, bias: c.bias } };
    }
    case 'max_pool':
    case 'avg_pool': {
      const kernel = perAxis(k['kernel_size'], rank, 1);
      return { op: base === 'max_pool' ? 'maxpool' : 'avgpool', attrs: { rank, kernel, stride: k['stride'] === undefined ? kernel : perAxis(k['stride'], rank, 1), pad: perAxis(k['padding'], rank, 0), dilation: perAxis(k['dilation'], rank, 1), ceil: k['ceil_mode'] ?? false, countIncludePad: k['count_include_pad'] ?? true } };
    }
    case 'adaptive_avg_pool':
      return { op: 'adaptive_avgpool', attrs: { rank, size: perAxis(k['output_size'], rank, 1) } };
    case 'interpolate':
      return { op: 'upsample', attrs: { rank, mode: k['mode'] === 'nearest' ? 'nearest' : 'linear', size: c.y.slice(2), ...(k['scale_factor'] === undefined ? {} : { scale: perAxis(k['scale_factor'], rank, 1) }), alignCorners: k['align_corners'] ?? false } };
    case 'batch_norm':
      return { op: 'batchnorm', attrs: { eps: k['eps'] ?? 1e-5 } };
    case 'leaky_relu':
      return { op: 'leaky_relu', attrs: { slope: k['negative_slope'] ?? 0.01 } };
    case 'sigmoid':
    case 'tanh':
      return { op: base, attrs: {} };
    case 'softmax':
      return { op: 'softmax', attrs: { axis: ((k['dim'] as number) + c.x.length) % c.x.length } };
    case 'linear':
      return { op: 'linear', attrs: { outFeatures: c.w![0], bias: c.bias } };
    default:
      throw new Error(`no IR mapping for reference op ${c.op}`);
  }
}

/** Reference tensor names to parameter roles. */
const roles: Record<string, string> = { w: 'weight', b: 'bias', gamma: 'weight', beta: 'bias', mean: 'running_mean', var: 'running_var' };

/** A case's weights by role (`weight`, `bias`, `running_mean`, ...). */
export function caseParams(name: string, c: OpCase): Record<string, Tensor> {
  const params: Record<string, Tensor> = {};
  for (const t of c.tensors) if (roles[t]) params[roles[t]!] = referenceTensors.get(`${name}.${t}`)!;
  return params;
}
