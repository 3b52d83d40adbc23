/**
 * The playground in Chromium (playwright-core, the system's browser, as test/wasm/browser.test.ts):
 * builds playground/dist-test/ with scripts/build-playground.ts, serves it on 127.0.0.1, and
 * goes through the steps: GoogLeNet's summary, a channel mistake reported as
 * `netc check` reports it, a hover shape, an Inception block opened in the graph and a conv's
 * weight shape, DCGAN built and run with the Node build's numbers, an ONNX file dropped (then
 * exported back, and built with its weights given as a .safetensors file).
 * Prints the responsiveness figures (check latency, page usable time, in-page build time);
 * it asserts none of them, since the machine's load decides them.
 *
 * PLAYGROUND_SCREENSHOT=1 also writes docs/playground.png (the README's picture).
 * Skipped without a Chromium binary (/usr/bin/chromium or CHROMIUM_PATH).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compile, importOnnx, renderGraph, writeSafetensors } from '../../src/index.ts';
import { buildPlayground } from '../../scripts/build-playground.ts';
import { serveStatic } from '../../scripts/serve-playground.ts';
import { outputStats, seededInput, statsText } from '../../playground/src/stats.ts';
import { haveBrowser, launchChromium, type Browser, CHROMIUM } from '../support/browser.ts';
import { netc } from '../support/cli.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const OUT = join(ROOT, 'playground/dist-test');
const GOOGLENET = readFileSync(join(ROOT, 'examples/googlenet.net'), 'utf8');
const DCGAN = readFileSync(join(ROOT, 'examples/dcgan.net'), 'utf8');
const ONNX_FIXTURE = join(ROOT, 'test/fixtures/torchvision/squeezenet1_1.onnx');
const RUN_SEED = 1;

type Page = import('playwright-core').Page;

if (!haveBrowser) {
  console.warn(`playground test skipped: no Chromium at ${CHROMIUM} (install the chromium package or set CHROMIUM_PATH)`);
  it.skip(`the playground in Chromium (skipped: no browser at ${CHROMIUM})`, () => {});
} else {
  describe('the playground in Chromium', () => {
    let server: Server | undefined;
    let origin = '';
    let browser: Browser | undefined;
    let page: Page;
    const problems: string[] = [];
    const figures: string[] = [];

    beforeAll(async () => {
      const t = performance.now();
      await buildPlayground(OUT);
      figures.push(`playground build: ${((performance.now() - t) / 1000).toFixed(1)} s`);
      ({ server, origin } = await serveStatic(OUT));
      browser = await launchChromium({ viewport: { width: 1400, height: 860 } });
      page = await browser.context.newPage();
      page.on('pageerror', (e) => problems.push(e.message));
    }, 120_000);

    afterAll(async () => {
      console.log(`playground figures (load average ${loadavg().map((x) => x.toFixed(2)).join(', ')}):\n  ${figures.join('\n  ')}`);
      await browser?.close();
      await new Promise<void>((ok) => (server ? server.close(() => ok()) : ok()));
      rmSync(OUT, { recursive: true, force: true });
    });

    const testid = (id: string): import('playwright-core').Locator => page.locator(`[data-testid="${id}"]`);

    it('opens on GoogLeNet and reads 6,624,904 parameters in the summary', async () => {
      const t = Date.now();
      await page.goto(`${origin}/index.html`);
      await page.waitForSelector('body[data-summarized]', { timeout: 60_000 });
      expect(await testid('examples').inputValue()).toBe('googlenet.net');
      expect(await testid('summary-totals').textContent()).toContain('6,624,904 parameters');
      expect(await testid('summary-table').locator('tr').count()).toBeGreaterThan(100);
      const usable = await page.evaluate(() => (window as unknown as { netcTimings: { usableMs: number } }).netcTimings.usableMs);
      figures.push(`page usable (first check shown) ${usable.toFixed(0)} ms after navigation start; summary shown ${Date.now() - t} ms after goto`);
      expect(problems).toEqual([]);
    }, 90_000);

    it('reports a channel mistake at its line with the text of netc check', async () => {
      // Line 22: `  stem: [1, 192, 28, 28] = x`; 192 becomes 128.
      const line = page.locator('.cm-line', { hasText: 'stem: [1, 192, 28, 28] = x' });
      await line.click();
      await page.keyboard.press('End');
      for (let i = 0; i < '192, 28, 28] = x'.length - 3; i++) await page.keyboard.press('ArrowLeft');
      // Typed at a person's pace, so that each keystroke gets its own check (and latency figure).
      for (let i = 0; i < 3; i++) await page.keyboard.press('Backspace', { delay: 250 });
      await page.keyboard.type('128', { delay: 250 });
      await page.waitForSelector('[data-testid="diagnostics"] li.error', { timeout: 10_000 });
      const shown = await testid('diagnostics').locator('li.error pre').first().textContent();
      // The first entry is the check of the page's initial text.
      const t = await page.evaluate(() => (window as unknown as { netcTimings: { checkLatencyMs: number[]; checkWorkerMs: number[] } }).netcTimings);
      const ms = (xs: number[]): string => xs.slice(1).map((x) => x.toFixed(0)).join(', ');
      figures.push(`check as you type (GoogLeNet), keystroke to diagnostics shown: ${ms(t.checkLatencyMs)} ms; of which in the worker: ${ms(t.checkWorkerMs)} ms`);

      const dir = mkdtempSync(join(tmpdir(), 'netc-playground-check-'));
      try {
        writeFileSync(join(dir, 'googlenet.net'), GOOGLENET.replace('stem: [1, 192, 28, 28] = x', 'stem: [1, 128, 28, 28] = x'));
        const cli = await netc(['check', 'googlenet.net'], { cwd: dir });
        expect(cli.code).not.toBe(0);
        // The first diagnostic, without the CLI's closing count line.
        const first = cli.stderr.replace(/\n*checked \d+ files?:.*\n?$/, '').split(/\n(?=error|warning)/)[0]!.trimEnd();
        expect(first).toMatch(/--> googlenet\.net:22:/);
        expect(shown!.trimEnd()).toBe(first);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
      expect(await testid('diagnostics').locator('li.error').first().getAttribute('data-line')).toBe('22');
      for (let i = 0; i < 3; i++) await page.keyboard.press('Backspace');
      await page.keyboard.type('192');
      await page.waitForSelector('[data-testid="diagnostics"] li.ok');
    }, 60_000);

    it('shows a layer\'s shape on hover', async () => {
      await page.locator('.tok-label', { hasText: /^maxpool1$/ }).hover();
      const hover = testid('hover');
      await hover.waitFor();
      expect(await hover.textContent()).toContain('[1, 64, 56, 56]');
      await page.mouse.move(5, 5);
    }, 30_000);

    it('opens an Inception block in the graph and shows a conv\'s weight shape', async () => {
      await testid('tab-graph').click();
      const box = (title: string): import('playwright-core').Locator => testid('graph').locator('g.box', { has: page.locator('text', { hasText: new RegExp(`^${title}$`) }) });
      await box('inception3a').first().click();
      const serial = await page.evaluate(() => Number(document.body.dataset['graphSerial']));
      await testid('expand').click();
      await page.waitForFunction((n) => Number(document.body.dataset['graphSerial']) > n, serial);
      // Inside: the branches' ConvBNReLU blocks; open branch1 to reach its conv.
      await box('branch1').first().click();
      const serial2 = await page.evaluate(() => Number(document.body.dataset['graphSerial']));
      await testid('expand').click();
      await page.waitForFunction((n) => Number(document.body.dataset['graphSerial']) > n, serial2);
      await testid('graph').locator('g.box', { has: page.locator('text', { hasText: /^conv k=1/ }) }).first().click();
      const weights = await testid('weights').textContent();
      expect(weights).toContain('inception3a.branch1.conv.weight');
      expect(weights).toContain('[64, 192, 1, 1]');
      if (process.env['PLAYGROUND_SCREENSHOT'] === '1') {
        await page.screenshot({ path: join(ROOT, 'docs/playground.png'), type: 'png' });
      }
    }, 60_000);

    it('builds and runs DCGAN with the numbers of the Node build', async () => {
      await testid('examples').selectOption('dcgan.net');
      expect(await testid('bindings').inputValue()).toBe('N=1');
      await testid('tab-run').click();
      const t = Date.now();
      await testid('run-button').click();
      await page.waitForSelector('[data-testid="output"][data-done]', { timeout: 90_000 });
      const shownStats = await testid('output-stats').textContent();
      const shownFirst = await testid('output-first').textContent();
      figures.push(`DCGAN in the page: ${await testid('run-time').textContent()} (click to result ${Date.now() - t} ms, binaryen's first load included)`);
      expect(await testid('output-image').count()).toBe(1);

      const built = await compile(DCGAN, { file: 'dcgan.net', bindings: { N: 1 }, randomWeights: RUN_SEED });
      const dir = mkdtempSync(join(tmpdir(), 'netc-playground-dcgan-'));
      try {
        writeFileSync(join(dir, 'model.js'), built.loader!);
        const { load, inputs } = (await import(pathToFileURL(join(dir, 'model.js')).href)) as { load: (b: Uint8Array) => Promise<{ run(x: Float32Array): Float32Array }>; inputs: { shape: number[] }[] };
        const net = await load(built.wasm!);
        const y = Float32Array.from(net.run(seededInput(inputs[0]!.shape.reduce((a, b) => a * b, 1), RUN_SEED)));
        expect(shownStats).toBe(statsText(outputStats(y)));
        expect(shownFirst).toBe(`first values: ${Array.from(y.subarray(0, 8)).map((v) => v.toPrecision(6)).join(' ')}`);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }, 120_000);

    it('netc graph --format html: the same viewer in one file, blocks opened by depth', async () => {
      const { text } = await renderGraph(GOOGLENET, { file: 'googlenet.net', format: 'html', depth: 0 });
      writeFileSync(join(OUT, 'graph.html'), text!);
      const p = await browser!.context.newPage();
      try {
        await p.goto(`${origin}/graph.html`);
        const box = p.locator('g.box', { has: p.locator('text', { hasText: /^inception3a$/ }) }).first();
        await box.click();
        expect(await p.locator('[data-testid="node-details"] h3').textContent()).toBe('inception3a');
        await box.dblclick();
        await p.locator('g.cluster', { hasText: 'inception3a: InceptionBN' }).waitFor();
      } finally {
        await p.close();
      }
    }, 30_000);

    // Opt-in (PLAYGROUND_BENCH=1): GoogLeNet built in the page and by the CLI, for the README's figures.
    it.runIf(process.env['PLAYGROUND_BENCH'] === '1')('times a GoogLeNet build in the page against the CLI', async () => {
      await testid('examples').selectOption('googlenet.net');
      await page.waitForSelector('[data-testid="diagnostics"] li.ok');
      const done = Number((await testid('output').getAttribute('data-done')) ?? 0);
      await testid('run-button').click();
      await page.waitForFunction((n) => Number(document.querySelector('[data-testid="output"]')?.getAttribute('data-done')) > n, done, { timeout: 300_000 });
      figures.push(`GoogLeNet in the page: ${await testid('run-time').textContent()}`);
      const dir = mkdtempSync(join(tmpdir(), 'netc-playground-bench-'));
      try {
        writeFileSync(join(dir, 'googlenet.net'), GOOGLENET);
        const t = performance.now();
        const cli = await netc(['build', 'googlenet.net', '--random-weights', '1', '-o', join(dir, 'model.wasm')], { cwd: dir });
        figures.push(`GoogLeNet by the CLI (in-process, netc build): ${(performance.now() - t).toFixed(0)} ms, exit ${cli.code}`);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }, 600_000);

    it('imports a dropped ONNX file into the editor and the graph, exports it, builds it with safetensors weights', async () => {
      const bytes = readFileSync(ONNX_FIXTURE);
      const expected = await importOnnx(new Uint8Array(bytes), { file: 'squeezenet1_1.onnx' });
      await page.evaluate((data) => {
        const dt = new DataTransfer();
        dt.items.add(new File([new Uint8Array(data)], 'squeezenet1_1.onnx'));
        document.body.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
      }, Array.from(bytes));
      await page.waitForFunction(() => document.querySelector('[data-testid="status"]')?.textContent?.startsWith('imported'));
      expect(await testid('file-name').inputValue()).toBe('squeezenet1_1.net');
      const firstLines = expected.source!.split('\n').slice(0, 6);
      const shown = await page.locator('.cm-line').allTextContents();
      expect(shown.slice(0, 6)).toEqual(firstLines);
      await testid('tab-graph').click();
      await page.waitForFunction(() => document.querySelector('[data-testid="graph"] svg text')?.textContent?.startsWith('Squeezenet11') ?? false, undefined, { timeout: 30_000 });
      // Back to ONNX with the imported weights: importing that file again gives the same source.
      const [download] = await Promise.all([page.waitForEvent('download'), testid('export').click()]);
      expect(download.suggestedFilename()).toBe('squeezenet1_1.onnx');
      const again = await importOnnx(new Uint8Array(readFileSync((await download.path())!)), { file: 'squeezenet1_1.onnx' });
      expect(again.source?.split('\n').slice(1)).toEqual(expected.source!.split('\n').slice(1));
      expect([...again.weights!.keys()].sort()).toEqual([...expected.weights!.keys()].sort());

      // The same weights given as a .safetensors file: the page's build matches Node's.
      const dir = mkdtempSync(join(tmpdir(), 'netc-playground-weights-'));
      try {
        writeFileSync(join(dir, 'squeezenet.safetensors'), writeSafetensors(expected.weights!));
        await testid('file-input').setInputFiles(join(dir, 'squeezenet.safetensors'));
        await page.waitForFunction(() => document.querySelector('[data-testid="status"]')?.textContent?.startsWith('weights: squeezenet.safetensors'));
        await testid('tab-run').click();
        const done = Number((await testid('output').getAttribute('data-done')) ?? 0);
        await testid('run-button').click();
        await page.waitForFunction((n) => Number(document.querySelector('[data-testid="output"]')?.getAttribute('data-done')) > n, done, { timeout: 60_000 });
        const built = await compile(expected.source!, { file: 'squeezenet1_1.net', weights: expected.weights! });
        writeFileSync(join(dir, 'model.js'), built.loader!);
        const { load, inputs } = (await import(pathToFileURL(join(dir, 'model.js')).href)) as { load: (b: Uint8Array) => Promise<{ run(x: Float32Array): Float32Array }>; inputs: { shape: number[] }[] };
        const y = Float32Array.from((await load(built.wasm!)).run(seededInput(inputs[0]!.shape.reduce((a, b) => a * b, 1), RUN_SEED)));
        expect(await testid('output-stats').textContent()).toBe(statsText(outputStats(y)));
        expect(await testid('top5').count()).toBe(1);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
      expect(problems).toEqual([]);
    }, 60_000);
  });
}
