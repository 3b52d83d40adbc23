import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './client.ts';

const EXT = join(ROOT, 'editors/vscode');
const manifest = JSON.parse(readFileSync(join(EXT, 'package.json'), 'utf8'));

describe('VS Code extension manifest', () => {
  it('references files that exist', () => {
    expect(existsSync(join(EXT, manifest.main))).toBe(true);
    for (const l of manifest.contributes.languages) if (l.configuration) expect(existsSync(join(EXT, l.configuration))).toBe(true);
    for (const g of manifest.contributes.grammars) expect(existsSync(join(EXT, g.path))).toBe(true);
    JSON.parse(readFileSync(join(EXT, manifest.contributes.languages[0].configuration), 'utf8'));
  });

  it('ships a copy of the generated grammar that is in sync with grammar/', () => {
    const g = manifest.contributes.grammars[0];
    const copy = readFileSync(join(EXT, g.path), 'utf8');
    expect(copy, "editors/vscode/syntaxes is stale: run 'npm run sync-grammar' in editors/vscode").toBe(readFileSync(join(ROOT, 'grammar/net.tmLanguage.json'), 'utf8'));
    const grammar = JSON.parse(copy);
    expect(g.scopeName).toBe(grammar.scopeName);
    expect(g.language).toBe(manifest.contributes.languages[0].id);
    expect(manifest.contributes.languages[0].extensions).toEqual(grammar.fileTypes.map((t: string) => `.${t}`));
  });

  it('activates on the language and starts `netc lsp` through vscode-languageclient', () => {
    const id = manifest.contributes.languages[0].id;
    expect(manifest.activationEvents).toContain(`onLanguage:${id}`);
    expect(manifest.dependencies['vscode-languageclient']).toBeDefined();
    const root = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    expect({ ...root.dependencies, ...root.devDependencies }['vscode-languageclient']).toBeUndefined();
    const js = readFileSync(join(EXT, manifest.main), 'utf8');
    expect(js).toContain("require('vscode-languageclient/node')");
    expect(js).toMatch(/'lsp'\]/);
    expect(js).toContain(`language: '${id}'`);
    expect(js).toMatch(/module\.exports = \{ activate, deactivate \}/);
  });
});
