/**
 * Bundles netc into dist/: `netc.mjs`, the command line (bin/netc.js runs it), and
 * `index.mjs`, the library (`import ... from 'netc'`, the package's `exports`), sharing their
 * code in `chunks/`, with the standard library in `std/`. One file to read per stage instead of
 * hundreds of modules is what makes `netc check` and `import 'netc'` start fast. Heavy
 * packages are loaded only by the commands that need them (binaryen by `build`, onnx-proto by
 * `import`/`export`, elkjs by `graph`). The library's declarations are made by
 * scripts/build-types.ts.
 */
import { build } from 'esbuild';
import { cpSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Packages left out of the bundle, loaded from node_modules by the commands that need them.
 * The ONNX schema (onnx-proto with its protobufjs runtime) is bundled into the chunk of the
 * ONNX commands: it is small as code, and installed it takes 23 MB.
 */
export const BUNDLE_EXTERNALS: readonly string[] = ['binaryen', 'elkjs', 'vscode-languageserver', 'vscode-languageserver/*', 'vscode-languageserver-textdocument', 'esbuild', 'tsx', 'onnxruntime-node', 'onnxruntime-web'];

/** The bundle's entry points: output name (`<name>.mjs`) to source. */
export const BUNDLE_ENTRIES: Readonly<Record<string, string>> = { netc: 'src/cli/main.ts', index: 'src/index.ts' };

export async function buildBundle(
  outdir: string = join(root, 'dist'),
  external: readonly string[] = BUNDLE_EXTERNALS,
  entries: Readonly<Record<string, string>> = BUNDLE_ENTRIES,
): Promise<void> {
  // Only this bundle's own outputs: the declarations beside it (dist/types) stay, whichever
  // of the two builds runs first.
  for (const old of [...Object.keys(entries).map((e) => `${e}.mjs`), 'chunks', 'std']) rmSync(join(outdir, old), { recursive: true, force: true });
  mkdirSync(outdir, { recursive: true });
  await build({
    entryPoints: Object.fromEntries(Object.entries(entries).map(([name, src]) => [name, join(root, src)])),
    outdir,
    outExtension: { '.js': '.mjs' },
    chunkNames: 'chunks/[name]-[hash]',
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // Each command's module (and the packages it imports) is a chunk loaded on first use:
    // without splitting, binaryen and the ONNX schema would load with every `netc check`.
    splitting: true,
    sourcemap: false,
    // What `netc check` needs (chevrotain, yaml, picocolors, tinyglobby) is bundled: one file
    // to read instead of hundreds. Heavy packages of other commands stay external.
    external: [...external],
    // Bundled CommonJS packages (yaml) call require() for Node built-ins.
    banner: { js: "import { createRequire as __netcRequire } from 'node:module'; const require = __netcRequire(import.meta.url);" },
    logLevel: 'warning',
  });
  // The standard library is read at run time next to the bundle.
  cpSync(join(root, 'src/std'), join(outdir, 'std'), { recursive: true });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await buildBundle(process.argv[2] ? resolve(process.argv[2]) : undefined);
}
