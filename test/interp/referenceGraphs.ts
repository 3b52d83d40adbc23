/**
 * The PyTorch reference models (test/fixtures/reference/pytorch_models.py) written out by
 * hand as concrete IR graphs, so the interpreter can be tested end to end without the
 * front end. Parameter names are the PyTorch state_dict names.
 */
import type { Graph, Node, ParamRef, ValueId } from '../../src/ir/graph.ts';
import { syntheticSpan } from '../../src/diag/span.ts';

export class GraphBuilder {
  readonly graph: Graph<number>;

  constructor(name: string) {
    this.graph = { name, values: [], nodes: [], inputs: [], outputs: [] };
  }

  private value(name: string, shape: number[], producer?: number): ValueId {
    const id = this.graph.values.length;
    this.graph.values.push({ id, name, shape, producer });
    return id;
  }

  input(name: string, shape: number[]): ValueId {
    const v = this.value(name, shape);
    this.graph.inputs.push({ name, value: v });
    return v;
  }

  output(name: string, v: ValueId): void {
    this.graph.outputs.push({ name, value: v });
  }

  shape(v: ValueId): number[] {
    return this.graph.values[v]!.shape;
  }

  /** Add a node; `params` maps role to shape, named `${name}.${role}`. */
  node(op: string, name: string, inputs: ValueId[], attrs: Record<string, unknown>, outShape: number[], params: Record<string, number[]> = {}): ValueId {
    const id = this.graph.nodes.length;
    const out = this.value(name, outShape, id);
    const refs: Record<string, ParamRef> = {};
    for (const [role, shape] of Object.entries(params)) {
      refs[role] = { name: `${name}.${role}`, shape, trainable: role === 'weight' || role === 'bias' };
    }
    // Test specs give op and attrs as data; they match by construction.
    const node = { id, op, name, inputs, outputs: [out], attrs, params: refs, span: syntheticSpan('reference'), instances: [] } as Node<number>;
    this.graph.nodes.push(node);
    return out;
  }

  params(): ParamRef[] {
    return this.graph.nodes.flatMap((n) => Object.values(n.params));
  }

  // ---- layers ----

  conv(name: string, x: ValueId, cout: number, k: number, opts: { stride?: number; pad?: number; bias?: boolean; epilogue?: unknown } = {}): ValueId {
    const [n, cin, h, w] = this.shape(x) as [number, number, number, number];
    const s = opts.stride ?? 1;
    const p = opts.pad ?? 0;
    const bias = opts.bias ?? true;
    const o = (d: number): number => Math.floor((d + 2 * p - k) / s) + 1;
    const attrs: Record<string, unknown> = {
      rank: 2, outChannels: cout, kernel: [k, k], stride: [s, s], padBegin: [p, p], padEnd: [p, p], dilation: [1, 1], groups: 1, bias,
    };
    if (opts.epilogue) attrs['epilogue'] = opts.epilogue;
    const params: Record<string, number[]> = { weight: [cout, cin, k, k] };
    if (bias) params['bias'] = [cout];
    return this.node('conv', name, [x], attrs, [n, cout, o(h), o(w)], params);
  }

  convT(name: string, x: ValueId, cout: number, k: number, s: number, p: number, bias = false): ValueId {
    const [n, cin, h, w] = this.shape(x) as [number, number, number, number];
    const o = (d: number): number => (d - 1) * s - 2 * p + k;
    const attrs = { rank: 2, outChannels: cout, kernel: [k, k], stride: [s, s], pad: [p, p], outputPad: [0, 0], dilation: [1, 1], groups: 1, bias };
    return this.node('conv_transpose', name, [x], attrs, [n, cout, o(h), o(w)], bias ? { weight: [cin, cout, k, k], bias: [cout] } : { weight: [cin, cout, k, k] });
  }

  maxpool2(name: string, x: ValueId): ValueId {
    const [n, c, h, w] = this.shape(x) as [number, number, number, number];
    const attrs = { rank: 2, kernel: [2, 2], stride: [2, 2], pad: [0, 0], dilation: [1, 1], ceil: false, countIncludePad: true };
    return this.node('maxpool', name, [x], attrs, [n, c, Math.floor(h / 2), Math.floor(w / 2)]);
  }

  bn(name: string, x: ValueId, eps = 1e-5): ValueId {
    const c = this.shape(x)[1]!;
    return this.node('batchnorm', name, [x], { eps }, this.shape(x), { weight: [c], bias: [c], running_mean: [c], running_var: [c] });
  }

  act(op: string, name: string, x: ValueId, attrs: Record<string, unknown> = {}): ValueId {
    return this.node(op, name, [x], attrs, this.shape(x));
  }

  maxpool3s1(name: string, x: ValueId): ValueId {
    const attrs = { rank: 2, kernel: [3, 3], stride: [1, 1], pad: [1, 1], dilation: [1, 1], ceil: false, countIncludePad: true };
    return this.node('maxpool', name, [x], attrs, this.shape(x));
  }

  concat(name: string, xs: ValueId[]): ValueId {
    const shape = [...this.shape(xs[0]!)];
    shape[1] = xs.reduce((a, v) => a + this.shape(v)[1]!, 0);
    return this.node('concat', name, xs, { axis: 1 }, shape);
  }

  add(name: string, a: ValueId, b: ValueId): ValueId {
    return this.node('add', name, [a, b], {}, this.shape(a));
  }
}

