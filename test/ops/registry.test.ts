import { describe, expect, it } from 'vitest';
import type { OpName } from '../../src/ops/attrs.ts';
import { OPS, allSpellings, lookupOp, opByName } from '../../src/ops/registry.ts';

const NAMES: OpName[] = [
  'conv', 'conv_transpose', 'maxpool', 'avgpool', 'adaptive_avgpool', 'adaptive_maxpool', 'reduce_mean', 'reduce_max', 'batchnorm',
  'relu', 'relu6', 'clip', 'leaky_relu', 'sigmoid', 'tanh', 'hardsigmoid', 'hardswish', 'silu', 'gelu', 'elu', 'prelu', 'softmax', 'add', 'sub', 'mul', 'div', 'concat', 'flatten',
  'linear', 'dropout', 'identity', 'upsample', 'pad', 'channel_shuffle', 'slice',
];

describe('operator table', () => {
  it('has one entry with a kernel per operator name', () => {
    expect(OPS.map((o) => o.name as string).sort()).toEqual([...NAMES].sort());
    for (const n of NAMES) {
      expect(opByName(n).name).toBe(n);
      expect(typeof opByName(n).interp).toBe('function');
    }
  });
  it('resolves every spelling of the language reference, with its rank', () => {
    const spelled = [
      'conv', 'conv1d', 'conv2d', 'conv3d', 'conv_transpose', 'conv_transpose2d', 'conv_transpose3d', 'maxpool', 'maxpool2d',
      'maxpool3d', 'avgpool', 'avgpool2d', 'avgpool3d', 'adaptive_avgpool', 'adaptive_maxpool', 'global_avgpool',
      'global_maxpool', 'batchnorm', 'bn', 'relu', 'relu6', 'sigmoid', 'tanh', 'clip', 'leaky_relu', 'hardsigmoid', 'hardswish',
      'silu', 'swish', 'gelu', 'elu', 'prelu', 'softmax', 'add', 'sub', 'mul', 'divide', 'mean', 'amax',
      'concat', 'flatten', 'linear', 'dropout', 'identity', 'upsample', 'pad', 'channel_shuffle', 'slice',
    ];
    for (const s of spelled) expect(lookupOp(s), s).toBeDefined();
    expect(lookupOp('conv2d')).toMatchObject({ def: { name: 'conv' }, spelling: { rank: 2 } });
    expect(lookupOp('bn')?.def.name).toBe('batchnorm');
    expect(lookupOp('global_avgpool')?.def.name).toBe('adaptive_avgpool');
    expect(lookupOp('divide')?.def.name).toBe('div');
    expect(lookupOp('amax')?.def.name).toBe('reduce_max');
    expect(lookupOp('conv4d')).toBeUndefined();
    expect(allSpellings()).toEqual([...allSpellings()].sort());
    expect(new Set(allSpellings()).size).toBe(allSpellings().length);
  });
  it('short names of weighted operators', () => {
    expect(Object.fromEntries(OPS.filter((o) => o.autoName).map((o) => [o.name, o.autoName]))).toEqual({
      conv: 'conv', conv_transpose: 'convT', batchnorm: 'bn', linear: 'fc', prelu: 'prelu',
    });
  });
  it('arguments are unique by name and alias', () => {
    for (const op of OPS) {
      const names = op.args.flatMap((a) => [a.name, ...(a.aliases ?? [])]);
      expect(new Set(names).size, op.name).toBe(names.length);
    }
  });
});
