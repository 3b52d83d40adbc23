/**
 * ONNX models written as protobufs by hand, shaped like PyTorch's exports: node names are
 * module scopes (`/features/features.0/features.0.0/Conv`) and initializers state_dict keys.
 */
import { detTensor } from '../../../src/io/detTensor.ts';
import { AttributeType, DataType, onnx, type INodeProto, type ITensorProto } from '../../../src/io/onnx/proto.ts';

export const valueInfo = (name: string, dims: (number | string)[]) => ({
  name,
  type: { tensorType: { elemType: DataType.FLOAT, shape: { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) } } },
});

export const ints = (name: string, v: number[]) => ({ name, type: AttributeType.INTS, ints: v });

/** A float initializer with deterministic data (running variances positive). */
export function tensor(name: string, dims: number[]): ITensorProto {
  const [lo, hi] = name.endsWith('running_var') ? [0.5, 1.5] : [-0.5, 0.5];
  return { name, dims, dataType: DataType.FLOAT, floatData: [...detTensor(`proto/${name}`, dims, lo, hi).data] };
}

/** Builds a chain of layers on one input, each reading the previous one's output. */
export class ProtoModel {
  readonly nodes: INodeProto[] = [];
  readonly inits: ITensorProto[] = [];
  private last = 'input';
  private channels: number;

  constructor(private readonly inputDims: (number | string)[]) {
    this.channels = inputDims[1] as number;
  }

  /** A 3x3 (or k x k) convolution keeping the spatial size; `weight` and `bias` are initializer names. */
  conv(scope: string, out: number, weight: string, bias?: string, k = 3): this {
    this.inits.push(tensor(weight, [out, this.channels, k, k]));
    if (bias) this.inits.push(tensor(bias, [out]));
    const pad = (k - 1) / 2;
    this.node(scope, 'Conv', [weight, ...(bias ? [bias] : [])], [ints('kernel_shape', [k, k]), ints('pads', [pad, pad, pad, pad])]);
    this.channels = out;
    return this;
  }

  batchnorm(scope: string, prefix: string): this {
    const names = ['weight', 'bias', 'running_mean', 'running_var'].map((r) => `${prefix}.${r}`);
    for (const n of names) this.inits.push(tensor(n, [this.channels]));
    return this.node(scope, 'BatchNormalization', names, [{ name: 'epsilon', type: AttributeType.FLOAT, f: 1e-5 }]);
  }

  op(scope: string, opType: string): this {
    return this.node(scope, opType, [], []);
  }

  node(scope: string, opType: string, extra: string[], attribute: INodeProto['attribute']): this {
    const out = `${scope}/${opType}_output_${this.nodes.length}`;
    this.nodes.push({ name: `${scope}/${opType}`, opType, input: [this.last, ...extra], output: [out], attribute });
    this.last = out;
    return this;
  }

  bytes(opts: { producer?: string; outputDims?: (number | string)[] } = {}): Uint8Array {
    const outDims = opts.outputDims ?? [this.inputDims[0]!, this.channels, ...this.inputDims.slice(2)];
    const nodes = this.nodes.map((n, i) => (i === this.nodes.length - 1 ? { ...n, output: ['output'] } : n));
    return onnx.ModelProto.encode(onnx.ModelProto.create({
      irVersion: 8,
      producerName: opts.producer ?? 'pytorch',
      producerVersion: '2.11.0',
      opsetImport: [{ domain: '', version: 17 }],
      graph: { name: 'main_graph', node: nodes, initializer: this.inits, input: [valueInfo('input', this.inputDims)], output: [valueInfo('output', outDims)] },
    })).finish();
  }
}
