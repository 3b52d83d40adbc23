/**
 * The hand-written data section (src/wasm/data-section.ts): segments split at zero runs, the
 * section added to binaryen's output (valid, with the bytes in place at instantiation), a
 * data count section kept in step, the text form, and whole builds: valid, byte-identical,
 * GoogLeNet's code small.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { compile } from '../../src/api.ts';
import { appendDataSegments, appendDataSegmentsText, dataSegments } from '../../src/wasm/data-section.ts';
import { ModuleBuilder } from '../../src/wasm/module.ts';

/** Section ids of a module, in order, and the segment count of its data section. */
function sectionIds(wasm: Uint8Array): { ids: number[]; dataCount?: number } {
  const ids: number[] = [];
  let dataCount: number | undefined;
  let p = 8;
  const uleb = () => {
    let r = 0;
    let shift = 0;
    for (;;) {
      const b = wasm[p++]!;
      r += (b & 0x7f) * 2 ** shift;
      shift += 7;
      if ((b & 0x80) === 0) return r;
    }
  };
  while (p < wasm.length) {
    const id = wasm[p++]!;
    const size = uleb();
    const end = p + size;
    ids.push(id);
    if (id === 11) dataCount = uleb();
    p = end;
  }
  return { ids, dataCount };
}

/** A module with one page of memory exported as `memory` and one function, with `data` at `offset`. */
async function moduleWith(offset: number, data: Uint8Array): Promise<Uint8Array<ArrayBuffer>> {
  const m = await ModuleBuilder.create();
  m.addFunction('run', [], undefined, () => [m.f32.store(m.i32.c(16), m.f32.c(1))]);
  m.exportFunction('run');
  m.setMemoryBytes(65536);
  m.addData(offset, data);
  return m.finish().wasm;
}

/** The bytes in a buffer of their own (compile() types them over any ArrayBufferLike). */
const own = (u: Uint8Array): Uint8Array<ArrayBuffer> => new Uint8Array(u);

function memoryOf(wasm: Uint8Array): Uint8Array {
  const instance = new WebAssembly.Instance(new WebAssembly.Module(own(wasm)), {});
  return new Uint8Array((instance.exports['memory'] as WebAssembly.Memory).buffer);
}

