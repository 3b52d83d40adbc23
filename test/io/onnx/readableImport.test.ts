/**
 * What `netc import` writes is meant to be read and kept: the example networks exported to
 * ONNX and imported back give sources that check without a warning, are already in the
 * layout of `netc fmt`, say where they came from, name block parameters for what they are,
 * and never hold two blocks that differ only by a label or a constant.
 */
import { describe, expect, it } from 'vitest';
import { checkProgram, checkSource } from '../../../src/check/check.ts';
import { fileSystemHost } from '../../../src/check/host.ts';
import { concretize } from '../../../src/check/concretize.ts';
import { formatSource } from '../../../src/fmt/format.ts';
import { detTensor } from '../../../src/io/detTensor.ts';
import { exportOnnx } from '../../../src/io/onnx/export.ts';
import { importOnnx } from '../../../src/io/onnx/import.ts';
import type { WeightStore } from '../../../src/ir/graph.ts';
import { readRef } from './helpers.ts';

function roundTrip(file: string, network: string): string {
  const bindings = new Map([['N', 1], ['D', 8], ['H', 8], ['W', 8]]);
  const checked = checkProgram(`examples/${file}`, fileSystemHost(), { bindings, entry: network });
  const graph = concretize(checked.graphs[0]!, bindings).graph!;
  const weights: WeightStore = new Map();
  for (const n of graph.nodes) for (const p of Object.values(n.params)) weights.set(p.name, detTensor(p.name, p.shape, 0.5, 1.5));
  const r = importOnnx(exportOnnx(graph, weights), { file: `${network}.onnx` });
  expect(r.diagnostics).toEqual([]);
  return r.source!;
}

/** Each block's body with labels, names and numbers blanked: equal bodies differ only by those. */
function blockShapes(source: string): string[] {
  return [...source.matchAll(/^block \w+(\([^)]*\))? \{\n([\s\S]*?)^\}/gm)].map((m) =>
    m[2]!.replace(/\b[A-Za-z_]\w*: /g, 'L: ').replace(/\b[0-9]+(\.[0-9]+)?\b/g, '#'));
}

const sources: [string, () => string][] = [
  ['GoogLeNet', () => roundTrip('googlenet.net', 'GoogLeNet')],
  ['ResNet50', () => roundTrip('resnet50.net', 'ResNet50')],
  ['UNet3D', () => roundTrip('unet3d.net', 'UNet3D')],
  ['unet2d.onnx', () => importOnnx(readRef('onnx/unet2d.onnx'), { file: 'unet2d.onnx' }).source!],
];

describe('readable imported sources', () => {
  it.each(sources)('%s: checks without warnings, is formatted, says where it came from', (name, make) => {
    const source = make();
    const checked = checkSource(source, `${name}.net`, {});
    expect(checked.diagnostics.filter((d) => d.severity !== 'note')).toEqual([]);
    expect(formatSource(source, `${name}.net`).changed).toBe(false);
    expect(source).toMatch(/^\/\/ Imported by netc from [\w.]+\.onnx \([^)]*opset 1\d\)\.\n/);
    const shapes = blockShapes(source);
    expect(new Set(shapes).size).toBe(shapes.length);
    // Parameters are named for arguments (`c`, `k`, `stride`), prefixed by a layer name where needed.
    for (const m of source.matchAll(/^block \w+\(([^)]*)\)/gm)) {
      for (const p of m[1]!.split(',').map((x) => x.trim()).filter((x) => x)) expect(p).toMatch(/^((\w+_)?(c|n|k|stride|pad|dilation|groups|eps|slope|p|scale|size)[0-9]*): /);
    }
  });

  it('names parameters after the layers that tell them apart', () => {
    const google = roundTrip('googlenet.net', 'GoogLeNet');
    expect(google).toMatch(/block Inception\(\s*branch1_c: int,\s*branch2_0_c: int,\s*branch2_1_c: int,\s*branch3_0_c: int,\s*branch3_1_c: int,\s*branch4_c: int,?\s*\)/);
    expect(google).toContain('block ConvBNReLU(c: int, k: int, stride: int, pad: int) {');
    const resnet = roundTrip('resnet50.net', 'ResNet50');
    expect(resnet).toMatch(/block \w+\(conv1_c: int, stride: int, conv3_c: int\)/);
  });
});
