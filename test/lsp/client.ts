/**
 * A minimal LSP client for tests: spawns `netc lsp --stdio` (node with the tsx loader) and
 * speaks JSON-RPC over its standard streams with Content-Length framing.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

interface Message {
  jsonrpc: '2.0';
  id?: number;
  method?: string;
  params?: unknown;
  result?: unknown;
  error?: { code: number; message: string };
}

export class LspClient {
  private readonly proc: ChildProcessWithoutNullStreams;
  private buffer = Buffer.alloc(0);
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  readonly notifications: Message[] = [];
  private readonly waiters: { method: string; pred: (p: any) => boolean; resolve: (p: any) => void }[] = [];
  stderr = '';

  /** By default the server runs from the sources; `server` runs another entry (a bundle) instead. */
  constructor(server: { args: string[]; cwd: string } = { args: ['--import', 'tsx', 'src/cli/main.ts'], cwd: ROOT }) {
    this.proc = spawn(process.execPath, [...server.args, 'lsp', '--stdio'], { cwd: server.cwd, stdio: 'pipe' });
    this.proc.stdout.on('data', (chunk: Buffer) => this.onData(chunk));
    this.proc.stderr.on('data', (chunk: Buffer) => void (this.stderr += chunk.toString()));
  }

  private onData(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const headerEnd = this.buffer.indexOf('\r\n\r\n');
      if (headerEnd < 0) return;
      const header = this.buffer.subarray(0, headerEnd).toString('ascii');
      const length = Number(/Content-Length: (\d+)/i.exec(header)?.[1]);
      if (this.buffer.length < headerEnd + 4 + length) return;
      const body = this.buffer.subarray(headerEnd + 4, headerEnd + 4 + length).toString('utf8');
      this.buffer = this.buffer.subarray(headerEnd + 4 + length);
      this.dispatch(JSON.parse(body) as Message);
    }
  }

  private dispatch(m: Message): void {
    if (m.id !== undefined && m.method === undefined) {
      const p = this.pending.get(m.id);
      this.pending.delete(m.id);
      if (m.error) p?.reject(new Error(m.error.message));
      else p?.resolve(m.result);
      return;
    }
    if (m.id !== undefined && m.method !== undefined) {
      // A request from the server (e.g. client/registerCapability): accept it.
      this.send({ jsonrpc: '2.0', id: m.id, result: null });
      return;
    }
    this.notifications.push(m);
    for (let i = this.waiters.length - 1; i >= 0; i--) {
      const w = this.waiters[i]!;
      if (w.method === m.method && w.pred(m.params)) {
        this.waiters.splice(i, 1);
        w.resolve(m.params);
      }
    }
  }

  private send(m: Message): void {
    const body = Buffer.from(JSON.stringify(m), 'utf8');
    this.proc.stdin.write(`Content-Length: ${body.length}\r\n\r\n`);
    this.proc.stdin.write(body);
  }

  request<T = any>(method: string, params: unknown, timeoutMs = 20_000): Promise<T> {
    const id = this.nextId++;
    this.send({ jsonrpc: '2.0', id, method, params });
    return new Promise<T>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`${method} timed out; server stderr: ${this.stderr}`)), timeoutMs);
      this.pending.set(id, {
        resolve: (v) => {
          clearTimeout(t);
          resolve(v as T);
        },
        reject: (e) => {
          clearTimeout(t);
          reject(e);
        },
      });
    });
  }

  notify(method: string, params: unknown): void {
    this.send({ jsonrpc: '2.0', method, params });
  }

  /** How many notifications have arrived: pass it to `waitFor` to wait for a later one. */
  mark(): number {
    return this.notifications.length;
  }

  /** The first notification of `method` since `since` (an index from `mark()`) whose params satisfy `pred`. */
  waitFor<T = any>(method: string, pred: (p: T) => boolean = () => true, since?: number, timeoutMs = 20_000): Promise<T> {
    if (since !== undefined) {
      const seen = this.notifications.slice(since).find((n) => n.method === method && pred(n.params as T));
      if (seen) return Promise.resolve(seen.params as T);
    }
    return new Promise<T>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`no ${method} notification; server stderr: ${this.stderr}`)), timeoutMs);
      this.waiters.push({ method, pred, resolve: (p) => (clearTimeout(t), resolve(p)) });
    });
  }

  /** Diagnostics published for `uri` at `version` (sent after the debounce of that edit). */
  diagnostics(uri: string, version: number): Promise<{ uri: string; version?: number; diagnostics: any[] }> {
    const seen = this.notifications.find((n) => n.method === 'textDocument/publishDiagnostics' && (n.params as any).uri === uri && (n.params as any).version === version);
    if (seen) return Promise.resolve(seen.params as any);
    return this.waitFor('textDocument/publishDiagnostics', (p: any) => p.uri === uri && p.version === version);
  }

  async initialize(): Promise<any> {
    const r = await this.request('initialize', { processId: process.pid, rootUri: null, capabilities: {} });
    this.notify('initialized', {});
    return r;
  }

  async shutdown(): Promise<number | null> {
    await this.request('shutdown', null);
    this.notify('exit', null);
    return new Promise((resolve) => {
      if (this.proc.exitCode !== null) resolve(this.proc.exitCode);
      else this.proc.on('exit', (code) => resolve(code));
    });
  }

  kill(): void {
    if (this.proc.exitCode === null) this.proc.kill();
  }
}

/** The LSP position of the `nth` occurrence of `needle` in `text`, plus `delta` characters. */
export function positionOf(text: string, needle: string, delta = 0, nth = 0): { line: number; character: number } {
  let at = -1;
  for (let i = 0; i <= nth; i++) {
    at = text.indexOf(needle, at + 1);
    if (at < 0) throw new Error(`${needle} not found`);
  }
  const offset = at + delta;
  const before = text.slice(0, offset);
  const line = before.split('\n').length - 1;
  return { line, character: offset - (before.lastIndexOf('\n') + 1) };
}
