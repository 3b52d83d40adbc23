/**
 * Every limit is a diagnostic, reached quickly: nesting and recursion of blocks, repeat
 * counts, layers, dimension arithmetic past 2^31 and 2^53, tensors over what a 32-bit
 * WebAssembly memory holds, source files over 4 MiB, deeply nested expressions, very long
 * lines, long import chains and many files.
 */
import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkSource, type CheckResult } from '../../src/check/check.ts';
import { LIMITS } from '../../src/ir/limits.ts';
import { concretize } from '../../src/check/concretize.ts';
import { parseSource } from '../../src/syntax/parse.ts';
import { netc } from '../support/cli.ts';

const codes = (r: { diagnostics: { code: string; severity: string }[] }): string[] =>
  r.diagnostics.filter((d) => d.severity === 'error').map((d) => d.code);

/** Run f, and require it to take less than `ms`. */
function quick<T>(ms: number, f: () => T): T {
  const start = performance.now();
  const r = f();
  expect(performance.now() - start, 'time (ms)').toBeLessThan(ms);
  return r;
}

const net = (body: string, input = '[1, 3, 8, 8]') => `network N {\n  in x: ${input}\n  out y = x |> ${body}\n}\n`;

describe('blocks', () => {
  it('nesting deeper than the limit is NET9001', () => {
    const depth = LIMITS.instanceDepth + 5;
    let src = '';
    for (let i = 0; i < depth; i++) src += `block B${i}() {\n  in x: [N, C, H, W]\n  out x |> B${i + 1}()\n}\n`;
    src += `block B${depth}() {\n  in x: [N, C, H, W]\n  out x |> relu\n}\n` + net('B0()');
    expect(codes(quick(3000, () => checkSource(src, 'main.net')))).toContain('NET9001');
  });

  it('direct and mutual recursion is NET1025, not a stack overflow', () => {
    expect(codes(checkSource(`block A() {\n  in x: [N, C, H, W]\n  out x |> A()\n}\n${net('A()')}`, 'main.net'))).toContain('NET1025');
    const mutual = `block A() {\n  in x: [N, C, H, W]\n  out x |> B()\n}\nblock B() {\n  in x: [N, C, H, W]\n  out x |> A()\n}\n${net('A()')}`;
    expect(codes(checkSource(mutual, 'main.net'))).toContain('NET1025');
  });

  it('recursion through a repeat with a decreasing parameter stops at the depth limit', () => {
    const src = `block R(n: int) {\n  in x: [N, C, H, W]\n  out x |> if n > 0 { R(n - 1) } else { relu }\n}\n${net('R(100000)')}`;
    const r = quick(5000, () => checkSource(src, 'main.net'));
    expect(codes(r).some((c) => c === 'NET9001' || c === 'NET1025')).toBe(true);
  });
});

describe('repeat and layers', () => {
  it('a repeat count over the limit is NET9003', () => {
    expect(codes(checkSource(net(`repeat ${LIMITS.repeatCount + 1} { relu }`), 'main.net'))).toEqual(['NET9003']);
    expect(codes(checkSource(net('repeat 9007199254740993 { relu }'), 'main.net'))).toContain('NET9003');
  });

  it('negative and non-integer repeat counts are diagnostics', () => {
    expect(codes(checkSource(net('repeat -1 { relu }'), 'main.net')).length).toBeGreaterThan(0);
    expect(codes(checkSource(net('repeat 2.5 { relu }'), 'main.net')).length).toBeGreaterThan(0);
  });

  it('a hundred million layers stop at the layer limit within seconds', () => {
    const r = quick(8000, () => checkSource(net('repeat 10000 { repeat 10000 { relu } }'), 'main.net'));
    expect(codes(r)).toEqual(['NET9004']);
    expect(r.graphs).toEqual([]);
  });

  it('nested empty repeats stop at the step limit within seconds', () => {
    const r = quick(8000, () => checkSource(net('repeat 10000 { repeat 10000 { if false { relu } } }'), 'main.net'));
    expect(codes(r)).toEqual(['NET9006']);
  });
});

describe('dimension arithmetic', () => {
  const check = (input: string, bind?: Record<string, number>): CheckResult =>
    checkSource(net('relu', input), 'main.net', { bindings: bind && new Map(Object.entries(bind)) });

  it.each([
    ['[3000000000, 1]'],
    ['[2147483647 * 2, 1]'],
    ['[65536 * 65536 * 65536 * 65536 * 65536, 1]'],
    ['[9007199254740991 * 9007199254740991, 1]'],
  ])('constant size %s is NET9005', (input) => {
    expect(codes(check(input))).toEqual(['NET9005']);
  });

  it('a size computed from bound symbols beyond 2^31 or 2^53 is NET9005', () => {
    expect(codes(check('[N * N * N * N, 1]', { N: 65536 }))).toEqual(['NET9005']);
    const symbolic = check('[N * N * N * N, 1]');
    expect(codes(symbolic)).toEqual([]);
    expect(concretize(symbolic.graphs[0]!, new Map([['N', 65536]])).diagnostics.map((d) => d.code)).toEqual(['NET9005']);
    expect(concretize(symbolic.graphs[0]!, new Map([['N', 2 ** 60]])).diagnostics.map((d) => d.code)).toEqual(['NET9005']);
  });

  it('layer arithmetic past the limit (upsampling, flatten, linear) is NET9005', () => {
    expect(codes(checkSource(net('upsample(scale=100000) |> upsample(scale=100000)', '[1, 1, 1, 1]'), 'main.net'))).toContain('NET9005');
    expect(codes(checkSource(net('flatten', '[1, 64, 10000, 10000]'), 'main.net'))).toContain('NET9005');
  });

  it('float edge values as sizes are diagnostics', () => {
    for (const v of ['1e308', '1e309', '0.5', '-0.0', '0']) {
      expect(codes(checkSource(net(`conv(${v}, k=1)`), 'main.net')).length, v).toBeGreaterThan(0);
    }
  });
});

