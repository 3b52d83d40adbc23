/** The check stage's API: results, hover records, hosts, help lines, concretize. */
import { describe, expect, it } from 'vitest';
import { checkProgram, checkSource } from '../../src/check/check.ts';
import { fileSystemHost, memoryHost, resolveImportPath } from '../../src/check/host.ts';
import { dimToString } from '../../src/ir/dim/dim.ts';
import { closestName, editDistance } from '../../src/check/suggest.ts';
import { concretize } from '../../src/check/concretize.ts';

const net = `block Unit(c: int) {
  in x: [N, C, H, W]
  out x |> conv(c, k=3, pad=1) |> relu
}
network Net {
  in x: [N, 3, H, W]
  a = x |> u: Unit(8)
  out y = a |> upsample(scale=2)
}
`;

describe('checkSource', () => {
  it('returns graphs, files and hover records', () => {
    const r = checkSource(net, 'net.net');
    expect(r.diagnostics).toEqual([]);
    expect(r.graphs.map((g) => g.name)).toEqual(['Net']);
    expect([...r.files.keys()]).toEqual(['net.net']);
    const a = r.hovers.find((h) => h.name === 'a' && h.instance === '');
    expect(a!.shape!.map(dimToString)).toEqual(['N', '8', 'H', 'W']);
    // Every stage has a record, also inside the block instance.
    const inner = r.hovers.filter((h) => h.instance === 'u' && !h.name);
    expect(inner.length).toBe(2);
  });

  it('records parameter values per instance, passed explicitly or from defaults', () => {
    const src = `block B(c: int, k: int = 3, wide: bool = C < c) {
  in x: [N, C, H, W]
  out x |> conv(c, k=k, pad=k div 2)
}
network Net {
  in x: [1, 4, 8, 8]
  out y = x |> one: B(8) |> two: B(2, k=5)
}
`;
    const r = checkSource(src, 'b.net');
    expect(r.diagnostics).toEqual([]);
    const values = (name: string) => r.hovers.filter((h) => h.name === name && h.instance !== '').map((h) => `${h.instance} ${h.scalar}`);
    expect(values('c')).toEqual(['one 8', 'two 2']);
    expect(values('k')).toEqual(['one 3', 'two 5']);
    expect(values('wide')).toEqual(['one true', 'two false']);
  });

  it('explains that a block with a single named output returns the tensor', () => {
    const src = 'block Enc() {\n  in x: [N, C, H, W]\n  out features = x |> relu\n}\nnetwork N {\n  in x: [1, 3, 8, 8]\n  out y = (x |> Enc()).features\n}\n';
    const r = checkSource(src, 'e.net');
    expect(r.diagnostics.map((d) => d.code)).toEqual(['NET1043']);
    expect(r.diagnostics[0]!.help).toBe('Enc has a single output, features: its call is that tensor, so use it without .features');
  });

  it('records the instance chain of a node', () => {
    const r = checkSource(net, 'net.net');
    const conv = r.graphs[0]!.nodes.find((n) => n.op === 'conv')!;
    expect(conv.name).toBe('u.conv1');
    expect(conv.params.weight!.name).toBe('u.conv1.weight');
    expect(conv.instances.map((f) => `${f.instance} ${f.callee}`)).toEqual(['u Unit(...)']);
  });

  it('gives a did-you-mean help for operators and names', () => {
    const r = checkSource('network N {\n  in x: [1, 3, 8, 8]\n  out y = x |> maxpol(k=2)\n}\n', 'n.net');
    expect(r.diagnostics[0]!.help).toBe('did you mean maxpool?');
  });

  it('shape mismatches point at the producer of each operand', () => {
    const r = checkSource('network N {\n  in x: [1, 3, 8, 8]\n  p = x |> maxpool(k=2)\n  out y = concat(x, p)\n}\n', 'n.net');
    const d = r.diagnostics.find((x) => x.code === 'NET2002')!;
    expect(d.related.map((x) => x.span.start.line)).toContain(3);
  });
});

describe('hosts', () => {
  it('resolves relative and library imports', () => {
    expect(resolveImportPath('a/b/main.net', '../lib')).toBe('a/lib.net');
    expect(resolveImportPath('a/main.net', 'std/resnet')).toBe('std/resnet.net');
    expect(fileSystemHost().read('std/resnet.net')).toContain('block Bottleneck');
    expect(memoryHost({ 'x.net': 'const A = 1' }).read('x.net')).toBe('const A = 1');
    expect(memoryHost({}).read('missing.net')).toBeUndefined();
  });

  it('reports a missing entry file as a diagnostic', () => {
    const r = checkProgram('nothere.net', memoryHost({}), {});
    expect(r.diagnostics.map((d) => d.code)).toEqual(['NET1004']);
  });
});

describe('suggestions', () => {
  it('edit distance counts transpositions once', () => {
    expect(editDistance('rleu', 'relu')).toBe(1);
    expect(editDistance('conv', 'conv')).toBe(0);
    expect(closestName('Incepton', ['Inception', 'Bottleneck'])).toBe('Inception');
    expect(closestName('zzz', ['conv', 'relu'])).toBeUndefined();
  });
});

describe('concretize', () => {
  it('binds every size and fills upsample sizes', () => {
    const r = checkSource(net, 'net.net');
    const c = concretize(r.graphs[0]!, new Map([['N', 2], ['H', 5], ['W', 7]]));
    expect(c.diagnostics).toEqual([]);
    const g = c.graph!;
    expect(g.values[g.outputs[0]!.value]!.shape).toEqual([2, 8, 10, 14]);
    const up = g.nodes.find((n) => n.op === 'upsample')!;
    expect(up.attrs.size).toEqual([10, 14]);
    expect(g.nodes[0]!.params.weight!.shape).toEqual([8, 3, 3, 3]);
  });

  it('names the unbound symbols of an input once, together', () => {
    const r = checkSource(net, 'net.net');
    const c = concretize(r.graphs[0]!, new Map([['N', 1]]));
    expect(c.graph).toBeUndefined();
    expect(c.diagnostics.map((d) => d.message)).toEqual(['no value for dimensions H and W']);
    expect(c.diagnostics[0]!.help).toBe('give them values: --bind H=...,W=...');
  });
});
