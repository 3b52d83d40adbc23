/**
 * The interactive graph viewer, in the browser: pan (drag) and zoom (wheel, buttons), search
 * by name, click a box for its details (graph/details.ts), expand a collapsed block
 * (double-click or the details' button) and close an expanded one, a legend of fusion marks.
 * Used by the playground and by `netc graph --format html` (graph/html.ts).
 *
 * `mountGraphViewer` uses nothing outside its own body: html.ts writes its source text into
 * the self-contained page, so it must not call module-level helpers or imports.
 */
import type { BoxDetails } from './details.ts';

export interface ViewerData {
  svg: string;
  boxes: Record<string, BoxDetails>;
  clusters: Record<string, string>;
  legend: string[];
}

export interface ViewerHooks {
  /** Open a collapsed block instance. */
  expand(instance: string): void;
  /** Close an expanded block instance. */
  collapse(instance: string): void;
  /** A source line was clicked (the playground moves its editor there). */
  jump?(line: number): void;
}

export interface GraphViewer {
  /** Draw `data`; `focus`: an instance just opened, brought into view. */
  show(data: ViewerData, focus?: string): void;
}

/** The viewer's look, shared with the playground's stylesheet (which adds its own layout). */
export const VIEWER_CSS = `
.gv { position: relative; display: grid; grid-template-rows: auto 1fr auto; grid-template-columns: 1fr 18rem; height: 100%; font: 13px system-ui, sans-serif; }
.gv-bar { grid-column: 1 / 3; display: flex; gap: 4px; padding: 4px; border-bottom: 1px solid #ccd; }
.gv-search { flex: 1; max-width: 20rem; }
.gv-stage { overflow: hidden; position: relative; cursor: grab; background: #fff; }
.gv-canvas { transform-origin: 0 0; position: absolute; left: 0; top: 0; }
.gv-canvas g.box, .gv-canvas .gv-closable { cursor: pointer; }
.gv-canvas g.gv-hit rect { stroke: #d0021b; stroke-width: 3; }
.gv-canvas g.gv-selected rect { fill: #fff7c2; }
.gv-details { overflow: auto; padding: 6px 10px; border-left: 1px solid #ccd; }
.gv-details h3 { margin: 4px 0; word-break: break-all; }
.gv-details table { border-collapse: collapse; font-size: 12px; }
.gv-details th { text-align: left; padding-right: 8px; font-weight: 600; vertical-align: top; word-break: break-all; }
.gv-weights td { white-space: nowrap; }
.gv-op { font-family: monospace; margin-bottom: 4px; }
.gv-mark { display: inline-block; margin: 2px 4px 2px 0; padding: 1px 6px; background: #fde9c9; border: 1px solid #c77c02; border-radius: 8px; font-size: 12px; }
.gv-legend { grid-column: 1 / 3; padding: 4px; border-top: 1px solid #ccd; min-height: 1.2em; }
`;

