/**
 * The page's side of the worker protocol: `ask(request)` posts it and resolves with the
 * worker's reply. Typed by request kind, so each panel gets the response it asked for.
 */
import type { Envelope, Reply, Request, Response } from './protocol.ts';

export class CompilerClient {
  private readonly worker: Worker;
  private next = 0;
  private readonly waiting = new Map<number, { ok: (v: unknown) => void; fail: (e: Error) => void }>();

  constructor(url: URL) {
    this.worker = new Worker(url, { type: 'module' });
    this.worker.onmessage = (ev: MessageEvent<Reply>): void => {
      const w = this.waiting.get(ev.data.id);
      if (!w) return;
      this.waiting.delete(ev.data.id);
      if (ev.data.error !== undefined) w.fail(new Error(ev.data.error));
      else w.ok(ev.data.result);
    };
  }

  ask<R extends Request>(request: R): Promise<Response<R['kind']>> {
    const id = this.next++;
    return new Promise((ok, fail) => {
      this.waiting.set(id, { ok: ok as (v: unknown) => void, fail });
      const envelope: Envelope = { id, request };
      this.worker.postMessage(envelope);
    });
  }
}
