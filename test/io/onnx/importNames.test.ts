/**
 * Import never fails because of names: PyTorch's state_dict keys (`features.0.0.weight`,
 * `1.weight`, `e1.0.0.weight`) are kept exactly, the exporter's scopes give the names of
 * folded layers without doubling a Sequential's name, and a name no label can spell is
 * renamed with a weight-map rule from the model's name.
 */
import { describe, expect, it } from 'vitest';
import { exportOnnx } from '../../../src/io/onnx/export.ts';
import { importOnnx } from '../../../src/io/onnx/import.ts';
import { scopeOfNodeName } from '../../../src/io/onnx/naming.ts';
import { runGraph } from '../../../src/interp/run.ts';
import { bindWeights, parseWeightMap, renameTensor } from '../../../src/io/weightsMap.ts';
import { detTensor } from '../../../src/io/detTensor.ts';
import { relativeL2 } from '../../../src/ir/tensor.ts';
import { checkToGraph, runOrt, weightSignature } from './helpers.ts';
import { ProtoModel } from './protoModel.ts';

/** Every kind of name seen failing in torchvision and U-Net exports, in one chain. */
function namesModel(): ProtoModel {
  return new ProtoModel([1, 3, 8, 8])
    .conv('/features/features.0/features.0.0', 4, 'features.0.0.weight')
    .batchnorm('/features/features.0/features.0.1', 'features.0.1')
    .op('/features/features.0/features.0.2', 'Relu')
    .conv('/1', 4, '1.weight', '1.bias', 1)
    .conv('/e1/e1.0/e1.0.0', 4, 'e1.0.0.weight')
    .conv('/enc1/enc1.0/enc1.0.0', 4, 'enc1.0.0.weight')
    .conv('/Mixed_5b/branch1x1/conv', 4, 'Mixed_5b.branch1x1.conv.weight')
    // A folded layer (initializer named by the exporter): the name comes from the scope.
    .conv('/inception3a/branch2/branch2.0/conv', 4, 'onnx::Conv_91', 'onnx::Conv_92')
    .conv('/classifier/classifier.1', 4, 'classifier.1.weight', 'classifier.1.bias', 1)
    // Keywords label stages too: torchvision's MBConv keeps its layers in `block`.
    .conv('/stage/stage.1/block/block.0/block.0.0', 4, 'stage.1.block.0.0.weight')
    .conv('/in', 4, 'in.weight', undefined, 1);
}

const input = detTensor('names/input', [1, 3, 8, 8], 0, 1);