export function mountGraphViewer(root: HTMLElement, hooks: ViewerHooks): GraphViewer {
  const el = <K extends keyof HTMLElementTagNameMap>(tag: K, cls: string, text?: string): HTMLElementTagNameMap[K] => {
    const e = document.createElement(tag);
    e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  };
  root.classList.add('gv');
  const bar = el('div', 'gv-bar');
  const search = el('input', 'gv-search');
  search.type = 'search';
  search.placeholder = 'search names';
  search.dataset['testid'] = 'graph-search';
  const zoomIn = el('button', 'gv-zoom', '+');
  const zoomOut = el('button', 'gv-zoom', '−');
  const fit = el('button', 'gv-fit', 'fit');
  bar.append(search, zoomIn, zoomOut, fit);
  const stage = el('div', 'gv-stage');
  const canvas = el('div', 'gv-canvas');
  stage.append(canvas);
  const details = el('aside', 'gv-details');
  details.dataset['testid'] = 'node-details';
  details.textContent = 'Click a box for its details; double-click a block to open it.';
  const legend = el('div', 'gv-legend');
  root.append(bar, stage, details, legend);

  let data: ViewerData | undefined;
  let scale = 1;
  let tx = 0;
  let ty = 0;
  const apply = (): void => {
    canvas.style.transform = `translate(${tx}px, ${ty}px) scale(${scale})`;
  };
  const zoomAt = (factor: number, cx: number, cy: number): void => {
    const s = Math.min(4, Math.max(0.05, scale * factor));
    tx = cx - ((cx - tx) * s) / scale;
    ty = cy - ((cy - ty) * s) / scale;
    scale = s;
    apply();
  };
  const fitAll = (): void => {
    const svg = canvas.querySelector('svg');
    if (!svg) return;
    const w = Number(svg.getAttribute('width')) || 1;
    const h = Number(svg.getAttribute('height')) || 1;
    const r = stage.getBoundingClientRect();
    // Fit the width (a deep network is tall: its top is shown, legibly, and the rest by panning).
    scale = Math.max(0.35, Math.min(1, (r.width || 600) / w));
    tx = Math.max(0, ((r.width || 600) - w * scale) / 2);
    ty = 0;
    apply();
  };
  zoomIn.onclick = () => zoomAt(1.25, stage.clientWidth / 2, stage.clientHeight / 2);
  zoomOut.onclick = () => zoomAt(0.8, stage.clientWidth / 2, stage.clientHeight / 2);
  fit.onclick = fitAll;
  stage.addEventListener('wheel', (ev) => {
    ev.preventDefault();
    const r = stage.getBoundingClientRect();
    zoomAt(ev.deltaY < 0 ? 1.1 : 1 / 1.1, ev.clientX - r.left, ev.clientY - r.top);
  }, { passive: false });
  let drag: { x: number; y: number; moved: boolean } | undefined;
  stage.addEventListener('pointerdown', (ev) => {
    drag = { x: ev.clientX, y: ev.clientY, moved: false };
  });
  stage.addEventListener('pointermove', (ev) => {
    if (!drag || (ev.buttons & 1) === 0) return;
    const dx = ev.clientX - drag.x;
    const dy = ev.clientY - drag.y;
    if (!drag.moved && Math.abs(dx) + Math.abs(dy) < 4) return;
    drag.moved = true;
    tx += dx;
    ty += dy;
    drag.x = ev.clientX;
    drag.y = ev.clientY;
    apply();
  });

  const row = (k: string, v: string): HTMLElement => {
    const tr = el('tr', '');
    tr.append(el('th', '', k), el('td', '', v));
    return tr;
  };
  const fmt = (n: number): string => n.toLocaleString('en-US');
  const showDetails = (id: string): void => {
    const d = data?.boxes[id];
    if (!d) return;
    canvas.querySelectorAll('.gv-selected').forEach((e) => e.classList.remove('gv-selected'));
    canvas.querySelector(`[data-id="${id}"]`)?.classList.add('gv-selected');
    details.replaceChildren();
    details.append(el('h3', '', d.title), el('div', 'gv-op', d.ops.join(', ')));
    const table = el('table', '');
    for (const [k, v] of Object.entries(d.attrs)) table.append(row(k, v));
    table.append(row('params', fmt(d.params)), row('MACs', fmt(d.macs)));
    details.append(table);
    if (d.weights.length > 0) {
      const wt = el('table', 'gv-weights');
      wt.dataset['testid'] = 'weights';
      for (const w of d.weights) wt.append(row(w.name, `[${w.shape.join(', ')}]`));
      details.append(el('h4', '', 'weights'), wt);
    }
    for (const m of d.marks) details.append(el('div', 'gv-mark', m));
    if (d.line > 0) {
      const a = el('a', 'gv-line', `${d.file.slice(d.file.lastIndexOf('/') + 1)}:${d.line}`);
      a.href = '#';
      a.onclick = (ev) => {
        ev.preventDefault();
        hooks.jump?.(d.line);
      };
      details.append(a);
    }
    if (d.instance) {
      const b = el('button', 'gv-expand', `open ${d.instance}`);
      b.dataset['testid'] = 'expand';
      b.onclick = () => hooks.expand(d.instance!);
      details.append(b);
    }
  };

  canvas.addEventListener('click', (ev) => {
    if (drag?.moved) return;
    const target = ev.target as Element;
    const box = target.closest('g.box[data-id]');
    if (box) {
      showDetails(box.getAttribute('data-id')!);
      const d = data?.boxes[box.getAttribute('data-id')!];
      if (d && d.line > 0) hooks.jump?.(d.line);
      return;
    }
    const cluster = target.closest('g.cluster[data-id]');
    const inst = cluster && data?.clusters[cluster.getAttribute('data-id')!];
    if (inst && target.tagName === 'text') hooks.collapse(inst);
  });
  canvas.addEventListener('dblclick', (ev) => {
    const box = (ev.target as Element).closest('g.box[data-id]');
    const d = box && data?.boxes[box.getAttribute('data-id')!];
    if (d && d.instance) hooks.expand(d.instance);
  });

  search.addEventListener('input', () => {
    const q = search.value.trim().toLowerCase();
    canvas.querySelectorAll('.gv-hit').forEach((e) => e.classList.remove('gv-hit'));
    if (!q || !data) return;
    let first: Element | undefined;
    for (const [id, d] of Object.entries(data.boxes)) {
      if (!`${d.title} ${d.ops.join(' ')} ${d.instance ?? ''}`.toLowerCase().includes(q)) continue;
      const g = canvas.querySelector(`[data-id="${id}"]`);
      if (!g) continue;
      g.classList.add('gv-hit');
      first ??= g;
    }
    if (first) {
      const r = first.getBoundingClientRect();
      const s = stage.getBoundingClientRect();
      tx += s.left + s.width / 2 - (r.left + r.width / 2);
      ty += s.top + s.height / 2 - (r.top + r.height / 2);
      apply();
    }
  });

  return {
    show(next: ViewerData, focus?: string): void {
      const first = data === undefined;
      data = next;
      canvas.innerHTML = next.svg;
      for (const cl of canvas.querySelectorAll('g.cluster[data-id]')) {
        const inst = next.clusters[cl.getAttribute('data-id')!];
        if (inst) cl.querySelector('text')?.setAttribute('class', 'gv-closable');
      }
      legend.replaceChildren();
      if (next.legend.length > 0) {
        legend.append(el('b', '', 'fusions: '));
        for (const m of next.legend) legend.append(el('span', 'gv-mark', m));
      }
      if (first) fitAll();
      const id = focus === undefined ? undefined : Object.keys(next.clusters).find((k) => next.clusters[k] === focus);
      const g = id === undefined ? null : canvas.querySelector(`g.cluster[data-id="${id}"]`);
      if (g) {
        const r = g.getBoundingClientRect();
        const s = stage.getBoundingClientRect();
        // Centred when it fits, else its left edge in view (where its first branch is).
        tx += r.width < s.width ? s.left + s.width / 2 - (r.left + r.width / 2) : s.left + 16 - r.left;
        ty += s.top + 24 - r.top;
        apply();
      }
    },
  };
}
