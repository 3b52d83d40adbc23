#!/usr/bin/env node
// netc's command-line entry. It runs the prebuilt bundle (dist/netc.mjs, made by `npm run build`
// and by npm's `prepare` step after install) for a fast start, and falls back to running the
// TypeScript sources through tsx when the bundle is missing or older than the sources.
import { existsSync, statSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bundle = join(root, 'dist', 'netc.mjs');

function newestSource(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(p));
    else if (entry.name.endsWith('.ts') || entry.name.endsWith('.net')) newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

let useBundle = existsSync(bundle);
if (useBundle && existsSync(join(root, 'src'))) {
  useBundle = statSync(bundle).mtimeMs >= newestSource(join(root, 'src'));
}

let main;
if (useBundle) {
  main = await import(pathToFileURL(bundle).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  main = await import(pathToFileURL(join(root, 'src', 'cli', 'main.ts')).href);
}
process.exitCode = await main.runCli(process.argv.slice(2));
