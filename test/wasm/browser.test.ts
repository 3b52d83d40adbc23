/**
 * The generated loader in a real browser: a small network compiled, model.js + model.wasm
 * served from a local HTTP server, headless Chromium (playwright-core) imports the loader,
 * loads the module by URL, runs an input; the output must match the interpreter, and a wrong
 * input length must give the loader's error. Also with external weights, fetched next to
 * the module.
 *
 * Needs a Chromium binary: /usr/bin/chromium (Debian package `chromium`) or CHROMIUM_PATH.
 * Without one the test is skipped with a notice.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compile, type CompileResult } from '../../src/api.ts';
import { checkSource } from '../../src/check/check.ts';
import { runGraph } from '../../src/interp/run.ts';
import { concretize } from '../../src/check/concretize.ts';
import { randomWeights } from '../../src/io/randomWeights.ts';
import { CHROMIUM, haveBrowser, launchChromium, serveFiles, type Browser, type Served } from '../support/browser.ts';
import { randomTensor, relL2, rng } from './harness.ts';
import { graphParams } from '../../src/ir/params.ts';

const SOURCE = `network Small {
  in x: f32[1, 3, 12, 12]
  out y = x
    |> c1: conv(6, k=3, pad=1) |> relu |> maxpool(k=2)
    |> c2: conv(4, k=3, stride=2, pad=1) |> bn: batchnorm |> relu
    |> global_avgpool
}
`;
const SEED = 7;
const INPUT_SHAPE = [1, 3, 12, 12];

/** The interpreter's output on the unoptimised graph with the same seeded weights as compile(). */
function reference(x: Float32Array): Float32Array {
  const checked = checkSource(SOURCE, 'small.net', { requireEntry: true });
  const graph = concretize(checked.graphs[0]!, new Map()).graph!;
  const weights = randomWeights(graphParams(graph), SEED);
  const out = runGraph(graph, weights, [{ shape: INPUT_SHAPE, data: x }]);
  return out.get('y')!.data;
}

/**
 * The page: a module script that imports a loader, loads its module by URL and runs an input
 * (and a too-short one, for the error). Written as page source so that the test runner does
 * not rewrite its dynamic import.
 */
const PAGE = `<!doctype html>
<meta charset="utf-8">
<title>netc loader</title>
<script type="module">
window.runModel = async (dir, input) => {
  const { load, inputs } = await import(dir + 'model.js');
  const net = await load(new URL(dir + 'model.wasm', location.href));
  const output = Array.from(net.run(new Float32Array(input)));
  let error = '';
  try {
    net.run(new Float32Array(5));
  } catch (e) {
    error = e.name + ': ' + e.message;
  }
  return { output, error, inputs };
};
</script>
`;

interface PageResult {
  output: number[];
  error: string;
  inputs: unknown;
}

if (!haveBrowser) {
  console.warn(`browser test skipped: no Chromium at ${CHROMIUM} (install the chromium package or set CHROMIUM_PATH)`);
  it.skip(`the generated loader runs in Chromium (skipped: no browser at ${CHROMIUM})`, () => {});
} else {
  describe('the generated loader in Chromium', () => {
    let built: CompileResult;
    let external: CompileResult;
    let served: Served | undefined;
    let browser: Browser | undefined;

    beforeAll(async () => {
      built = await compile(SOURCE, { file: 'small.net', randomWeights: SEED });
      external = await compile(SOURCE, { file: 'small.net', randomWeights: SEED, weightsExternal: true });
      expect(built.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      const files = new Map<string, string | Uint8Array>([
        ['/index.html', PAGE],
        ['/model.js', built.loader!],
        ['/model.wasm', built.wasm!],
        ['/ext/model.js', external.loader!],
        ['/ext/model.wasm', external.wasm!],
        ['/ext/model.weights.bin', external.weightsBin!],
      ]);
      served = await serveFiles(files);
      browser = await launchChromium();
    }, 120_000);

    afterAll(async () => {
      await browser?.close();
      await served?.close();
    });

    /** Open the page, import `<dir>model.js`, load `<dir>model.wasm` by URL, run `x` and a too-short input. */
    async function runInPage(dir: string, x: Float32Array): Promise<PageResult> {
      const page = await browser!.context.newPage();
      const problems: string[] = [];
      page.on('pageerror', (e) => problems.push(e.message));
      try {
        await page.goto(`${served!.origin}/index.html`);
        await page.waitForFunction(() => 'runModel' in window);
        const result = await page.evaluate(([dir, input]) => (window as unknown as { runModel: (d: string, i: number[]) => Promise<PageResult> }).runModel(dir, input), [dir, Array.from(x)] as [string, number[]]);
        expect(problems).toEqual([]);
        return result;
      } finally {
        await page.close();
      }
    }

    it('loads the module by URL and matches the interpreter; a wrong input length is the loader\'s error', async () => {
      const x = randomTensor(INPUT_SHAPE, rng(11)).data;
      const result = await runInPage('/', x);
      const ref = reference(x);
      expect(result.output).toHaveLength(ref.length);
      expect(relL2(Float32Array.from(result.output), ref)).toBeLessThan(1e-5);
      expect(result.error).toBe('RangeError: Small: input x has shape [1, 3, 12, 12] (432 values), got 5 values');
      expect(result.inputs).toEqual([{ name: 'x', shape: INPUT_SHAPE }]);
    }, 120_000);

    it('fetches external weights next to the module', async () => {
      const x = randomTensor(INPUT_SHAPE, rng(12)).data;
      const result = await runInPage('/ext/', x);
      expect(relL2(Float32Array.from(result.output), reference(x))).toBeLessThan(1e-5);
      expect(external.wasm!.length).toBeLessThan(built.wasm!.length);
    }, 120_000);

  });
}