/** GoogLeNet's inception (3a); `fused` puts every ReLU into its conv as an epilogue. */
export function inception3a(fused = false): GraphBuilder {
  const g = new GraphBuilder('inception_3a');
  const x = g.input('x', [1, 192, 28, 28]);
  const relu = { activation: 'relu' };
  const convRelu = (name: string, v: ValueId, c: number, k: number, pad = 0): ValueId =>
    fused ? g.conv(name, v, c, k, { pad, epilogue: relu }) : g.act('relu', `${name}_relu`, g.conv(name, v, c, k, { pad }));
  const p1 = convRelu('p1_1', x, 64, 1);
  const p2 = convRelu('p2_2', convRelu('p2_1', x, 96, 1), 128, 3, 1);
  const p3 = convRelu('p3_2', convRelu('p3_1', x, 16, 1), 32, 5, 2);
  const p4 = convRelu('p4_2', g.maxpool3s1('p4_1', x), 32, 1);
  g.output('y', g.concat('cat', [p1, p2, p3, p4]));
  return g;
}

export function inceptionNaive(): GraphBuilder {
  const g = new GraphBuilder('inception_naive');
  const x = g.input('x', [1, 192, 28, 28]);
  const b1 = g.act('relu', 'r1', g.conv('b1', x, 64, 1));
  const b2 = g.act('relu', 'r2', g.conv('b2', x, 128, 3, { pad: 1 }));
  const b3 = g.act('relu', 'r3', g.conv('b3', x, 32, 5, { pad: 2 }));
  g.output('y', g.concat('cat', [b1, b2, b3, g.maxpool3s1('pool', x)]));
  return g;
}

/** ConvBNLayer: conv (no bias, "same" padding) -> batch norm -> optional activation. */
function convBN(g: GraphBuilder, name: string, x: ValueId, cout: number, k: number, act?: 'relu' | 'leaky'): ValueId {
  const y = g.bn(`${name}._batch_norm`, g.conv(`${name}._conv`, x, cout, k, { pad: (k - 1) >> 1, bias: false }));
  if (act === 'relu') return g.act('relu', `${name}.relu`, y);
  if (act === 'leaky') return g.act('leaky_relu', `${name}.leaky`, y, { slope: 0.1 });
  return y;
}

export function bottleneckS1(): GraphBuilder {
  const g = new GraphBuilder('bottleneck_s1');
  const x = g.input('x', [1, 256, 56, 56]);
  const y = convBN(g, 'conv2', convBN(g, 'conv1', convBN(g, 'conv0', x, 64, 1, 'relu'), 64, 3, 'relu'), 256, 1);
  g.output('y', g.act('relu', 'out_relu', g.add('residual', y, x)));
  return g;
}

export function basicBlock256(): GraphBuilder {
  const g = new GraphBuilder('basic_block_256');
  const x = g.input('x', [1, 256, 14, 14]);
  const y = convBN(g, 'conv1', convBN(g, 'conv0', x, 256, 3, 'relu'), 256, 3);
  g.output('y', g.act('relu', 'out_relu', g.add('residual', x, y)));
  return g;
}

export function convbnLeaky(): GraphBuilder {
  const g = new GraphBuilder('convbn_leaky');
  g.output('y', convBN(g, '', g.input('x', [1, 32, 40, 40]), 64, 3, 'leaky'));
  // The module is the layer itself: its state_dict names have no prefix.
  for (const n of g.graph.nodes) for (const p of Object.values(n.params)) p.name = p.name.replace(/^\./, '');
  return g;
}

export function dcganGenerator(ngf = 16): GraphBuilder {
  const g = new GraphBuilder('dcgan_generator_ngf16');
  let x = g.input('x', [2, 100, 1, 1]);
  const chans = [ngf * 8, ngf * 4, ngf * 2, ngf];
  chans.forEach((c, i) => {
    x = g.convT(`main.${3 * i}`, x, c, 4, i === 0 ? 1 : 2, i === 0 ? 0 : 1);
    x = g.bn(`main.${3 * i + 1}`, x);
    x = g.act('relu', `main.${3 * i + 2}`, x);
  });
  x = g.convT('main.12', x, 3, 4, 2, 1);
  g.output('y', g.act('tanh', 'main.13', x));
  return g;
}

/** A small U-Net whose levels are nn.Sequential(cbr2, cbr2), cbr2 = Sequential(Conv2d, BatchNorm2d, ReLU). */
export function unet2d(f = 16): GraphBuilder {
  const g = new GraphBuilder('unet2d');
  const level = (name: string, v: ValueId, c: number): ValueId => {
    for (const i of [0, 1]) {
      const conv = g.conv(`${name}.${i}.0`, v, c, 3, { pad: 1, bias: false });
      v = g.act('relu', `${name}.${i}.2`, g.bn(`${name}.${i}.1`, conv));
    }
    return v;
  };
  const e1 = level('e1', g.input('x', [1, 1, 64, 64]), f);
  const e2 = level('e2', g.maxpool2('pool1', e1), 2 * f);
  const e3 = level('e3', g.maxpool2('pool2', e2), 4 * f);
  const d2 = level('d2', g.concat('cat2', [g.convT('u2', e3, 2 * f, 2, 2, 0, true), e2]), 2 * f);
  const d1 = level('d1', g.concat('cat1', [g.convT('u1', d2, f, 2, 2, 0, true), e1]), f);
  g.output('y', g.conv('head', d1, 2, 1));
  return g;
}

export const referenceModels: Record<string, () => GraphBuilder> = {
  inception_3a: () => inception3a(),
  inception_naive: inceptionNaive,
  bottleneck_s1: bottleneckS1,
  basic_block_256: basicBlock256,
  convbn_leaky: convbnLeaky,
  dcgan_generator_ngf16: () => dcganGenerator(),
  unet2d: () => unet2d(),
};
