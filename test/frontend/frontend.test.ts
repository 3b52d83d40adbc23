/** The front end: its stages, what each returns and where it stops; sizes bound by input tensors. */
import { describe, expect, it } from 'vitest';
import { memoryHost } from '../../src/check/host.ts';
import { runFrontend, type FrontendRequest } from '../../src/frontend/frontend.ts';
import type { Tensor } from '../../src/ir/tensor.ts';

const SYMBOLIC = `network Sym {
  in x: f32[N, 3, H, W]
  out y = x |> c1: conv(4, k=3, pad=1) |> relu
}
`;

const TWO_INPUTS = `network Two {
  in a: f32[N, 3, 8, 8]
  in b: f32[N, 3, 8, 8]
  out y = a + b
}
`;

function front(source: string, request: Partial<FrontendRequest> = {}) {
  return runFrontend({ file: 'main.net', host: memoryHost({ 'main.net': source }), weights: () => ({ seed: 0 }), ...request });
}

const zeros = (shape: number[]): Tensor => ({ shape, data: new Float32Array(shape.reduce((a, b) => a * b, 1)) });
const given = (tensors: Record<string, number[]>) => () => new Map(Object.entries(tensors).map(([name, shape]) => [name, zeros(shape)]));

describe('runFrontend stages', () => {
  it('returns every product when all stages run', () => {
    const r = front(SYMBOLIC, { bindings: new Map([['N', 1], ['H', 8], ['W', 8]]) });
    expect(r.failed).toBeUndefined();
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(r.symbolic!.name).toBe('Sym');
    expect(r.graph!.values[r.graph!.inputs[0]!.value]!.shape).toEqual([1, 3, 8, 8]);
    expect(r.params!.map((p) => p.name)).toEqual(['c1.weight', 'c1.bias']);
    expect([...r.weights!.keys()]).toEqual(['c1.weight', 'c1.bias']);
    // The relu is fused into the conv: the optimised graph has one node fewer.
    expect(r.optimized!.graph.nodes.length).toBeLessThan(r.graph!.nodes.length);
  });

  it('stops after the stage asked for', () => {
    const bindings = new Map([['N', 1], ['H', 8], ['W', 8]]);
    const checked = front(SYMBOLIC, { until: 'check', bindings });
    expect(checked.symbolic).toBeDefined();
    expect(checked.graph).toBeUndefined();
    const bound = front(SYMBOLIC, { until: 'bind', bindings });
    expect(bound.graph).toBeDefined();
    expect(bound.weights).toBeUndefined();
    const weighted = front(SYMBOLIC, { until: 'weights', bindings });
    expect(weighted.weights).toBeDefined();
    expect(weighted.optimized).toBeUndefined();
  });

  it('names the stage whose errors stopped it', () => {
    const bad = front('network B {\n  in x: f32[1, 3, 8, 8]\n  out y = x |> nosuchop\n}\n');
    expect(bad.failed).toBe('check');
    expect(bad.graph).toBeUndefined();
    const unbound = front(SYMBOLIC);
    expect(unbound.failed).toBe('bind');
    expect(unbound.bindDiagnostics.map((d) => d.code)).toContain('NET2106');
    const bindings = new Map([['N', 1], ['H', 8], ['W', 8]]);
    const noWeights = front(SYMBOLIC, { bindings, weights: undefined });
    expect(noWeights.failed).toBe('weights');
    expect(noWeights.weightDiagnostics.map((d) => d.code)).toEqual(['NET4005']);
    const misshaped = front(SYMBOLIC, { bindings, weights: () => ({ tensors: new Map([['c1.weight', zeros([4, 3, 5, 5])]]), file: 'w.safetensors' }) });
    expect(misshaped.failed).toBe('weights');
    expect(misshaped.weightDiagnostics.map((d) => d.code).sort()).toEqual(['NET3001', 'NET3003']);
    const unknownPass = front(SYMBOLIC, { bindings, passes: ['no-such-pass'] });
    expect(unknownPass.failed).toBe('optimize');
    expect(unknownPass.diagnostics.map((d) => d.code)).toContain('NET4006');
  });

  it('checks every network of a file only when asked to', () => {
    const two = `${SYMBOLIC}network Other {\n  in x: f32[1, 3, 8, 8]\n  out y = x |> relu\n}\n`;
    expect(front(two, { until: 'check', allNetworks: true }).check!.graphs.map((g) => g.name)).toEqual(['Sym', 'Other']);
    expect(front(two, { until: 'check' }).diagnostics.map((d) => d.code)).toContain('NET1027');
  });
});

describe('sizes bound by input tensors', () => {
  it('binds the symbols an input fixes, as bindings would', () => {
    const r = front(SYMBOLIC, { inputs: given({ x: [2, 3, 6, 10] }) });
    expect(r.failed).toBeUndefined();
    expect([...r.bindings!]).toEqual([['N', 2], ['H', 6], ['W', 10]]);
    expect(r.graph!.values[r.graph!.outputs[0]!.value]!.shape).toEqual([2, 4, 6, 10]);
    expect(r.inputs!.get('x')!.shape).toEqual([2, 3, 6, 10]);
    // The same graph as with explicit bindings.
    const explicit = front(SYMBOLIC, { bindings: new Map([['N', 2], ['H', 6], ['W', 10]]) });
    expect(r.graph!.values.map((v) => v.shape)).toEqual(explicit.graph!.values.map((v) => v.shape));
  });

  it('keeps explicit bindings that agree, and reports one that does not at the declaration', () => {
    const agree = front(SYMBOLIC, { bindings: new Map([['N', 2]]), inputs: given({ x: [2, 3, 6, 10] }) });
    expect(agree.failed).toBeUndefined();
    const conflict = front(SYMBOLIC, { bindings: new Map([['N', 1]]), bindingsSource: 'from --bind', inputs: given({ x: [2, 3, 6, 10] }) });
    expect(conflict.failed).toBe('bind');
    const d = conflict.bindDiagnostics.find((x) => x.code === 'NET3007')!;
    expect(d.message).toBe('input x has size 2 where it is declared N, but N is 1 from --bind');
    expect([d.span.start.line, d.span.start.column]).toEqual([2, 13]);
  });

  it('reports two inputs that give one symbol different sizes', () => {
    const r = front(TWO_INPUTS, { inputs: given({ a: [2, 3, 8, 8], b: [3, 3, 8, 8] }) });
    expect(r.failed).toBe('bind');
    expect(r.bindDiagnostics.map((d) => d.message)).toEqual(['input b has size 3 where it is declared N, but N is 2 from input a']);
    const same = front(TWO_INPUTS, { inputs: given({ a: [2, 3, 8, 8], b: [2, 3, 8, 8] }) });
    expect(same.failed).toBeUndefined();
  });

  it('checks fixed sizes against the declaration (NET3004)', () => {
    const r = front(SYMBOLIC, { inputs: given({ x: [2, 4, 6, 10] }) });
    expect(r.failed).toBe('bind');
    expect(r.bindDiagnostics.map((d) => [d.code, d.message])).toEqual([['NET3004', 'input x is [2, 4, 6, 10] in the inputs given, the network expects [2, 3, 6, 10]']]);
    const rank = front(SYMBOLIC, { bindings: new Map([['N', 1], ['H', 8], ['W', 8]]), inputs: given({ x: [1, 3, 8] }) });
    expect(rank.bindDiagnostics.map((d) => d.code)).toEqual(['NET3004']);
  });
});
