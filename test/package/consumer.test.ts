/**
 * netc as another project installs it: the packed tarball installed into a fresh temporary
 * project, first alone (a lint-only install: no Wasm backend), then with binaryen. The CLI,
 * the library from plain JavaScript (no loader), the README's library examples and a strict
 * TypeScript consumer all run against the installed copy, never against this checkout. The
 * installs use npm's cache only (support/package.ts), as filled by `npm ci` here.
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanEnv, installOffline, npmAvailable, packProject, readmeLibraryExamples, ROOT, run, tarballFiles, treeBytes } from '../support/package.ts';

const PUBLIC_API = [
  'BackendMissingError', 'TensorFileError', 'check', 'compile', 'exportOnnx', 'format', 'importOnnx',
  'readNpy', 'readSafetensors', 'renderGraph', 'runInterpreter', 'summary', 'writeSafetensors',
];

const TS_CONSUMER = `import {
  check, compile, summary, format, renderGraph, importOnnx, exportOnnx,
  readSafetensors, writeSafetensors, readNpy, runInterpreter, BackendMissingError, TensorFileError,
  type CheckReport, type CompileResult, type Diagnostic, type Tensor, type WeightStore,
} from 'netc';

const source = 'network T {\\n  in x: f32[N, 3, 8, 8]\\n  out y = x |> conv(4, k=3) |> relu\\n}\\n';
const report: CheckReport = check(source, { file: 't.net' });
const errors: Diagnostic[] = report.diagnostics.filter((d) => d.severity === 'error');
const firstShape: (number | string)[] | undefined = report.networks[0]?.outputs[0]?.shape;
const params: number | undefined = summary(source, { bindings: { N: 1 } }).summary?.totals.params;
const formatted: string | undefined = format(source, 't.net').text;
const svg: Promise<{ text?: string }> = renderGraph(source, { format: 'svg', depth: 1 });
const built: Promise<CompileResult> = compile(source, { bindings: new Map([['N', 1]]), randomWeights: 0 });
const onnx: Promise<Uint8Array | undefined> = exportOnnx(source, { bindings: { N: 1 }, randomWeights: 1 }).then((r) => r.onnx);
const imported: Promise<string | undefined> = importOnnx(new Uint8Array(0), { file: 'm.onnx' }).then((r) => r.source);
const weights: WeightStore = readSafetensors(writeSafetensors(new Map<string, Tensor>()), 'w.safetensors');
const x: Tensor = readNpy(new Uint8Array(0), 'x.npy');
const y: Tensor | undefined = runInterpreter(source, [x], { bindings: { N: 1 }, weights }).outputs?.get('y');
const missing: boolean = new Error() instanceof BackendMissingError || new Error() instanceof TensorFileError;
export { errors, firstShape, params, formatted, svg, built, onnx, imported, y, missing };
`;

const TS_CONFIG = {
  compilerOptions: {
    strict: true, module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022',
    noUncheckedIndexedAccess: true, skipLibCheck: false, noEmit: true, types: [],
  },
  files: ['consumer.ts'],
};

const hasNpm = npmAvailable();
if (!hasNpm) console.warn('npm is not available: the packed-package tests are skipped');

describe.runIf(hasNpm)('the packed package installed in a fresh project', () => {
  const work = mkdtempSync(join(tmpdir(), 'netc-consumer-'));
  const project = join(work, 'project');
  let tarball = '';
  const netc = (args: string[]) => run(process.execPath, [join(project, 'node_modules/.bin/netc'), ...args], project);
  const example = (name: string) => join(project, 'examples', name);

  beforeAll(() => {
    tarball = packProject(work);
    mkdirSync(join(project, 'examples'), { recursive: true });
    copyFileSync(join(ROOT, 'examples/dcgan.net'), example('dcgan.net'));
    installOffline(project, tarball);
  }, 300_000);

  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('packs the built library, the CLI bundle and the documentation, and nothing else', () => {
    const files = tarballFiles(tarball);
    expect(files).toEqual(expect.arrayContaining(['dist/index.mjs', 'dist/types/index.d.ts', 'dist/netc.mjs', 'dist/std/layers.net', 'LICENSE']));
    const allowed = /^(package\.json|README\.md|LICENSE|bin\/netc\.js|spec\/[\w-]+\.md|dist\/((netc|index)\.mjs|chunks\/[\w-]+\.mjs|std\/\w+\.net|types\/[\w/-]+\.d\.ts))$/;
    expect(files.filter((f) => !allowed.test(f))).toEqual([]);
    expect(files.filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))).toEqual([]);
  });

  it('installs without the Wasm backend or development tools (lint-only)', () => {
    // chevrotain, yaml, picocolors, tinyglobby and the ONNX schema are inside the bundle.
    for (const absent of ['binaryen', 'esbuild', 'tsx', 'typescript', 'vitest', 'chevrotain', 'yaml', 'onnx-proto', 'protobufjs']) {
      expect(existsSync(join(project, 'node_modules', absent)), absent).toBe(false);
    }
    expect(existsSync(join(project, 'node_modules/netc/src'))).toBe(false);
    console.info(`lint-only install: ${(treeBytes(join(project, 'node_modules')) / 1e6).toFixed(1)} MB`);
  });

  it('runs netc check through npx, from the bundle', () => {
    const r = run('npx', ['netc', 'check', 'examples/dcgan.net'], project);
    expect(r.stderr).toMatch(/0 errors/);
    expect(r.status).toBe(0);
  });

  it('exports and imports ONNX with the schema from the bundle', () => {
    expect(netc(['export', 'examples/dcgan.net', '--bind', 'N=1', '--random-weights', '0', '-o', 'dcgan.onnx']).status).toBe(0);
    const imported = netc(['import', 'dcgan.onnx', '-o', 'imported.net']);
    expect(imported.stderr).toMatch(/wrote imported\.net \(14 layers\)/);
    expect(netc(['check', 'imported.net']).status).toBe(0);
  });

  it('asks for binaryen in one line when building without it', () => {
    const r = netc(['build', 'examples/dcgan.net', '--bind', 'N=1', '--random-weights', '0']);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^netc build: .*binaryen.*npm install binaryen/)]);
  });

  it('imports every public function from plain JavaScript with no loader', () => {
    writeFileSync(join(project, 'api.mjs'), "import * as netc from 'netc';\nconsole.log(JSON.stringify(Object.keys(netc).sort()));\n");
    const r = run(process.execPath, ['api.mjs'], project);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual([...PUBLIC_API].sort());
  });

  describe('with binaryen installed (full install)', () => {
    beforeAll(() => {
      installOffline(project, tarball, ['binaryen']);
      console.info(`full install: ${(treeBytes(join(project, 'node_modules')) / 1e6).toFixed(1)} MB`);
    }, 300_000);

    it('runs netc build through npx', () => {
      const r = run('npx', ['netc', 'build', 'examples/dcgan.net', '--bind', 'N=1', '--random-weights', '0', '-o', 'out/dcgan.wasm'], project);
      expect(r.stderr).toMatch(/wrote dcgan\.wasm, dcgan\.js, dcgan\.d\.ts/);
      expect(r.status).toBe(0);
      expect(existsSync(join(project, 'out/dcgan.wasm'))).toBe(true);
    });

    it("runs every example of the README's Library section and prints what it says", () => {
      const { tinyNet, examples } = readmeLibraryExamples();
      writeFileSync(join(project, 'tiny.net'), tinyNet);
      copyFileSync(join(ROOT, 'test/fixtures/package/x.npy'), join(project, 'x.npy'));
      expect(examples.length).toBeGreaterThanOrEqual(8);
      const used = new Set<string>();
      examples.forEach((e, i) => {
        for (const m of e.code.matchAll(/import \{([^}]*)\} from 'netc'/g)) for (const n of m[1]!.split(',')) used.add(n.trim());
        writeFileSync(join(project, `example-${i}.mjs`), e.code);
        const r = run(process.execPath, [`example-${i}.mjs`], project);
        expect({ example: i, stderr: r.stderr, stdout: r.stdout }).toEqual({ example: i, stderr: '', stdout: e.prints });
      });
      const functions = PUBLIC_API.filter((n) => /^[a-z]/.test(n));
      expect(functions.filter((n) => !used.has(n))).toEqual([]);
    });

    it('type-checks a strict TypeScript consumer (nodenext, noUncheckedIndexedAccess, library checking on)', () => {
      writeFileSync(join(project, 'consumer.ts'), TS_CONSUMER);
      writeFileSync(join(project, 'tsconfig.json'), JSON.stringify(TS_CONFIG));
      const r = run(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', project], project, cleanEnv());
      expect(r.stdout + r.stderr).toBe('');
      expect(r.status).toBe(0);
    });
  });
});