describe('tensor sizes against 32-bit WebAssembly memory', () => {
  const concretized = (src: string) => {
    const r = checkSource(src, 'main.net');
    expect(codes(r)).toEqual([]);
    return concretize(r.graphs[0]!, new Map());
  };

  it('a weight over 4 GiB is NET9007 before anything is allocated', () => {
    const before = process.memoryUsage().arrayBuffers;
    const c = quick(2000, () => concretized(net('conv(65536, k=1)', '[1, 65536, 1, 1]')));
    expect(c.diagnostics.map((d) => d.code)).toEqual(['NET9007']);
    expect(c.diagnostics[0]!.message).toContain('17179869184 bytes');
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(64 * 1024 * 1024);
  });

  it('an activation over 4 GiB is NET9007; one just under is accepted', () => {
    expect(concretized(net('relu', '[64, 512, 512, 512]')).diagnostics.map((d) => d.code)).toContain('NET9007');
    // 2^30 float32 values = exactly 4 GiB.
    expect(concretized(net('relu', '[1, 1024, 1024, 1024]')).diagnostics).toEqual([]);
  });

  it('weights together over 4 GiB are NET9007', () => {
    const c = concretized(net('repeat 20 { conv(8192, k=1) }', '[1, 8192, 1, 1]'));
    expect(c.diagnostics.map((d) => d.code)).toEqual(['NET9007']);
    expect(c.diagnostics[0]!.message).toContain('the weights of network N');
  });
});

describe('32-bit WebAssembly memory at build time', () => {
  it('activations that fit one by one but not together are NET4002, reported without allocating them', async () => {
    const { compile } = await import('../../src/api.ts');
    // Load binaryen first: its first load costs seconds and hundreds of MiB by itself.
    await compile(net('relu', '[1, 1, 2, 2]'));
    // x (1 GiB) and the concat (4 GiB) are each within NET9007's 4 GiB, together not.
    const src = 'network N {\n  in x: [1, 256, 1024, 1024]\n  out y = concat(x, x, x, x, axis=1)\n}\n';
    const before = process.memoryUsage();
    const start = performance.now();
    const r = await compile(src);
    expect(performance.now() - start).toBeLessThan(10_000);
    expect(process.memoryUsage().rss - before.rss).toBeLessThan(256 * 1024 * 1024);
    expect(r.wasm).toBeUndefined();
    expect(r.diagnostics.map((d) => d.code)).toEqual(['NET4002']);
    expect(r.diagnostics[0]!.message).toContain('5368709200 bytes');
  });
});

