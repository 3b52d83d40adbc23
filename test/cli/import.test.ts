/** `netc import` end to end (in-process, temp directories): what it writes and its exit codes. */
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { onnx } from '../../src/io/onnx/proto.ts';
import { parseWeightMap } from '../../src/io/weightsMap.ts';
import { readSafetensors } from '../../src/io/safetensors.ts';
import { ProtoModel, valueInfo } from '../io/onnx/protoModel.ts';
import { netc } from '../support/cli.ts';

function tmp(): string {
  return mkdtempSync(join(tmpdir(), 'netc-import-'));
}

describe('netc import', () => {
  it('writes a .net file that checks without warnings and is formatted, and weights under PyTorch names', async () => {
    const dir = tmp();
    const m = new ProtoModel([1, 3, 8, 8])
      .conv('/features/features.0/features.0.0', 4, 'features.0.0.weight')
      .batchnorm('/features/features.0/features.0.1', 'features.0.1')
      .op('/features/features.0/features.0.2', 'Relu')
      .conv('/classifier/classifier.1', 2, 'classifier.1.weight', 'classifier.1.bias', 1);
    writeFileSync(join(dir, 'seq.onnx'), m.bytes());
    const r = await netc(['import', 'seq.onnx'], { cwd: dir });
    expect(r.stderr).toContain('wrote seq.net (4 layers), seq.safetensors (7 tensors)');
    expect(r.code).toBe(0);
    expect(existsSync(join(dir, 'seq.weights.yaml'))).toBe(false);
    const w = readSafetensors(readFileSync(join(dir, 'seq.safetensors')), 'seq.safetensors');
    expect([...w.keys()].sort()).toEqual(['classifier.1.bias', 'classifier.1.weight', 'features.0.0.weight', 'features.0.1.bias',
      'features.0.1.running_mean', 'features.0.1.running_var', 'features.0.1.weight']);
    const check = await netc(['check', 'seq.net'], { cwd: dir });
    expect(check.stdout + check.stderr).toContain('0 errors, 0 warnings');
    expect((await netc(['fmt', '--check', 'seq.net'], { cwd: dir })).code).toBe(0);
  });

  it('a name no label can spell: a warning, exit 0, and a weight map from the model\'s names', async () => {
    const dir = tmp();
    const m = new ProtoModel([1, 3, 8, 8]).conv('/conv-1', 4, 'conv-1.weight', 'conv-1.bias').op('/act', 'Relu');
    writeFileSync(join(dir, 'odd.onnx'), m.bytes());
    const r = await netc(['import', 'odd.onnx', '-o', 'model.net'], { cwd: dir });
    expect(r.stderr).toContain('warning[NET5014]');
    expect(r.code).toBe(0);
    const map = parseWeightMap(readFileSync(join(dir, 'model.weights.yaml'), 'utf8'), 'model.weights.yaml');
    expect(map.rename).toEqual([{ from: 'conv-1.weight', to: 'conv_1.weight' }, { from: 'conv-1.bias', to: 'conv_1.bias' }]);
    expect(readFileSync(join(dir, 'model.net'), 'utf8')).toContain('conv_1: conv(4, k=3, pad=1)');
  });

  it('an unsupported operator: one diagnostic listing every one with its nodes, nothing written, exit 1', async () => {
    const dir = tmp();
    const bytes = onnx.ModelProto.encode(onnx.ModelProto.create({
      irVersion: 8,
      opsetImport: [{ domain: '', version: 17 }],
      graph: {
        name: 'g',
        node: [
          { name: '/lstm1', opType: 'LSTM', input: ['x'], output: ['a'] },
          { name: '/erf', opType: 'Erf', input: ['a'], output: ['b'] },
          { name: '/lstm2', opType: 'LSTM', input: ['b'], output: ['c'] },
          { name: '/r', opType: 'Relu', input: ['c'], output: ['y'] },
        ],
        input: [valueInfo('x', [1, 3, 8, 8])],
        output: [{ name: 'y' }],
      },
    })).finish();
    writeFileSync(join(dir, 'rnn.onnx'), bytes);
    const r = await netc(['import', 'rnn.onnx'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr.match(/error\[/g)).toHaveLength(1);
    expect(r.stderr).toContain('NET5010');
    expect(r.stderr).toContain('LSTM (2 nodes: /lstm1, /lstm2)');
    expect(r.stderr).toContain('Erf (1 node: /erf)');
    expect(readdirSync(dir)).toEqual(['rnn.onnx']);
  });
});