describe('dataSegments', () => {
  test('leaves out leading, trailing and long inner zero runs; keeps short ones', () => {
    const data = new Uint8Array(400);
    data.fill(7, 8, 40); // then 16 zero bytes: kept inside the segment
    data.fill(9, 56, 100); // then 200 zero bytes: a gap
    data.fill(3, 300, 320);
    const segs = dataSegments(1000, data, 64);
    expect(segs.map((s) => [s.offset, s.bytes.length])).toEqual([[1008, 92], [1300, 20]]);
    expect([...segs[0]!.bytes.subarray(0, 4)]).toEqual([7, 7, 7, 7]);
  });

  test('all zeros give no segment; unaligned views and odd lengths keep every byte', () => {
    expect(dataSegments(0, new Uint8Array(1000))).toEqual([]);
    const backing = new Uint8Array(11);
    backing.set([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const view = backing.subarray(1, 10); // offset 1, length 9
    const segs = dataSegments(64, view);
    expect(segs).toHaveLength(1);
    expect(segs[0]!.offset).toBe(64);
    expect([...segs[0]!.bytes]).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  test('stays under the segment limit by skipping only longer runs', () => {
    // 10,000 islands separated by 100 zero bytes would be 10,000 segments at 64.
    const data = new Uint8Array(10_000 * 104);
    for (let i = 0; i < 10_000; i++) data.fill(1, i * 104, i * 104 + 4);
    const segs = dataSegments(0, data, 64);
    expect(segs.length).toBeLessThanOrEqual(4096);
    const copy = new Uint8Array(data.length);
    for (const s of segs) copy.set(s.bytes, s.offset);
    expect(Buffer.from(copy).equals(Buffer.from(data))).toBe(true);
  });
});

describe('appendDataSegments', () => {
  test('the data is in memory at instantiation, after the code section', async () => {
    const data = new Uint8Array(300);
    for (let i = 0; i < data.length; i++) data[i] = (i * 37 + 1) & 0xff;
    data.fill(0, 100, 250);
    const wasm = await moduleWith(4096, data);
    expect(WebAssembly.validate(wasm)).toBe(true);
    const { ids, dataCount } = sectionIds(wasm);
    expect(ids.indexOf(11)).toBe(ids.indexOf(10) + 1);
    expect(dataCount).toBe(2);
    const memory = memoryOf(wasm);
    expect(memory.subarray(4096, 4396)).toEqual(data);
    expect(memory[4095]).toBe(0);
  });

  test('adds to an existing data section and updates the data count section', async () => {
    // (module (memory 1) (data count 1) (func) (data (i32.const 0) "AB")), written by hand.
    const base = Uint8Array.from([
      0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
      0x01, 0x04, 0x01, 0x60, 0x00, 0x00, // type: () -> ()
      0x03, 0x02, 0x01, 0x00, // function 0 of type 0
      0x05, 0x03, 0x01, 0x00, 0x01, // memory min 1
      0x07, 0x0a, 0x01, 0x06, 0x6d, 0x65, 0x6d, 0x6f, 0x72, 0x79, 0x02, 0x00, // export "memory"
      0x0c, 0x01, 0x01, // data count 1
      0x0a, 0x04, 0x01, 0x02, 0x00, 0x0b, // code: empty body
      0x0b, 0x08, 0x01, 0x00, 0x41, 0x00, 0x0b, 0x02, 0x41, 0x42, // data: "AB" at 0
    ]);
    expect(WebAssembly.validate(base)).toBe(true);
    const wasm = appendDataSegments(base, [{ offset: 70000 - 65536, bytes: Uint8Array.from([1, 2, 3]) }]);
    expect(WebAssembly.validate(wasm)).toBe(true);
    expect(sectionIds(wasm)).toEqual({ ids: [1, 3, 5, 7, 12, 10, 11], dataCount: 2 });
    const memory = memoryOf(wasm);
    expect([...memory.subarray(0, 2)]).toEqual([0x41, 0x42]);
    expect([...memory.subarray(4464, 4467)]).toEqual([1, 2, 3]);
  });

  test('a data count section that disagrees would not validate (the update is what keeps it valid)', () => {
    const base = Uint8Array.from([
      0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
      0x05, 0x03, 0x01, 0x00, 0x01,
      0x0c, 0x01, 0x00, // data count 0
    ]);
    expect(WebAssembly.validate(base)).toBe(true);
    const withData = appendDataSegments(base, [{ offset: 16, bytes: Uint8Array.from([5]) }]);
    expect(WebAssembly.validate(withData)).toBe(true);
    const stale = Uint8Array.from([...base, 0x0b, 0x07, 0x01, 0x00, 0x41, 0x10, 0x0b, 0x01, 0x05]);
    expect(WebAssembly.validate(stale)).toBe(false);
  });

  test('text: a data line per segment, escaped, inside the module', () => {
    const wat = appendDataSegmentsText('(module\n (memory $0 1 1)\n)\n', [{ offset: 32, bytes: Uint8Array.from([0x41, 0x22, 0x5c, 0x00, 0xff]) }]);
    expect(wat).toBe('(module\n (memory $0 1 1)\n (data (i32.const 32) "A\\"\\\\\\00\\ff")\n)\n');
  });
});

describe('whole builds', () => {
  const SMALL = `network Small {
  in x: f32[1, 3, 16, 16]
  out y = x |> c1: conv(8, k=3, pad=1) |> relu |> maxpool(k=2) |> c2: conv(4, k=1)
}
`;

  test('valid, byte-identical across builds, and the same code as a build without weights', async () => {
    const a = await compile(SMALL, { randomWeights: 3 });
    const b = await compile(SMALL, { randomWeights: 3 });
    const ext = await compile(SMALL, { randomWeights: 3, weightsExternal: true });
    expect(WebAssembly.validate(own(a.wasm!))).toBe(true);
    expect(Buffer.from(a.wasm!).equals(Buffer.from(b.wasm!))).toBe(true);
    // The module with weights is the module without them plus its data section.
    const withoutData = sectionIds(a.wasm!).ids.filter((id) => id !== 11);
    expect(withoutData).toEqual(sectionIds(ext.wasm!).ids);
    expect(Buffer.from(a.wasm!.subarray(0, ext.wasm!.length)).equals(Buffer.from(ext.wasm!))).toBe(true);
    const memory = memoryOf(a.wasm!);
    const { constantsOffset, constantsBytes } = a.layout!;
    expect(Buffer.from(memory.subarray(constantsOffset, constantsOffset + constantsBytes)).equals(Buffer.from(ext.weightsBin!))).toBe(true);
  });

  test('GoogLeNet: code under 64 KB with its 26 MB of weights appended', { timeout: 120_000 }, async () => {
    const source = readFileSync('examples/googlenet.net', 'utf8');
    const built = await compile(source, { file: 'examples/googlenet.net', bindings: { N: 1 }, randomWeights: 0, weightsExternal: true });
    expect(built.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(built.wasm!.length).toBeLessThan(64 * 1024);
    expect(built.layout!.constantsBytes).toBeGreaterThan(20e6);
    expect(WebAssembly.validate(own(built.wasm!))).toBe(true);
  });
});
