/**
 * The optimiser on the example networks: what the issue of record promises for GoogLeNet and
 * ResNet-50, and the planned arena against the sum of all intermediates for every example.
 */
import { describe, expect, it } from 'vitest';
import { checkProgram } from '../../src/check/check.ts';
import { fileSystemHost } from '../../src/check/host.ts';
import { concretize } from '../../src/check/concretize.ts';
import type { Graph } from '../../src/ir/graph.ts';
import { randomWeights } from '../../src/io/randomWeights.ts';
import { optimize } from '../../src/passes/pipeline.ts';

function graphsOf(file: string, bind: Record<string, number> = {}): Graph[] {
  const r = checkProgram(file, fileSystemHost(), { bindings: new Map(Object.entries(bind)) });
  expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return r.graphs.map((g) => concretize(g, new Map(Object.entries(bind))).graph!);
}

function optimised(g: Graph) {
  return optimize(g, randomWeights(g.nodes.flatMap((n) => Object.values(n.params)), 0));
}

describe('GoogLeNet', () => {
  const [g] = graphsOf('examples/googlenet.net');
  const { graph, log } = optimised(g!);
  it("fuses every Inception block's three 1x1 convs on the block input", () => {
    const fused = log.forPass('fuse-1x1-horizontal');
    expect(fused.length).toBe(9);
    for (const block of ['3a', '3b', '4a', '4b', '4c', '4d', '4e', '5a', '5b']) {
      expect(fused.some((m) => m.startsWith(`fused inception${block}.`) && /into one 1x1 conv \d+->\d+/.test(m))).toBe(true);
    }
    expect(fused[0]).toMatch(/into one 1x1 conv 192->176/);
  });
  it('leaves no concat copy and plans the arena', () => {
    for (const c of graph.nodes.filter((n) => n.op === 'concat')) expect(c.attrs.operandsInPlace).toEqual([true, true, true, true]);
    expect(log.forPass('concat-in-place').join()).toMatch(/0 operands still copied/);
    expect(graph.memory!.arenaBytes).toBeLessThan(graph.memory!.unplannedBytes / 4);
  });
});

describe('ResNet-50', () => {
  const [g] = graphsOf('examples/resnet50.net');
  const { graph } = optimised(g!);
  it('folds every batch norm and fuses every residual add and the relu after it', () => {
    expect(g!.nodes.filter((n) => n.op === 'batchnorm').length).toBe(53);
    expect(graph.nodes.filter((n) => n.op === 'batchnorm')).toEqual([]);
    expect(graph.nodes.filter((n) => n.op === 'add')).toEqual([]);
    const residual = graph.nodes.filter((n) => (n.attrs.epilogue as { residual?: boolean } | undefined)?.residual);
    expect(residual.length).toBe(16);
    for (const n of residual) expect((n.attrs.epilogue as { activation?: string }).activation).toBe('relu');
    expect(graph.nodes.filter((n) => n.op === 'relu')).toEqual([]);
  });
});

describe('arena figures of every example', () => {
  it('plans less than the sum of intermediates', () => {
    const rows: string[] = [];
    const files: [string, Record<string, number>][] = [
      ['examples/googlenet.net', {}], ['examples/resnet50.net', {}], ['examples/dcgan.net', { N: 1 }],
      ['examples/unet3d.net', { D: 64, H: 64, W: 64 }], ['examples/cnn3d_action.net', { N: 1 }], ['examples/fcn.net', { N: 1, H: 224, W: 224 }],
    ];
    for (const [file, bind] of files) {
      for (const g of graphsOf(file, bind)) {
        const m = optimised(g).graph.memory!;
        rows.push(`${g.name.padEnd(12)} arena ${(m.arenaBytes / 1e6).toFixed(2)} MB, all intermediates ${(m.unplannedBytes / 1e6).toFixed(2)} MB`);
        expect(m.arenaBytes).toBeLessThan(m.unplannedBytes);
      }
    }
    console.log(rows.join('\n'));
  });
});
