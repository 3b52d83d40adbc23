/**
 * What the browser tests share: where Chromium is, a headless Chromium with its own profile
 * (playwright-core, no downloaded browser), and a local HTTP server for in-memory files.
 *
 * Needs a Chromium binary: /usr/bin/chromium (Debian package `chromium`) or CHROMIUM_PATH;
 * the tests skip themselves with a notice without one (`haveBrowser`).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext } from 'playwright-core';

export const CHROMIUM = process.env['CHROMIUM_PATH'] || '/usr/bin/chromium';
export const haveBrowser = existsSync(CHROMIUM);

export interface Browser {
  context: BrowserContext;
  /** Close the browser and remove its profile. */
  close(): Promise<void>;
}

/** Headless Chromium with a fresh profile, no network services of its own. */
export async function launchChromium(options: { viewport?: { width: number; height: number } } = {}): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  const profile = mkdtempSync(join(tmpdir(), 'netc-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    ...(options.viewport ? { viewport: options.viewport } : {}),
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.bin': 'application/octet-stream',
};

export interface Served {
  server: Server;
  origin: string;
  close(): Promise<void>;
}

/**
 * Serves in-memory files on 127.0.0.1 at a free port. `route` maps a request path to a file
 * path of `files` and extra headers (cross-origin isolation, for instance), or undefined for
 * a 404; by default every path is served as itself.
 */
export async function serveFiles(
  files: ReadonlyMap<string, string | Uint8Array>,
  route: (path: string) => { file: string; headers?: Record<string, string> } | undefined = (path) => ({ file: path }),
): Promise<Served> {
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const target = route(path);
    const body = target ? files.get(target.file) : undefined;
    if (!target || body === undefined) {
      res.writeHead(404).end('not found');
      return;
    }
    const ext = path.slice(path.lastIndexOf('.'));
    res.writeHead(200, { 'content-type': CONTENT_TYPES[ext] ?? 'application/octet-stream', 'cache-control': 'no-store', ...target.headers });
    res.end(body);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('server has no port');
  return { server, origin: `http://127.0.0.1:${address.port}`, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
