/**
 * The VS Code extension as `npm run package:vscode` makes it: built and packed into a .vsix,
 * whose manifest points at files that are in it, whose grammar is the generated one, and whose
 * bundled language server answers from a folder outside this checkout (no node_modules).
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXTENSION_DIR, packageExtension } from '../../scripts/package-vscode.ts';
import { zipEntries, type ZipEntry } from '../support/zip.ts';
import { LspClient, ROOT } from './client.ts';

const manifest = JSON.parse(readFileSync(join(EXTENSION_DIR, 'package.json'), 'utf8'));
const work = mkdtempSync(join(tmpdir(), 'netc-vsix-'));
let entries: ZipEntry[] = [];
const entry = (name: string): ZipEntry => {
  const e = entries.find((x) => x.name === name);
  if (!e) throw new Error(`${name} is not in the .vsix (it has ${entries.map((x) => x.name).join(', ')})`);
  return e;
};
const inExtension = (path: string) => `extension/${path.replace(/^\.\//, '')}`;

beforeAll(async () => {
  const vsix = await packageExtension(join(work, 'netc-vscode.vsix'));
  entries = zipEntries(readFileSync(vsix));
}, 180_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('VS Code extension package (.vsix)', () => {
  it('holds the manifest, the bundles, the grammar, README and LICENSE, and no sources or node_modules', () => {
    const names = entries.map((e) => e.name);
    expect(names).toEqual(expect.arrayContaining(['extension.vsixmanifest', 'extension/package.json', 'extension/readme.md', 'extension/LICENSE.txt', 'extension/dist/server/cli.mjs', 'extension/dist/server/std/layers.net']));
    expect(names.filter((n) => /node_modules|^extension\/extension\.js$|\.ts$|\.vsix$/.test(n))).toEqual([]);
    expect(entry('extension/LICENSE.txt').read().toString()).toBe(readFileSync(join(ROOT, 'LICENSE'), 'utf8'));
  });

  it('references files that are in the package', () => {
    entry(inExtension(manifest.main));
    for (const l of manifest.contributes.languages) if (l.configuration) JSON.parse(entry(inExtension(l.configuration)).read().toString());
    for (const g of manifest.contributes.grammars) entry(inExtension(g.path));
  });

  it('ships the grammar generated into grammar/', () => {
    const g = manifest.contributes.grammars[0];
    const copy = entry(inExtension(g.path)).read().toString();
    expect(copy).toBe(readFileSync(join(ROOT, 'grammar/net.tmLanguage.json'), 'utf8'));
    const grammar = JSON.parse(copy);
    expect(g.scopeName).toBe(grammar.scopeName);
    expect(g.language).toBe(manifest.contributes.languages[0].id);
    expect(manifest.contributes.languages[0].extensions).toEqual(grammar.fileTypes.map((t: string) => `.${t}`));
  });

  it('activates on the language, with vscode-languageclient bundled and only VS Code and Node left to require', () => {
    const id = manifest.contributes.languages[0].id;
    expect(manifest.activationEvents).toContain(`onLanguage:${id}`);
    const source = readFileSync(join(EXTENSION_DIR, 'extension.js'), 'utf8');
    expect(source).toContain("require('vscode-languageclient/node')");
    expect(source).toMatch(/'node_modules', 'netc', 'bin', 'netc\.js'/);
    expect(source).toMatch(/'dist', 'server', 'cli\.mjs'/);
    expect(source).toMatch(/module\.exports = \{ activate, deactivate \}/);
    const bundled = entry(inExtension(manifest.main)).read().toString();
    const required = new Set([...bundled.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]!));
    const builtin = /^(node:)?(child_process|crypto|events|fs|net|os|path|url|util|stream|assert|buffer)$/;
    expect([...required].filter((r) => r !== 'vscode' && !builtin.test(r))).toEqual([]);
  });

  it('runs its bundled language server with no node_modules in reach', async () => {
    const server = mkdtempSync(join(tmpdir(), 'netc-vsix-server-'));
    for (const e of entries.filter((x) => x.name.startsWith('extension/dist/server/'))) {
      const target = join(server, e.name.slice('extension/dist/server/'.length));
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, e.read());
    }
    const client = new LspClient({ args: [join(server, 'cli.mjs')], cwd: server });
    try {
      const init = await client.initialize();
      expect(init.capabilities.hoverProvider).toBeTruthy();
      const uri = 'file:///tmp/bad.net';
      client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'net', version: 1, text: 'network Bad {\n  in x: f32[1, 3, 8, 8]\n  out y = x |> conv(4, k=3) |> add(x)\n}\n' } });
      const published = await client.diagnostics(uri, 1);
      // Severity 1 is an error.
      expect(published.diagnostics.filter((d: { severity: number }) => d.severity === 1)).not.toEqual([]);
      expect(await client.shutdown()).toBe(0);
    } finally {
      client.kill();
      rmSync(server, { recursive: true, force: true });
    }
  });
});
