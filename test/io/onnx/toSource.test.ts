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
    expect(source).toMatch(/block ConvBNReLU\(conv_c: int, conv_k: int, conv_pad: int\)/);
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

  it('says why when a name cannot be written', () => {
    const b = new GraphBuilder('Bad');
    const x = b.input('x', [1, 3, 4, 4]);
    b.output('y', b.node('conv', '0', [x], convAttrs(4, 1, 0), [1, 4, 4, 4], { weight: [4, 3, 1, 1] }));
    expect(graphToSource(b.graph()).problem).toMatch(/not an identifier/);
  });
});
