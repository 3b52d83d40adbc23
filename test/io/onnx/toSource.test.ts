/** Source generation on hand-built graphs: blocks for repeated structures, pipes, names. */
import { describe, expect, it } from 'vitest';
import { graphToSource } from '../../../src/io/onnx/toSource.ts';
import { GraphBuilder } from './graphBuilder.ts';
import { checkToGraph, sortedNodeShapes, weightSignature } from './helpers.ts';

const convAttrs = (out: number, k: number, pad: number) => ({
  rank: 2, outChannels: out, kernel: [k, k], stride: [1, 1], padBegin: [pad, pad], padEnd: [pad, pad], dilation: [1, 1], groups: 1, bias: false,
});

/** `layer{i}.conv -> layer{i}.bn -> relu` three times with different channels and kernels, then a skip. */
function convBnReluChain(): GraphBuilder {
  const b = new GraphBuilder('Chain');
  let v = b.input('x', [1, 3, 8, 8]);
  const x = v;
  const spec = [[8, 3, 1], [8, 1, 0], [3, 3, 1]] as const;
  spec.forEach(([c, k, p], i) => {
    v = b.node('conv', `layer${i + 1}.conv`, [v], convAttrs(c, k, p), [1, c, 8, 8], { weight: [c, i === 0 ? 3 : spec[i - 1]![0], k, k] });
    v = b.node('batchnorm', `layer${i + 1}.bn`, [v], { eps: 1e-5 }, [1, c, 8, 8], { weight: [c], bias: [c], running_mean: [c], running_var: [c] });
    v = b.node('relu', `layer${i + 1}.relu`, [v], {}, [1, c, 8, 8]);
  });
  b.output('y', b.node('add', 'add', [v, x], {}, [1, 3, 8, 8]));
  return b;
}

describe('graphToSource', () => {
  it('turns a conv -> bn -> relu chain used three times into one parameterised block', () => {
    const b = convBnReluChain();
    const { source, problem } = graphToSource(b.graph());
    expect(problem).toBeUndefined();
    console.log(source);
    expect(source!.match(/^block /gm)).toHaveLength(1);
    // Parameters named for the arguments they take.
    expect(source).toMatch(/block ConvBNReLU\(c: int, k: int, pad: int\)/);
    expect(source).toContain('layer1: ConvBNReLU(8, 3, 1)');
    const g = checkToGraph(source!);
    expect(weightSignature(g)).toEqual(weightSignature(b.graph()));
    expect(sortedNodeShapes(g)).toEqual(sortedNodeShapes(b.graph()));
  });

  it('pipes a value read once and names a value read twice', () => {
    const b = convBnReluChain();
    const source = graphToSource(b.graph()).source!;
    // x is read by the chain and by the add: it stays a name; the chain's result is read once, by the add.
    expect(source).toMatch(/= x\s+\|> layer1: ConvBNReLU/);
    expect(source).toMatch(/out y = layer \+ x|out y = \w+ \+ x/);
  });

  it('labels a layer with digits, and says why when a name cannot be written', () => {
    const b = new GraphBuilder('Digits');
    const x = b.input('x', [1, 3, 4, 4]);
    b.output('y', b.node('conv', '0', [x], convAttrs(4, 1, 0), [1, 4, 4, 4], { weight: [4, 3, 1, 1] }));
    expect(graphToSource(b.graph()).source).toContain('|> 0: conv(4, k=1, bias=false)');
    const bad = new GraphBuilder('Bad');
    const y = bad.input('x', [1, 3, 4, 4]);
    bad.output('y', bad.node('conv', 'conv-1', [y], convAttrs(4, 1, 0), [1, 4, 4, 4], { weight: [4, 3, 1, 1] }));
    expect(graphToSource(bad.graph()).problem).toMatch(/conv-1 is neither an identifier nor digits/);
  });

  it('one parameter for arguments with the same name and values, their layers\' names tell the others apart', () => {
    // conv(c) -> relu -> conv(c): a DoubleConv at two widths, and a block whose two convs differ.
    const b = new GraphBuilder('Shared');
    let v = b.input('x', [1, 3, 8, 8]);
    for (const [name, c] of [['e1', 4], ['e2', 6]] as const) {
      const cin = b.values[v]!.shape[1]!;
      v = b.node('conv', `${name}.conv1`, [v], convAttrs(c, 3, 1), [1, c, 8, 8], { weight: [c, cin, 3, 3] });
      v = b.node('relu', `${name}.relu`, [v], {}, [1, c, 8, 8]);
      v = b.node('conv', `${name}.conv2`, [v], convAttrs(c, 3, 1), [1, c, 8, 8], { weight: [c, c, 3, 3] });
    }
    for (const [name, c1, c2] of [['m1', 4, 8], ['m2', 6, 2]] as const) {
      const cin = b.values[v]!.shape[1]!;
      v = b.node('conv', `${name}.expand`, [v], convAttrs(c1, 1, 0), [1, c1, 8, 8], { weight: [c1, cin, 1, 1] });
      v = b.node('conv', `${name}.project`, [v], convAttrs(c2, 1, 0), [1, c2, 8, 8], { weight: [c2, c1, 1, 1] });
    }
    b.output('y', v);
    const source = graphToSource(b.graph()).source!;
    expect(source).toContain('block ConvReLUConv(c: int) {');
    expect(source).toContain('e2: ConvReLUConv(6)');
    expect(source).toContain('block ConvConv(expand_c: int, project_c: int) {');
    expect(source).toContain('m2: ConvConv(6, 2)');
    const g = checkToGraph(source);
    expect(weightSignature(g)).toEqual(weightSignature(b.graph()));
  });
});
