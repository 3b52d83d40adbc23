#!/usr/bin/env node
// netc's command-line entry. An installed package runs its prebuilt bundle (dist/netc.mjs,
// built when the package is packed) and nothing else: the package ships no TypeScript. In a
// development checkout (src/ present) the bundle is used while it is newer than every source
// file (`npm run build`; `npm pack` runs it); otherwise the sources run through tsx, a
// development dependency.
import { existsSync, statSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bundle = join(root, 'dist', 'netc.mjs');
const sources = join(root, 'src', 'cli', 'main.ts');

function newestSource(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(p));
    else if (entry.name.endsWith('.ts') || entry.name.endsWith('.net')) newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

const checkout = existsSync(sources);
let useBundle = existsSync(bundle);
if (useBundle && checkout) useBundle = statSync(bundle).mtimeMs >= newestSource(join(root, 'src'));

let main;
if (useBundle) {
  main = await import(pathToFileURL(bundle).href);
} else if (checkout) {
  const { register } = await import('tsx/esm/api');
  register();
  main = await import(pathToFileURL(sources).href);
} else {
  process.stderr.write(`netc: this installation lacks its built CLI (${bundle}); reinstall the package\n`);
  process.exit(2);
}
process.exitCode = await main.runCli(process.argv.slice(2));
