import { describe, expect, it } from 'vitest';
import type { ParamRef } from '../../src/ir/graph.ts';
import { TensorFileError } from '../../src/io/errors.ts';
import { bindWeights, hasWeightErrors, parseWeightMap, renameTensor, weightProblemDiagnostics } from '../../src/io/weightsMap.ts';
import { zeros, type Tensor } from '../../src/ir/tensor.ts';

const ref = (name: string, shape: number[]): ParamRef => ({ name, shape, trainable: true });
const file = (entries: [string, number[]][]): Map<string, Tensor> => new Map(entries.map(([n, s]) => [n, zeros(s)]));

function mapError(text: string): TensorFileError {
  try {
    parseWeightMap(text, 'names.yaml');
  } catch (e) {
    expect(e).toBeInstanceOf(TensorFileError);
    expect((e as TensorFileError).code).toBe('NET3020');
    return e as TensorFileError;
  }
  throw new Error('no error thrown');
}

describe('parseWeightMap and renameTensor', () => {
  const map = parseWeightMap(
    [
      'rename:',
      '  - from: conv0._conv.weight',
      '    to: conv0.conv.weight',
      '  - pattern: "^main\\\\.(\\\\d+)\\\\."',
      '    to: "gen.$1."',
      'ignore:',
      '  - "num_batches_tracked$"',
    ].join('\n'),
    'names.yaml',
  );

  it('renames by exact name, then by pattern with groups; others keep their name', () => {
    expect(renameTensor('conv0._conv.weight', map)).toBe('conv0.conv.weight');
    expect(renameTensor('main.12.weight', map)).toBe('gen.12.weight');
    expect(renameTensor('fc.bias', map)).toBe('fc.bias');
    expect(renameTensor('fc.bias', undefined)).toBe('fc.bias');
  });

  it('the first matching rule wins and rules do not chain', () => {
    const m = parseWeightMap('rename:\n  - { pattern: "^a\\\\.", to: "b." }\n  - { pattern: "^b\\\\.", to: "c." }\n', 'm.yaml');
    expect(renameTensor('a.w', m)).toBe('b.w');
    expect(renameTensor('b.w', m)).toBe('c.w');
  });

  it('an empty file is an empty map', () => expect(parseWeightMap('', 'e.yaml')).toEqual({ rename: [], ignore: [] }));

  it('rejects malformed maps with a NET3020 naming the rule', () => {
    expect(mapError('rename: [').message).toMatch(/^weight name map names.yaml: not valid YAML/);
    expect(mapError('- a\n- b\n').message).toMatch(/expected a mapping/);
    expect(mapError('renames: []\n').message).toMatch(/unknown key renames/);
    expect(mapError('rename: 3\n').message).toMatch(/rename must be a list/);
    expect(mapError('rename:\n  - from: a\n').message).toMatch(/rule 1: needs a string `to`/);
    expect(mapError('rename:\n  - { from: a, to: b }\n  - { from: a, pattern: b, to: c }\n').message).toMatch(/rule 2: needs exactly one of `from` and `pattern`/);
    expect(mapError('rename:\n  - { pattern: "^main\\\\.(", to: x }\n').message).toMatch(/rule 1: pattern \^main\\\.\( is not a valid regular expression/);
    expect(mapError('rename:\n  - { from: a, to: b, when: c }\n').message).toMatch(/rule 1: unknown key when/);
    expect(mapError('ignore: abc\n').message).toMatch(/ignore must be a list/);
  });
});

describe('bindWeights', () => {
  const expected = [ref('c1.weight', [4, 3, 3, 3]), ref('c1.bias', [4]), ref('bn.running_mean', [4]), ref('fc.weight', [10, 4])];

  it('binds matching tensors and reports nothing else', () => {
    const f = file([['c1.weight', [4, 3, 3, 3]], ['c1.bias', [4]], ['bn.running_mean', [4]], ['fc.weight', [10, 4]]]);
    const { weights, problems } = bindWeights(expected, f);
    expect([...weights.keys()]).toEqual(['c1.weight', 'c1.bias', 'bn.running_mean', 'fc.weight']);
    expect(weights.get('c1.weight')).toBe(f.get('c1.weight'));
    expect(hasWeightErrors(problems)).toBe(false);
  });

  it('lists every missing, unexpected and misshaped tensor together, with shapes', () => {
    const f = file([['c1.weight', [4, 3, 5, 5]], ['bn.running_mean', [4]], ['fc.weight', [10, 4]], ['old.weight', [2]]]);
    const { weights, problems } = bindWeights(expected, f);
    expect(problems).toEqual({
      missing: [{ name: 'c1.bias', shape: [4] }],
      unexpected: [{ name: 'old.weight', fileName: 'old.weight', shape: [2] }],
      misshaped: [{ name: 'c1.weight', expected: [4, 3, 3, 3], got: [4, 3, 5, 5] }],
    });
    expect(weights.has('c1.weight')).toBe(false);
    expect(hasWeightErrors(problems)).toBe(true);
    const diags = weightProblemDiagnostics(problems, 'w.safetensors');
    expect(diags.map((d) => `${d.code} ${d.severity} ${d.message}`)).toEqual([
      'NET3001 error weight c1.bias [4] is missing from w.safetensors',
      'NET3003 error weight c1.weight is [4, 3, 5, 5] in w.safetensors, expected [4, 3, 3, 3]',
      'NET3002 warning w.safetensors holds tensor old.weight [2] that no layer uses',
    ]);
    expect(diags[0]!.span.file).toBe('w.safetensors');
  });

  it('applies the name map and its ignore list', () => {
    const map = parseWeightMap('rename:\n  - { pattern: "^layer1\\\\.", to: "c1." }\nignore: ["num_batches_tracked$"]\n', 'm.yaml');
    const f = file([['layer1.weight', [4, 3, 3, 3]], ['layer1.bias', [4]], ['bn.running_mean', [4]], ['bn.num_batches_tracked', []], ['fc.weight', [10, 4]]]);
    const { weights, problems } = bindWeights(expected, f, map);
    expect(problems).toEqual({ missing: [], unexpected: [], misshaped: [] });
    expect(weights.size).toBe(4);
  });

  it('names the file tensor of a renamed unused tensor', () => {
    const map = parseWeightMap('rename:\n  - { from: head.w, to: head.weight }\n', 'm.yaml');
    const { problems } = bindWeights([], file([['head.w', [3]]]), map);
    expect(weightProblemDiagnostics(problems, 'f.safetensors')[0]!.message).toBe('f.safetensors holds tensor head.w (renamed head.weight) [3] that no layer uses');
  });

  it('rejects a map that sends two tensors to one name', () => {
    const map = parseWeightMap('rename:\n  - { pattern: "^(a|b)\\\\.", to: "c." }\n', 'm.yaml');
    expect(() => bindWeights([], file([['a.w', [1]], ['b.w', [1]]]), map, 'm.yaml')).toThrow(/m.yaml: tensors a.w and b.w are both renamed to c.w/);
  });

  it('lists a parameter shared by several nodes once', () => {
    const { problems } = bindWeights([ref('s.weight', [2]), ref('s.weight', [2])], new Map());
    expect(problems.missing).toEqual([{ name: 's.weight', shape: [2] }]);
  });
});
