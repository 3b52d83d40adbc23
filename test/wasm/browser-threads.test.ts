/**
 * A module built for threads in a real browser (headless Chromium through playwright-core,
 * as browser.test.ts): on a cross-origin isolated page (COOP/COEP headers) `load(...,
 * { threads: 2 })` runs on two Web Workers and the output is bit-identical to one thread and
 * to the module built without threads; on a page without isolation it runs on one thread,
 * warns once and gives the same output.
 *
 * Needs a Chromium binary: /usr/bin/chromium (Debian package `chromium`) or CHROMIUM_PATH.
 * Without one the test is skipped with a notice.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compile } from '../../src/api.ts';
import { CHROMIUM, haveBrowser, launchChromium, serveFiles, type Browser, type Served } from '../support/browser.ts';
import { randomTensor, rng } from './harness.ts';

const SOURCE = `network Split {
  in x: f32[1, 16, 20, 20]
  a = x |> a1: conv(48, k=3, pad=1) |> relu
  b = a |> b1: conv(32, k=3, stride=2, pad=1) |> relu
  out y = b |> t1: conv_transpose(24, k=2, stride=2) |> sigmoid
}
`;

/** The same page under two paths; /coi/ is served cross-origin isolated. */
const PAGE = `<!doctype html>
<meta charset="utf-8">
<title>netc threads</title>
<script type="module">
window.runModels = async (input) => {
  const warnings = [];
  const warn = console.warn;
  console.warn = (m) => { warnings.push(String(m)); warn(m); };
  const threaded = await import('./threaded.js');
  const plain = await import('./plain.js');
  const x = new Float32Array(input);
  const two = await threaded.load(new URL('threaded.wasm', location.href), { threads: 2 });
  const twoAgain = await threaded.load(new URL('threaded.wasm', location.href), { threads: 2 });
  const one = await threaded.load(new URL('threaded.wasm', location.href));
  const base = (await plain.load(new URL('plain.wasm', location.href))).run(x);
  const bits = (a) => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length));
  const same = (a) => JSON.stringify(bits(a)) === JSON.stringify(bits(base));
  const result = {
    isolated: globalThis.crossOriginIsolated === true,
    threads: [two.threads, twoAgain.threads, one.threads],
    same: [same(two.run(x)), same(two.run(x)), same(twoAgain.run(x)), same(one.run(x))],
    warnings,
  };
  two.close();
  twoAgain.close();
  return result;
};
</script>
`;

interface PageResult {
  isolated: boolean;
  threads: number[];
  same: boolean[];
  warnings: string[];
}

/** /coi/<file> is served cross-origin isolated (COOP/COEP), /plain/<file> without. */
const route = (path: string): { file: string; headers?: Record<string, string> } | undefined => {
  const m = /^\/(coi|plain)(\/.*)$/.exec(path);
  if (!m) return undefined;
  return { file: m[2]!, headers: m[1] === 'coi' ? { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' } : undefined };
};

if (!haveBrowser) {
  console.warn(`browser threads test skipped: no Chromium at ${CHROMIUM} (install the chromium package or set CHROMIUM_PATH)`);
  it.skip(`threads in Chromium (skipped: no browser at ${CHROMIUM})`, () => {});
} else {
  describe('a module built for threads in Chromium', () => {
    let served: Served | undefined;
    let browser: Browser | undefined;

    beforeAll(async () => {
      const threaded = await compile(SOURCE, { file: 'split.net', randomWeights: 4, threads: 2 });
      const plain = await compile(SOURCE, { file: 'split.net', randomWeights: 4 });
      expect(threaded.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      const files = new Map<string, string | Uint8Array>([
        ['/index.html', PAGE],
        ['/threaded.js', threaded.loader!],
        ['/threaded.wasm', threaded.wasm!],
        ['/plain.js', plain.loader!],
        ['/plain.wasm', plain.wasm!],
      ]);
      served = await serveFiles(files, route);
      browser = await launchChromium();
    }, 120_000);

    afterAll(async () => {
      await browser?.close();
      await served?.close();
    });

    async function runIn(dir: 'coi' | 'plain'): Promise<PageResult> {
      const page = await browser!.context.newPage();
      const problems: string[] = [];
      page.on('pageerror', (e) => problems.push(e.message));
      try {
        await page.goto(`${served!.origin}/${dir}/index.html`);
        await page.waitForFunction(() => 'runModels' in window);
        const x = Array.from(randomTensor([1, 16, 20, 20], rng(21)).data);
        const result = await page.evaluate((input) => (window as unknown as { runModels: (i: number[]) => Promise<PageResult> }).runModels(input), x);
        expect(problems).toEqual([]);
        return result;
      } finally {
        await page.close();
      }
    }

    it('runs on two Web Workers on a cross-origin isolated page, bit-identical to one thread', async () => {
      const r = await runIn('coi');
      expect(r.isolated).toBe(true);
      expect(r.threads).toEqual([2, 2, 1]);
      expect(r.same).toEqual([true, true, true, true]);
      expect(r.warnings).toEqual([]);
    }, 120_000);

    it('runs on one thread without isolation, says why once, same output', async () => {
      const r = await runIn('plain');
      expect(r.isolated).toBe(false);
      expect(r.threads).toEqual([1, 1, 1]);
      expect(r.same).toEqual([true, true, true, true]);
      expect(r.warnings).toHaveLength(1);
      expect(r.warnings[0]).toMatch(/Split: running on one thread: SharedArrayBuffer is not available \(a page needs cross-origin isolation/);
    }, 120_000);
  });
}
