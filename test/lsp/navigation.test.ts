/**
 * The language server's instance hover, inlay hints, references, rename and label
 * definitions, through the protocol (a real `netc lsp --stdio` process).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LspClient, positionOf } from './client.ts';

const LIB = `block Double(c: int) {
  in x: [N, C, H, W]
  y = x |> first: conv(c, k=3, pad=1) |> relu
  out y |> second: conv(c, k=1) |> relu
}
`;

const MAIN = `import { Double } from "./lib"
import { ConvBNReLU } from "std/layers"

network Net {
  in x: [1, 3, 32, 32]
  stem = x |> ConvBNReLU(16, k=3, pad=1)
  a = stem |> d1: Double(32)
  b = a
    |> maxpool(k=2)
    |> d2: Double(64)
  out y = b |> global_avgpool |> flatten |> fc: linear(10)
}
`;

let dir: string;
let client: LspClient;
let libUri: string;
let mainUri: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'netc-lsp-nav-'));
  writeFileSync(join(dir, 'lib.net'), LIB);
  writeFileSync(join(dir, 'main.net'), MAIN);
  libUri = pathToFileURL(join(dir, 'lib.net')).href;
  mainUri = pathToFileURL(join(dir, 'main.net')).href;
  client = new LspClient();
  const init = await client.initialize();
  expect(init.capabilities).toMatchObject({ referencesProvider: true, renameProvider: true, inlayHintProvider: true });
  for (const [uri, text] of [[mainUri, MAIN], [libUri, LIB]] as const) {
    client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'net', version: 1, text } });
  }
  await client.diagnostics(mainUri, 1);
});

afterAll(() => {
  client?.kill();
  rmSync(dir, { recursive: true, force: true });
});

const at = (text: string, needle: string, delta = 0, nth = 0) => positionOf(text, needle, delta, nth);
const request = (method: string, uri: string, position: { line: number; character: number }, extra: object = {}) =>
  client.request(method, { textDocument: { uri }, position, ...extra });

describe('hover on a label or a block call', () => {
  it('shows the instance: output shape, weights with shapes, parameters and MACs', async () => {
    const h = await request('textDocument/hover', mainUri, at(MAIN, 'd1: Double', 0));
    const text: string = h.contents.value;
    expect(text).toContain('**d1** → `[1, 32, 32, 32]`');
    expect(text).toContain('d1.first.weight [32, 16, 3, 3]');
    expect(text).toContain('d1.second.bias [32]');
    // first: 32*16*9 + 32, second: 32*32 + 32 parameters; MACs over 32x32 positions.
    expect(text).toContain(`${(32 * 16 * 9 + 32 + 32 * 32 + 32).toLocaleString('en-US')} parameters`);
    expect(text).toContain(`${((32 * 16 * 9 + 32 * 32) * 32 * 32).toLocaleString('en-US')} MACs`);
    const call = await request('textDocument/hover', mainUri, at(MAIN, 'd2: Double', 5));
    expect(call.contents.value).toContain('block Double(c: int)');
    expect(call.contents.value).toContain('**d2** → `[1, 64, 16, 16]`');
  });

  it('lists every instance of a stage inside a block', async () => {
    const h = await request('textDocument/hover', libUri, at(LIB, 'first:', 1));
    expect(h.contents.value).toContain('**d1.first** → `[1, 32, 32, 32]`');
    expect(h.contents.value).toContain('**d2.first** → `[1, 64, 16, 16]`');
    expect(h.contents.value).toContain('d2.first.weight [64, 32, 3, 3]');
  });
});

describe('inlay hints', () => {
  it('give the shape at the end of each pipeline line', async () => {
    const hints: { position: { line: number; character: number }; label: string }[] = await client.request('textDocument/inlayHint', {
      textDocument: { uri: mainUri },
      range: { start: { line: 0, character: 0 }, end: { line: 20, character: 0 } },
    });
    const byLine = new Map(hints.map((h) => [h.position.line, h.label]));
    expect(byLine.get(at(MAIN, 'stem = x').line)).toBe('[1, 16, 32, 32]');
    expect(byLine.get(at(MAIN, '|> maxpool').line)).toBe('[1, 32, 16, 16]');
    expect(byLine.get(at(MAIN, '|> d2').line)).toBe('[1, 64, 16, 16]');
    expect(byLine.get(at(MAIN, 'out y').line)).toBe('[1, 10]');
    // One per line, at its end.
    const line = at(MAIN, 'stem = x').line;
    expect(hints.filter((h) => h.position.line === line)).toHaveLength(1);
    expect(hints.find((h) => h.position.line === line)!.position.character).toBe(MAIN.split('\n')[line]!.length);
    // A line that ends no stage (`b = a`) has none.
    expect(byLine.has(at(MAIN, 'b = a').line)).toBe(false);
  });
});

describe('references', () => {
  it('of a value: its definition and every use in the block', async () => {
    const refs = await request('textDocument/references', mainUri, at(MAIN, 'stem |>', 1), { context: { includeDeclaration: true } });
    expect(refs.map((r: any) => r.range.start)).toEqual([at(MAIN, 'stem ='), at(MAIN, 'stem |>')]);
    const uses = await request('textDocument/references', mainUri, at(MAIN, 'stem =', 1), { context: { includeDeclaration: false } });
    expect(uses.map((r: any) => r.range.start)).toEqual([at(MAIN, 'stem |>')]);
  });

  it('of a block: its declaration and every call and import, across the open files', async () => {
    const refs = await request('textDocument/references', libUri, at(LIB, 'Double(', 1), { context: { includeDeclaration: true } });
    const where = refs.map((r: any) => `${r.uri === libUri ? 'lib' : 'main'}:${r.range.start.line}:${r.range.start.character}`);
    const p = (text: string, needle: string, delta = 0) => `${text === LIB ? 'lib' : 'main'}:${at(text, needle, delta).line}:${at(text, needle, delta).character}`;
    expect(where.sort()).toEqual([p(LIB, 'Double('), p(MAIN, 'Double }'), p(MAIN, 'Double(32'), p(MAIN, 'Double(64')].sort());
  });

  it('of a label: the label itself, which is also its definition', async () => {
    const refs = await request('textDocument/references', mainUri, at(MAIN, 'fc:', 1), { context: { includeDeclaration: true } });
    expect(refs).toEqual([{ uri: mainUri, range: { start: at(MAIN, 'fc:'), end: at(MAIN, 'fc:', 2) } }]);
    const def = await request('textDocument/definition', mainUri, at(MAIN, 'fc:', 1));
    expect(def).toEqual(refs[0]);
  });
});

describe('rename', () => {
  it('renames a value at its definition and every use', async () => {
    const edit = await request('textDocument/rename', mainUri, at(MAIN, 'stem =', 1), { newName: 'features' });
    const edits = edit.changes[mainUri];
    expect(edits.map((e: any) => e.range.start)).toEqual([at(MAIN, 'stem ='), at(MAIN, 'stem |>')]);
    expect(edits.every((e: any) => e.newText === 'features')).toBe(true);
  });

  it('renames a label', async () => {
    const edit = await request('textDocument/rename', mainUri, at(MAIN, 'd2:', 1), { newName: 'down2' });
    expect(edit.changes[mainUri]).toEqual([{ range: { start: at(MAIN, 'd2:'), end: at(MAIN, 'd2:', 2) }, newText: 'down2' }]);
  });

  it('refuses a keyword, a taken name and a block', async () => {
    await expect(request('textDocument/rename', mainUri, at(MAIN, 'stem =', 1), { newName: 'block' })).rejects.toThrow(/not a valid name/);
    await expect(request('textDocument/rename', mainUri, at(MAIN, 'stem =', 1), { newName: 'a' })).rejects.toThrow(/already a value of Net/);
    await expect(request('textDocument/rename', mainUri, at(MAIN, 'Double(32', 1), { newName: 'Twice' })).rejects.toThrow(/cannot be renamed/);
  });
});

describe('go to definition into the standard library', () => {
  it('opens the library source shipped in the package, not a bundled copy', async () => {
    const loc = await request('textDocument/definition', mainUri, at(MAIN, 'ConvBNReLU(16', 3));
    expect(loc.uri).toBe(pathToFileURL(resolve('src/std/layers.net')).href);
  });
});
