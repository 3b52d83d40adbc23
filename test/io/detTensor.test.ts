import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { detBits, detTensor, fnv1a32 } from '../../src/io/detTensor.ts';

interface Spec {
  name?: string;
  gen: string;
  shape: number[];
  lo: number;
  hi: number;
  sha256: string;
}

const cases = JSON.parse(readFileSync(new URL('../fixtures/reference/cases.json', import.meta.url), 'utf8')) as Record<
  string,
  { kind?: string; input?: Spec; weights?: Spec[] }
>;

/** sha256 of the float32 little-endian bytes. */
function sha256(data: Float32Array): string {
  const bytes = new Uint8Array(data.length * 4);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < data.length; i++) view.setFloat32(4 * i, data[i]!, true);
  return createHash('sha256').update(bytes).digest('hex');
}

const specs: [string, Spec][] = [];
for (const [caseName, c] of Object.entries(cases)) {
  if (c.kind !== 'model') continue;
  specs.push([`${caseName} input`, c.input!]);
  for (const w of c.weights!) specs.push([`${caseName} ${w.name}`, w]);
}

describe('detTensor', () => {
  it('FNV-1a matches the published test vectors', () => {
    expect(fnv1a32('')).toBe(0x811c9dc5);
    expect(fnv1a32('a')).toBe(0xe40c292c);
    expect(fnv1a32('foobar')).toBe(0xbf9cf968);
  });

  it('element bits stay unsigned 32-bit for large indices', () => {
    for (const i of [0, 1, 2 ** 20, 2 ** 31 - 1]) {
      const b = detBits(i, 0xffffffff);
      expect(Number.isInteger(b) && b >= 0 && b < 2 ** 32).toBe(true);
    }
  });

  it('covers every weight and input spec of the model cases', () => {
    expect(specs.length).toBeGreaterThan(50);
  });

  it.each(specs)('%s is bit-exact (sha256)', (_label, spec) => {
    const t = detTensor(spec.gen, spec.shape, spec.lo, spec.hi);
    expect(t.shape).toEqual(spec.shape);
    expect(sha256(t.data)).toBe(spec.sha256);
  });
});
