/**
 * The language server spoken to through the protocol: a real `netc lsp --stdio` process,
 * JSON-RPC over its standard streams.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stdDirectory } from '../../src/check/host.ts';
import { LspClient, positionOf } from './client.ts';

const LIB = `// Two convolutions with c channels, each followed by relu.
// The spatial size is kept.
block Double(c: int, k: int = 3) {
  in x: [N, C, H, W]
  y = x |> first: conv(c, k=k, pad=k div 2) |> relu
  out y |> second: conv(c, k=k, pad=k div 2) |> relu
}
`;

const MAIN = `import { Double } from "./lib"
import { ConvBNReLU } from "std/layers"

network Net {
  in x: [1, 3, 32, 32]
  stem = x |> ConvBNReLU(16, k=3, pad=1)
  a = stem |> d1: Double(32)
  b = a |> maxpool(k=2) |> d2: Double(64, k=5)
  out y = b |> global_avgpool |> flatten |> fc: linear(10)
}
`;

let dir: string;
let client: LspClient;
let libUri: string;
let mainUri: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'netc-lsp-'));
  writeFileSync(join(dir, 'lib.net'), LIB);
  writeFileSync(join(dir, 'main.net'), MAIN);
  libUri = pathToFileURL(join(dir, 'lib.net')).href;
  mainUri = pathToFileURL(join(dir, 'main.net')).href;
  client = new LspClient();
  const init = await client.initialize();
  expect(init.capabilities.hoverProvider).toBe(true);
});

afterAll(() => {
  client?.kill();
  rmSync(dir, { recursive: true, force: true });
});

function open(uri: string, text: string, version = 1): void {
  client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'net', version, text } });
}

function change(uri: string, text: string, version: number): void {
  client.notify('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ text }] });
}

describe('initialize', () => {
  it('announces the features', async () => {
    const c = new LspClient();
    try {
      const init = await c.initialize();
      expect(init.serverInfo.name).toBe('netc');
      expect(init.capabilities).toMatchObject({
        hoverProvider: true,
        definitionProvider: true,
        documentSymbolProvider: true,
        documentFormattingProvider: true,
        codeActionProvider: { codeActionKinds: ['quickfix'] },
        completionProvider: { triggerCharacters: expect.arrayContaining(['>', '(']) },
      });
      expect(await c.shutdown()).toBe(0);
    } finally {
      c.kill();
    }
  });
});

describe('diagnostics as you type', () => {
  it('publishes none for a clean file, then errors for a bad edit, then none again', async () => {
    open(mainUri, MAIN);
    expect((await client.diagnostics(mainUri, 1)).diagnostics).toEqual([]);
    const bad = MAIN.replace('global_avgpool', 'global_avgpol');
    change(mainUri, bad, 2);
    const d = (await client.diagnostics(mainUri, 2)).diagnostics;
    expect(d).toHaveLength(1);
    expect(d[0]).toMatchObject({ severity: 1, source: 'netc', range: { start: positionOf(bad, 'global_avgpol') } });
    expect(d[0].code).toMatch(/^NET1\d{3}$/);
    expect(d[0].message).toContain('global_avgpol');
    expect(d[0].message).toContain('global_avgpool');
    change(mainUri, MAIN, 3);
    expect((await client.diagnostics(mainUri, 3)).diagnostics).toEqual([]);
  });

  it('reports syntax errors while the text is incomplete', async () => {
    const half = MAIN.replace('out y = b |> global_avgpool |> flatten |> fc: linear(10)', 'out y = b |> ');
    change(mainUri, half, 4);
    const d = (await client.diagnostics(mainUri, 4)).diagnostics;
    expect(d.some((x: any) => /^NET0\d{3}$/.test(x.code) && x.severity === 1)).toBe(true);
    change(mainUri, MAIN, 5);
    expect((await client.diagnostics(mainUri, 5)).diagnostics).toEqual([]);
  });

  it('sees unsaved edits of an open imported file', async () => {
    // Rename Double's parameter in the editor only: main's `k=5` is now an unknown argument.
    const edited = LIB.replaceAll('k: int = 3', 'size: int = 3').replaceAll('k=k, pad=k div 2', 'k=size, pad=size div 2');
    const since = client.mark();
    open(libUri, edited, 1);
    expect((await client.diagnostics(libUri, 1)).diagnostics).toEqual([]);
    // main.net is checked again against the open, unsaved lib.net.
    const mine = await client.waitFor('textDocument/publishDiagnostics', (p: any) => p.uri === mainUri, since);
    const unknown = mine.diagnostics.find((x: any) => x.code === 'NET1011');
    expect(unknown.range.start).toEqual(positionOf(MAIN, 'k=5'));
    // Closing the unsaved file falls back to the disk version: clean again.
    const closed = client.mark();
    client.notify('textDocument/didClose', { textDocument: { uri: libUri } });
    expect((await client.waitFor('textDocument/publishDiagnostics', (p: any) => p.uri === mainUri, closed)).diagnostics).toEqual([]);
  });

  it('shows a problem inside an imported block at the call that caused it', async () => {
    const bad = MAIN.replace('d1: Double(32)', 'd1: Double(32, k=0)');
    change(mainUri, bad, 6);
    const d = (await client.diagnostics(mainUri, 6)).diagnostics;
    expect(d.length).toBeGreaterThan(0);
    expect(d[0].range.start.line).toBe(positionOf(bad, 'd1: Double').line);
    expect(d[0].relatedInformation[0].location.uri).toBe(libUri);
    change(mainUri, MAIN, 7);
    expect((await client.diagnostics(mainUri, 7)).diagnostics).toEqual([]);
  });
});

describe('quick fixes', () => {
  it('offers a diagnostic\'s fix as a code action that edits the document', async () => {
    const uri = pathToFileURL(join(dir, 'fixme.net')).href;
    const text = `network Up {
  in x: [1, 4, 8, 8]
  d = x |> conv(8, k=3, stride=2, pad=1)
  u = d |> conv_transpose(4, k=3, stride=2, pad=1) |> relu
  out y = concat(u, x, axis=1)
}
`;
    open(uri, text);
    const d = (await client.diagnostics(uri, 1)).diagnostics;
    expect(d.map((x: any) => x.code)).toEqual(['NET2002']);
    const actions = await client.request('textDocument/codeAction', {
      textDocument: { uri }, range: d[0].range, context: { diagnostics: d },
    }) as any[];
    expect(actions).toHaveLength(1);
    expect(actions[0]).toMatchObject({ title: 'set output_pad=1', kind: 'quickfix', isPreferred: true });
    const edits = actions[0].edit.changes[uri];
    expect(edits).toEqual([{ range: { start: { line: 3, character: 49 }, end: { line: 3, character: 49 } }, newText: ', output_pad=1' }]);
    // Elsewhere in the file there is nothing to fix.
    expect(await client.request('textDocument/codeAction', {
      textDocument: { uri }, range: { start: { line: 1, character: 0 }, end: { line: 1, character: 1 } }, context: { diagnostics: [] },
    })).toEqual([]);
  });
});

describe('hover', () => {
  const hover = (needle: string, delta = 0, nth = 0) =>
    client.request('textDocument/hover', { textDocument: { uri: mainUri }, position: positionOf(MAIN, needle, delta, nth) });

  it('shows the inferred shape of a value where it is defined and where it is used', async () => {
    const def = await hover('stem =', 1);
    expect(def.contents.value).toContain('stem: [1, 16, 32, 32]');
    expect(def.range.start).toEqual(positionOf(MAIN, 'stem ='));
    const use = await hover('a |> maxpool', 0);
    expect(use.contents.value).toContain('a: [1, 32, 32, 32]');
    const out = await hover('out y', 4);
    expect(out.contents.value).toContain('y: [1, 10]');
  });

  it('shows an operator’s signature, doc and arguments, and the stage’s output shape', async () => {
    const h = await hover('maxpool(k=2)', 2);
    expect(h.contents.value).toMatch(/maxpool\(k, stride=/);
    expect(h.contents.value).toContain('`k`');
    expect(h.contents.value).toContain('output: `[1, 32, 16, 16]`');
  });

  it('shows a block’s signature and doc comment, across files', async () => {
    const h = await hover('d2: Double', 5);
    expect(h.contents.value).toContain('block Double(c: int, k: int = …)');
    expect(h.contents.value).toContain('in x: [N, C, H, W]');
    expect(h.contents.value).toContain('Two convolutions with c channels');
    expect(h.contents.value).toContain('output: `[1, 64, 16, 16]`');
    const std = await hover('ConvBNReLU(16', 2);
    expect(std.contents.value).toContain('block ConvBNReLU(');
  });

  it('documents a named argument', async () => {
    const h = await hover('k=2', 0);
    expect(h.contents.value).toContain('k: ints');
  });

  it('describes a parameter by its type and default in a file without a network', async () => {
    open(libUri, LIB, 2);
    await client.diagnostics(libUri, 2);
    const h = await client.request('textDocument/hover', { textDocument: { uri: libUri }, position: positionOf(LIB, 'k: int', 0) });
    expect(h.contents.value).toContain('k: int = 3');
    client.notify('textDocument/didClose', { textDocument: { uri: libUri } });
  });

  it('shows per-instance shapes inside a block instantiated twice', async () => {
    const uri = pathToFileURL(join(dir, 'twice.net')).href;
    const text = `${LIB}\nnetwork T {\n  in x: [1, 3, 16, 16]\n  out y = x |> one: Double(8) |> maxpool(k=2) |> two: Double(4)\n}\n`;
    open(uri, text, 1);
    await client.diagnostics(uri, 1);
    const h = await client.request('textDocument/hover', { textDocument: { uri }, position: positionOf(text, 'y = x |> first') });
    expect(h.contents.value).toContain('T.one: [1, 8, 16, 16]');
    expect(h.contents.value).toContain('T.two: [1, 4, 8, 8]');
    // The stage inside the block: its output per instance.
    const c = await client.request('textDocument/hover', { textDocument: { uri }, position: positionOf(text, 'second: conv', 9) });
    expect(c.contents.value).toMatch(/T\.one: \[1, 8, 16, 16\][\s\S]*T\.two: \[1, 4, 8, 8\]/);
    client.notify('textDocument/didClose', { textDocument: { uri } });
  });

  it('shows the value of a parameter per instance, also when it is passed explicitly', async () => {
    const uri = pathToFileURL(join(dir, 'params.net')).href;
    const text = `${LIB}\nnetwork P {\n  in x: [1, 3, 16, 16]\n  out y = x |> one: Double(8) |> two: Double(4, k=5)\n}\n`;
    open(uri, text, 1);
    await client.diagnostics(uri, 1);
    const c = await client.request('textDocument/hover', { textDocument: { uri }, position: positionOf(text, 'c: int', 0) });
    expect(c.contents.value).toMatch(/P\.one: 8[\s\S]*P\.two: 4/);
    const k = await client.request('textDocument/hover', { textDocument: { uri }, position: positionOf(text, 'k: int', 0) });
    expect(k.contents.value).toMatch(/P\.one: 3[\s\S]*P\.two: 5/);
    client.notify('textDocument/didClose', { textDocument: { uri } });
  });

  it('answers null where there is nothing to show', async () => {
    const h = await client.request('textDocument/hover', { textDocument: { uri: mainUri }, position: { line: 2, character: 0 } });
    expect(h).toBeNull();
  });
});

describe('labels, numeric ones included', () => {
  // torchvision's Conv2dNormActivation: one block owning `0.weight`, `1.running_var`, ...
  const text = `block ConvNormAct(c: int, stride: int = 1) {
  in x: [N, C, H, W]
  out x |> 0: conv(c, k=3, stride=stride, pad=1, bias=false) |> 1: bn |> 2: relu6
}
network M {
  in x: [1, 3, 16, 16]
  out y = x |> features: seq { ConvNormAct(8, stride=2) |> ConvNormAct(16) }
}
`;
  let uri: string;
  const at = (method: string, needle: string, delta = 0) =>
    client.request(method, { textDocument: { uri }, position: positionOf(text, needle, delta) });

  beforeAll(async () => {
    uri = pathToFileURL(join(dir, 'labels.net')).href;
    open(uri, text, 1);
    await client.diagnostics(uri, 1);
  });
  afterAll(() => client.notify('textDocument/didClose', { textDocument: { uri } }));

  it('hover on a label gives the instance names it makes and their weights', async () => {
    const h = await at('textDocument/hover', '1: bn');
    expect(h.contents.value).toContain('instance features.0.1');
    expect(h.contents.value).toContain('instance features.1.1');
    expect(h.contents.value).toContain('features.0.1.running_var: [8]');
    expect(h.range.start).toEqual(positionOf(text, '1: bn'));
    const block = await at('textDocument/hover', 'features: seq', 1);
    expect(block.contents.value).toContain('instance features');
    expect(block.contents.value).toContain('weights under features.');
  });

  it('definition on a label goes to the block it instantiates', async () => {
    const other = `${text}network M2 {\n  in x: [1, 3, 16, 16]\n  out y = x |> 7: ConvNormAct(4)\n}\n`;
    change(uri, other, 2);
    await client.diagnostics(uri, 2);
    const loc = await client.request('textDocument/definition', { textDocument: { uri }, position: positionOf(other, '7: Conv') });
    expect(loc).toEqual({ uri, range: { start: positionOf(other, 'ConvNormAct('), end: positionOf(other, 'ConvNormAct(', 11) } });
    change(uri, text, 3);
    await client.diagnostics(uri, 3);
  });

  it('document symbols list labelled stages under their statement', async () => {
    const symbols = await client.request('textDocument/documentSymbol', { textDocument: { uri } });
    const block = symbols.find((s: any) => s.name === 'ConvNormAct');
    expect(block.children.map((c: any) => [c.name, c.detail])).toEqual([['c', 'int'], ['stride', 'int'], ['x', 'in [N, C, H, W]'], ['0', 'conv'], ['1', 'bn'], ['2', 'relu6']]);
    const net = symbols.find((s: any) => s.name === 'M');
    expect(net.children[1].children.map((c: any) => [c.name, c.detail])).toEqual([['features', 'seq']]);
  });
});

describe('go to definition', () => {
  const definition = (needle: string, delta = 0) =>
    client.request('textDocument/definition', { textDocument: { uri: mainUri }, position: positionOf(MAIN, needle, delta) });

  it('goes from a block call to the block in the imported file', async () => {
    const loc = await definition('d1: Double', 5);
    expect(loc.uri).toBe(libUri);
    expect(loc.range.start).toEqual(positionOf(LIB, 'Double('));
  });

  it('goes into the standard library', async () => {
    const loc = await definition('ConvBNReLU(16', 3);
    expect(loc.uri).toBe(pathToFileURL(join(stdDirectory, 'layers.net')).href);
    expect(loc.range.start.line).toBeGreaterThanOrEqual(0);
    const fromImport = await definition('{ ConvBNReLU }', 4);
    expect(fromImport).toEqual(loc);
  });

  it('goes from a use of a value to its definition', async () => {
    const loc = await definition('a |> maxpool');
    expect(loc).toEqual({ uri: mainUri, range: { start: positionOf(MAIN, 'a = stem'), end: positionOf(MAIN, 'a = stem', 1) } });
    const input = await definition('x |> ConvBNReLU');
    expect(input.range.start).toEqual(positionOf(MAIN, 'x: [1'));
  });

  it('has nothing to say about operators', async () => {
    expect(await definition('maxpool(k=2)', 1)).toBeNull();
  });
});

describe('completion', () => {
  const TYPING = MAIN.replace('  out y =', '  c = b |> \n  out y =');
  const complete = async (text: string, needle: string, delta: number, version: number) => {
    change(mainUri, text, version);
    const r = await client.request('textDocument/completion', { textDocument: { uri: mainUri }, position: positionOf(text, needle, delta) });
    return (Array.isArray(r) ? r : r.items) as any[];
  };

  it('offers operators with their arguments and blocks after |>', async () => {
    const items = await complete(TYPING, 'c = b |> ', 9, 10);
    const conv = items.find((i) => i.label === 'conv');
    expect(conv.detail).toMatch(/^conv\(\w+, k, stride=1, pad=0/);
    expect(conv.documentation.value).toContain('`k`');
    expect(items.some((i) => i.label === 'Double' && i.detail === 'block Double(c: int, k: int = …)')).toBe(true);
    expect(items.some((i) => i.label === 'ConvBNReLU')).toBe(true);
    expect(items.some((i) => i.label === 'repeat')).toBe(true);
    // Values are not stages.
    expect(items.some((i) => i.label === 'stem')).toBe(false);
  });

  it('offers argument names inside a call, without those already given', async () => {
    const text = MAIN.replace('maxpool(k=2)', 'maxpool(k=2, )');
    const items = await complete(text, 'maxpool(k=2, ', 13, 11);
    const names = items.filter((i) => i.label.endsWith('=')).map((i) => i.label);
    expect(names).toContain('stride=');
    expect(names).toContain('ceil=');
    expect(names).not.toContain('k=');
    expect(items[0].label.endsWith('=')).toBe(true);
    const block = MAIN.replace('Double(64, k=5)', 'Double(64, )');
    const blockItems = await complete(block, 'Double(64, ', 11, 12);
    expect(blockItems.filter((i) => i.label.endsWith('=')).map((i) => i.label)).toEqual(['c=', 'k=']);
  });

  it('offers the values in scope in an expression', async () => {
    const text = MAIN.replace('  out y =', '  c = concat(a, \n  out y =');
    const items = await complete(text, 'concat(a, ', 10, 13);
    const labels = items.map((i) => i.label);
    expect(labels).toEqual(expect.arrayContaining(['x', 'stem', 'a', 'b']));
    expect(items.find((i) => i.label === 'stem').detail).toContain('[1, 16, 32, 32]');
    expect(labels).toContain('axis=');
    change(mainUri, MAIN, 14);
  });
});

describe('document symbols', () => {
  it('lists blocks and networks with their parameters, inputs, values and outputs', async () => {
    const symbols = await client.request('textDocument/documentSymbol', { textDocument: { uri: mainUri } });
    expect(symbols.map((s: any) => [s.name, s.kind])).toEqual([['Net', 2]]);
    expect(symbols[0].children.map((c: any) => c.name)).toEqual(['x', 'stem', 'a', 'b', 'y']);
    expect(symbols[0].children[0].detail).toBe('in [1, 3, 32, 32]');
    expect(symbols[0].selectionRange.start).toEqual(positionOf(MAIN, 'Net'));
    open(libUri, LIB, 3);
    const lib = await client.request('textDocument/documentSymbol', { textDocument: { uri: libUri } });
    expect(lib[0]).toMatchObject({ name: 'Double', kind: 5, detail: 'block Double(c: int, k: int = …)' });
    expect(lib[0].children.map((c: any) => [c.name, c.kind])).toEqual([['c', 26], ['k', 26], ['x', 13], ['y', 13], ['second', 7]]);
    expect(lib[0].children[3].children.map((c: any) => c.name)).toEqual(['first']);
    client.notify('textDocument/didClose', { textDocument: { uri: libUri } });
  });
});

describe('formatting', () => {
  it('returns one edit with the canonical layout, none for a formatted file', async () => {
    const messy = MAIN.replace('stem = x |> ConvBNReLU(16, k=3, pad=1)', 'stem=x|>ConvBNReLU(16,k = 3,pad=1)');
    change(mainUri, messy, 20);
    const edits = await client.request('textDocument/formatting', { textDocument: { uri: mainUri }, options: { tabSize: 2, insertSpaces: true } });
    expect(edits).toHaveLength(1);
    expect(edits[0].newText).toBe(MAIN);
    change(mainUri, MAIN, 21);
    expect(await client.request('textDocument/formatting', { textDocument: { uri: mainUri }, options: { tabSize: 2, insertSpaces: true } })).toEqual([]);
  });
});