describe('source text', () => {
  const dir = mkdtempSync(join(tmpdir(), 'netc-limits-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('10,000 and 100,000 nested parentheses are NET0020, not a stack overflow', () => {
    for (const depth of [10_000, 100_000]) {
      const src = `const a = ${'('.repeat(depth)}1${')'.repeat(depth)}\n`;
      expect(parseSource(src, 'main.net').diagnostics.map((d) => d.code)).toEqual(['NET0020']);
      expect(codes(checkSource(src, 'main.net'))).toEqual(['NET0020']);
    }
  });

  it.each([
    ['brackets', (n: number) => `const a = ${'['.repeat(n)}1${']'.repeat(n)}`],
    ['unary minus', (n: number) => `const a = ${'-'.repeat(n)}1`],
    ['not', (n: number) => `const a = ${'not '.repeat(n)}true`],
    ['if expressions', (n: number) => `const a = ${'if true { '.repeat(n)}1${' } else { 2 }'.repeat(n)}`],
    ['seq stages', (n: number) => net(`${'seq { '.repeat(n)}relu${' }'.repeat(n)}`)],
    ['unclosed braces', (n: number) => `network N {${' seq {'.repeat(n)}`],
  ])('deep nesting of %s is a diagnostic', (_name, make) => {
    const r = quick(5000, () => checkSource(make(10_000), 'main.net'));
    expect(codes(r).length).toBeGreaterThan(0);
  });

  it('a chain of 100,000 binary operators is a diagnostic within seconds', () => {
    const r = quick(10_000, () => checkSource(`const a = 1${' + 1'.repeat(100_000)}\n`, 'main.net'));
    expect(codes(r)).toEqual(['NET0020']);
  });

  it('a line of a megabyte checks', () => {
    const src = `network N { in x: [1, 1, 1, 1] out y = x${' |> relu'.repeat(10_000)} } // ${'x'.repeat(1_000_000)}\n`;
    const r = quick(10_000, () => checkSource(src, 'main.net'));
    expect(codes(r)).toEqual([]);
    expect(r.graphs[0]!.nodes.length).toBe(10_000);
  });

  it('source over 4 MiB is NET9008 and is not parsed', () => {
    const src = `// ${'x'.repeat(LIMITS.sourceBytes)}\n${net('relu')}`;
    const r = quick(2000, () => checkSource(src, 'main.net'));
    expect(codes(r)).toEqual(['NET9008']);
    expect(r.files.size).toBe(0);
    // Multi-byte characters count as their UTF-8 bytes.
    const wide = `// ${'é'.repeat(LIMITS.sourceBytes / 2 + 1)}\n${net('relu')}`;
    expect(codes(checkSource(wide, 'main.net'))).toEqual(['NET9008']);
  });

  it('an imported file over 4 MiB is NET9008 at the import', () => {
    const files = { 'big.net': `// ${'x'.repeat(LIMITS.sourceBytes)}\nblock B() {\n  in x: [N]\n  out x\n}\n` };
    const r = checkSource(`import { B } from "./big"\n${net('B()')}`, 'main.net', { files });
    const d = r.diagnostics.find((x) => x.code === 'NET9008')!;
    expect(d.span.file).toBe('main.net');
    expect(d.span.start.line).toBe(1);
  });

  it('netc check on a 1 GiB (sparse) file reports NET9008 and reads little of it', async () => {
    const path = join(dir, 'huge.net');
    writeFileSync(path, net('relu'));
    truncateSync(path, 1024 ** 3);
    const before = process.memoryUsage();
    const run = await netc(['check', path], { cwd: dir });
    const after = process.memoryUsage();
    expect(run.code).not.toBe(0);
    expect(run.stdout + run.stderr).toContain('NET9008');
    expect(after.rss - before.rss).toBeLessThan(256 * 1024 * 1024);
  });

  it('netc fmt on a 1 GiB (sparse) file reports NET9008 and leaves it alone', async () => {
    const path = join(dir, 'huge-fmt.net');
    writeFileSync(path, net('relu'));
    truncateSync(path, 1024 ** 3);
    const before = process.memoryUsage();
    const run = await netc(['fmt', path], { cwd: dir });
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain('NET9008');
    expect(process.memoryUsage().rss - before.rss).toBeLessThan(256 * 1024 * 1024);
  });

  it('netc check on an empty file and on binary garbage gives diagnostics, not a crash', async () => {
    writeFileSync(join(dir, 'empty.net'), '');
    const bytes = new Uint8Array(4096);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 2654435761) >>> 24;
    writeFileSync(join(dir, 'garbage.net'), bytes);
    for (const f of ['empty.net', 'garbage.net']) {
      const run = await netc(['check', f], { cwd: dir });
      expect(run.stderr, f).not.toMatch(/at \w+ \(|TypeError|RangeError/);
    }
  });
});

describe('many files', () => {
  it('an import chain of 5000 files is NET9009, not a stack overflow', () => {
    const files: Record<string, string> = {};
    const n = 5000;
    for (let i = 1; i < n; i++) files[`f${i}.net`] = `import { B${i + 1} } from "./f${i + 1}"\nblock B${i}() {\n  in x: [N, C, H, W]\n  out x |> B${i + 1}()\n}\n`;
    files[`f${n}.net`] = `block B${n}() {\n  in x: [N, C, H, W]\n  out x |> relu\n}\n`;
    const r = quick(5000, () => checkSource(`import { B1 } from "./f1"\n${net('B1()')}`, 'main.net', { files }));
    expect(codes(r)).toContain('NET9009');
  });

  it('a file importing 2000 others checks', () => {
    const files: Record<string, string> = {};
    let imports = '';
    let body = 'x';
    for (let i = 0; i < 2000; i++) {
      files[`m${i}.net`] = `block M${i}() {\n  in x: [N, C, H, W]\n  out x |> relu\n}\n`;
      imports += `import { M${i} } from "./m${i}"\n`;
      body += ` |> M${i}()`;
    }
    const src = `${imports}network N {\n  in x: [1, 3, 8, 8]\n  out y = ${body}\n}\n`;
    const r = quick(15_000, () => checkSource(src, 'main.net', { files }));
    expect(codes(r)).toEqual([]);
    expect(r.graphs[0]!.nodes.length).toBe(2000);
  });

  it('netc check on a directory of 300 files', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'netc-many-'));
    try {
      for (let i = 0; i < 300; i++) writeFileSync(join(dir, `n${i}.net`), i % 10 === 0 ? 'network {' : net('relu'));
      const run = await netc(['check', '.'], { cwd: dir });
      expect(run.code).not.toBe(0);
      expect(run.stderr).not.toMatch(/at \w+ \(|TypeError|RangeError/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