describe('importing PyTorch names', () => {
  it('keeps every state_dict key, and the source checks to the same weights', () => {
    const r = importOnnx(namesModel().bytes(), { file: 'names.onnx' });
    expect(r.diagnostics).toEqual([]);
    expect([...r.weights!.keys()]).toEqual([
      'features.0.0.weight', 'features.0.1.weight', 'features.0.1.bias', 'features.0.1.running_mean', 'features.0.1.running_var',
      '1.weight', '1.bias', 'e1.0.0.weight', 'enc1.0.0.weight', 'Mixed_5b.branch1x1.conv.weight',
      'inception3a.branch2.0.conv.weight', 'inception3a.branch2.0.conv.bias', 'classifier.1.weight', 'classifier.1.bias',
      'stage.1.block.0.0.weight', 'in.weight',
    ]);
    expect(r.weightMap).toEqual([]);
    expect(r.source).toContain('features: seq {');
    expect(r.source).toMatch(/^\/\/ Imported by netc from names\.onnx \(pytorch 2\.11\.0, opset 17\)\./);
    const g = checkToGraph(r.source!, 'names.net');
    expect(weightSignature(g)).toEqual(weightSignature(r.graph!));
    const a = [...runGraph(r.graph!, r.weights!, [input]).values()][0]!;
    const b = [...runGraph(g, r.weights!, [input]).values()][0]!;
    expect(relativeL2(b.data, a.data)).toBe(0);
  });

  it('exporting the imported model gives back the same names, and onnxruntime the same output', async () => {
    const r = importOnnx(namesModel().bytes(), { file: 'names.onnx' });
    const bytes = exportOnnx(r.graph!, r.weights!);
    const back = importOnnx(bytes, { file: 'names.onnx' });
    expect([...back.weights!.keys()]).toEqual([...r.weights!.keys()]);
    expect(back.source!.replace('netc, ', 'pytorch 2.11.0, ')).toBe(r.source);
    const ours = [...runGraph(r.graph!, r.weights!, [input]).values()][0]!;
    const ort = (await runOrt(bytes, { input }))!.get('output')!;
    expect(relativeL2(ort.data, ours.data)).toBeLessThan(1e-5);
  });

  it('the header is one comment line whatever the producer name holds', () => {
    const m = new ProtoModel([1, 3, 8, 8]).conv('/c', 4, 'c.weight');
    const r = importOnnx(m.bytes({ producer: 'tool\nnetwork Evil {' }), { file: 'dir/sub/m.onnx' });
    expect(r.source!.split('\n')[0]).toBe('// Imported by netc from m.onnx (tool network Evil { 2.11.0, opset 17).');
    expect(checkToGraph(r.source!, 'm.net').nodes).toHaveLength(1);
  });

  it('drops the parent a Sequential child repeats in its scope, however deep', () => {
    expect(scopeOfNodeName('/inception3a/branch2/branch2.0/conv/Conv')).toBe('inception3a.branch2.0.conv');
    expect(scopeOfNodeName('/e1/e1.0/e1.0.0/Conv')).toBe('e1.0.0');
    expect(scopeOfNodeName('/main/main.0/ConvTranspose')).toBe('main.0');
    expect(scopeOfNodeName('/features/features.1/conv/conv.0/conv.0.0/Conv')).toBe('features.1.conv.0.0');
    // A child that happens to share its parent's name is its own segment.
    expect(scopeOfNodeName('/block/block/Conv')).toBe('block.block');
  });

  it('renames what no label can spell, with a weight map from the model\'s names', () => {
    // RegNet's `block1-0`: the weights and the scope of the unweighted relu agree on its name.
    const m = new ProtoModel([1, 3, 8, 8])
      .conv('/conv-1', 4, 'conv-1.weight', 'conv-1.bias')
      .conv('/trunk/block1-0/a/a.0', 4, 'trunk.block1-0.a.0.weight')
      .op('/trunk/block1-0/a/a.1', 'Relu')
      .conv('/blocks/blocks.0', 4, 'blocks.0.weight')
      .conv('/blocks/blocks._', 4, 'blocks._.weight');
    const r = importOnnx(m.bytes(), { file: 'odd.onnx' });
    expect(r.diagnostics.map((d) => [d.code, d.severity])).toEqual([['NET5014', 'warning']]);
    expect(r.diagnostics[0]!.message).toContain('4 weights are named differently');
    expect(r.weightMap).toEqual([
      { from: 'conv-1.weight', to: 'conv_1.weight' },
      { from: 'conv-1.bias', to: 'conv_1.bias' },
      { from: 'trunk.block1-0.a.0.weight', to: 'trunk.block1_0.a.0.weight' },
      { from: 'blocks._.weight', to: 'blocks.__.weight' },
    ]);
    expect(r.source).toContain('block1_0: Block()');
    const g = checkToGraph(r.source!, 'odd.net');
    expect(weightSignature(g)).toEqual(weightSignature(r.graph!));
    // The model's own weights load into the .net through the map.
    const yaml = `rename:\n${r.weightMap!.map((x) => `  - { from: ${JSON.stringify(x.from)}, to: ${JSON.stringify(x.to)} }`).join('\n')}\n`;
    const map = parseWeightMap(yaml, 'odd.weights.yaml');
    const original = new Map([...r.weights!].map(([k, v]) => [r.weightMap!.find((x) => x.to === k)?.from ?? k, v]));
    expect([...original.keys()]).toContain('conv-1.weight');
    const bound = bindWeights(g.nodes.flatMap((n) => Object.values(n.params)), original, map);
    expect(bound.problems).toEqual({ missing: [], unexpected: [], misshaped: [] });
    expect(renameTensor('trunk.block1-0.a.0.weight', map)).toBe('trunk.block1_0.a.0.weight');
  });
});
