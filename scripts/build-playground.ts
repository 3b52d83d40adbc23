/**
 * Builds the playground (playground/) into playground/dist/: a static site, no server logic.
 * esbuild bundles the page script (CodeMirror and the panels) and the compiler worker (the
 * whole compiler, elkjs, the ONNX schema and, in a chunk loaded on the first build, binaryen).
 * The compiler's few Node imports are answered by playground/src/shims/: it reads only the
 * standard library from disk, and that is bundled as text with the examples.
 */
import { build, type Plugin } from 'esbuild';
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pg = join(root, 'playground');

function texts(dir: string): Record<string, string> {
  return Object.fromEntries(readdirSync(dir).filter((f) => f.endsWith('.net')).sort().map((f) => [f, readFileSync(join(dir, f), 'utf8')]));
}

/** `virtual:netc-sources`: the standard library and the examples as text. */
const sourcesPlugin: Plugin = {
  name: 'netc-sources',
  setup(b) {
    b.onResolve({ filter: /^virtual:netc-sources$/ }, () => ({ path: 'netc-sources', namespace: 'netc-sources' }));
    b.onLoad({ filter: /.*/, namespace: 'netc-sources' }, () => ({
      contents: `export const STD_FILES = ${JSON.stringify(texts(join(root, 'src/std')))};\nexport const EXAMPLES = ${JSON.stringify(texts(join(root, 'examples')))};\n`,
      loader: 'js',
    }));
  },
};

/** Node built-ins the compiler imports, answered by the shims (or empty where never called). */
const shimsPlugin: Plugin = {
  name: 'netc-node-shims',
  setup(b) {
    const shim = (name: string): string => join(pg, 'src/shims', `${name}.ts`);
    b.onResolve({ filter: /^node:(fs|path|url)$/ }, (args) => ({ path: shim(args.path.slice(5)) }));
    // binaryen imports node:module only when it runs under Node.
    b.onResolve({ filter: /^node:module$/ }, () => ({ path: 'node:module', external: true }));
  },
};

export async function buildPlayground(outdir: string = join(pg, 'dist')): Promise<void> {
  rmSync(outdir, { recursive: true, force: true });
  mkdirSync(outdir, { recursive: true });
  await build({
    entryPoints: { main: join(pg, 'src/main.ts'), worker: join(pg, 'src/worker/worker.ts') },
    outdir,
    bundle: true,
    // The worker loads binaryen (15 MB) and the ONNX schema as chunks on first use.
    splitting: true,
    format: 'esm',
    platform: 'browser',
    target: 'chrome110',
    chunkNames: 'chunks/[name]-[hash]',
    minify: true,
    sourcemap: false,
    plugins: [sourcesPlugin, shimsPlugin],
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'warning',
  });
  cpSync(join(pg, 'index.html'), join(outdir, 'index.html'));
  cpSync(join(pg, 'src/style.css'), join(outdir, 'style.css'));
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await buildPlayground(process.argv[2] ? resolve(process.argv[2]) : undefined);
}
