/**
 * Bundles the CLI into dist/netc.mjs so that `netc check` starts without a TypeScript
 * loader. Heavy or native packages stay external and are loaded only by the commands that
 * need them (binaryen by `build`, onnx-proto by `import`/`export`).
 */
import { build } from 'esbuild';
import { cpSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
mkdirSync(join(root, 'dist'), { recursive: true });
await build({
  entryPoints: [join(root, 'src/cli/main.ts')],
  outfile: join(root, 'dist/netc.mjs'),
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  splitting: false,
  sourcemap: false,
  packages: 'external',
  logLevel: 'warning',
});
// The standard library is read at run time next to the bundle.
cpSync(join(root, 'src/std'), join(root, 'dist/std'), { recursive: true });
