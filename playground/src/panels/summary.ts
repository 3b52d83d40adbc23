/**
 * The summary panel: `netc summary`'s table (names, operators, shapes, parameters, MACs),
 * totals and the memory plan. Clicking a row moves the editor to the layer's line.
 */
import type { SummaryData } from '../protocol.ts';

const num = (n: number): string => n.toLocaleString('en-US');
const bytes = (n: number): string => (n >= 1 << 20 ? `${(n / (1 << 20)).toFixed(1)} MiB` : `${(n / 1024).toFixed(1)} KiB`);
const shape = (s: readonly number[]): string => `[${s.join(', ')}]`;

function cell(tag: 'td' | 'th', text: string, cls = ''): HTMLElement {
  const c = document.createElement(tag);
  c.textContent = text;
  if (cls) c.className = cls;
  return c;
}

export function renderSummary(root: HTMLElement, s: SummaryData | undefined, note: string, jump: (line: number) => void): void {
  root.replaceChildren();
  if (!s) {
    root.append(cell('td', note || 'No summary: the network has errors, or sizes to bind.', 'muted'));
    return;
  }
  const totals = document.createElement('div');
  totals.className = 'totals';
  totals.dataset['testid'] = 'summary-totals';
  const t = s.totals;
  totals.textContent =
    `${s.entry}: ${num(t.params)} parameters, ${num(t.macs)} MACs · weights ${bytes(t.weightBytes)} · ` +
    `peak activations ${bytes(t.peakActivationBytes)} · planned arena ${bytes(t.arenaBytes)}`;
  const table = document.createElement('table');
  table.dataset['testid'] = 'summary-table';
  const head = document.createElement('tr');
  for (const h of ['layer', 'op', 'output shape', 'params', 'MACs']) head.append(cell('th', h));
  table.append(head);
  for (const l of s.layers) {
    const tr = document.createElement('tr');
    tr.append(cell('td', l.name), cell('td', l.op), cell('td', shape(l.shape)), cell('td', num(l.params), 'n'), cell('td', num(l.macs), 'n'));
    tr.onclick = () => jump(l.line);
    table.append(tr);
  }
  const foot = document.createElement('tr');
  foot.className = 'total';
  foot.append(cell('td', 'total'), cell('td', ''), cell('td', s.outputs.map((o) => shape(o.shape)).join(' ')), cell('td', num(t.params), 'n'), cell('td', num(t.macs), 'n'));
  table.append(foot);
  root.append(totals, table);
}
