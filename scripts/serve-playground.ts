/**
 * `npm run playground:serve`: serves playground/dist/ on 127.0.0.1 for local use (module
 * workers and fetch need http, not file:). Static files only; the port is PORT or 8017.
 */
import { createServer, type Server } from 'node:http';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.png': 'image/png',
};

/** Serves `dir` on 127.0.0.1 (`port` 0: any free port); resolves to the server and its origin. */
export async function serveStatic(dir: string, port = 0): Promise<{ server: Server; origin: string }> {
  const server = createServer((req, res) => {
    let path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname));
    if (path.endsWith('/')) path += 'index.html';
    const file = join(dir, path);
    if (!file.startsWith(dir) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-cache' });
    res.end(readFileSync(file));
  });
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(port, '127.0.0.1', () => ok());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('server has no port');
  return { server, origin: `http://127.0.0.1:${address.port}` };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const dir = join(dirname(fileURLToPath(import.meta.url)), '../playground/dist');
  if (!existsSync(join(dir, 'index.html'))) {
    console.error('playground/dist/ is missing: run npm run playground first');
    process.exit(1);
  }
  const { origin } = await serveStatic(dir, Number(process.env['PORT'] ?? 8017));
  console.log(`playground at ${origin}/`);
}
