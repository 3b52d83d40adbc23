/**
 * The graph panel: the viewer shared with `netc graph --format html` (src/graph/viewer.ts),
 * fed by the worker, which lays out again with the blocks the user opened. The optimised
 * view shows the fused groups and a legend of the fusions.
 */
import { mountGraphViewer } from '../../../src/graph/viewer.ts';
import type { CompilerClient } from '../client.ts';
import type { SourceRequest } from '../protocol.ts';

export class GraphPanel {
  private readonly expanded = new Set<string>();
  private readonly viewer;
  private readonly status: HTMLElement;
  private optimized = false;
  private last: SourceRequest | undefined;
  private serial = 0;
  /** The instance opened last, brought into view when the new picture arrives. */
  private focus: string | undefined;

  constructor(root: HTMLElement, private readonly client: CompilerClient, jump: (line: number) => void) {
    const opts = document.createElement('label');
    opts.className = 'graph-opts';
    const box = document.createElement('input');
    box.type = 'checkbox';
    box.dataset['testid'] = 'graph-optimized';
    box.onchange = () => {
      this.optimized = box.checked;
      void this.refresh();
    };
    opts.append(box, ' optimized');
    this.status = document.createElement('span');
    this.status.className = 'muted';
    this.status.dataset['testid'] = 'graph-status';
    const host = document.createElement('div');
    host.className = 'graph-host';
    root.append(host);
    this.viewer = mountGraphViewer(host, {
      expand: (i) => {
        this.expanded.add(i);
        this.focus = i;
        void this.refresh();
      },
      collapse: (i) => {
        for (const e of [...this.expanded]) if (e === i || e.startsWith(`${i}.`)) this.expanded.delete(e);
        void this.refresh();
      },
      jump,
    });
    host.querySelector('.gv-bar')?.append(opts, this.status);
  }

  /** A new network (another example or an import): every block closed again. */
  reset(): void {
    this.expanded.clear();
  }

  async update(req: SourceRequest): Promise<void> {
    this.last = req;
    await this.refresh();
  }

  private async refresh(): Promise<void> {
    if (!this.last) return;
    const serial = ++this.serial;
    const r = await this.client.ask({ kind: 'graph', ...this.last, expanded: [...this.expanded], optimized: this.optimized });
    if (serial !== this.serial) return;
    if (r.graph?.svg) {
      this.viewer.show({ svg: r.graph.svg, boxes: r.graph.boxes, clusters: r.graph.clusters, legend: r.graph.legend }, this.focus);
      this.focus = undefined;
      this.status.textContent = `laid out in ${r.ms.toFixed(0)} ms`;
    } else {
      this.status.textContent = r.diagnostics.find((d) => d.severity === 'error')?.message ?? 'no picture';
    }
    document.body.dataset['graphSerial'] = String(serial);
  }
}
