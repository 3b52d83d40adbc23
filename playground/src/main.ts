/**
 * The playground page: the editor on the left with its diagnostics, summary / graph / run
 * panels on the right, the compiler in a worker. Each edit is checked at once (diagnostics
 * and inlay hints); the summary and the picture follow when typing pauses.
 */
import type { EditorView } from '@codemirror/view';
import { VIEWER_CSS } from '../../src/graph/viewer.ts';
import { CompilerClient } from './client.ts';
import { onFiles } from './drop.ts';
import { createEditor, jumpToLine, replaceText, showAnalysis } from './editor/editor.ts';
import { menuEntries } from './examples.ts';
import { renderDiagnostics } from './panels/diagnostics.ts';
import { GraphPanel } from './panels/graph.ts';
import { buildAndRun } from './panels/run.ts';
import { renderSummary } from './panels/summary.ts';
import type { DiagItem, SourceRequest } from './protocol.ts';
import { readUrl, writeUrl } from './url-state.ts';

const $ = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;

/** Timings the responsiveness measurement reads (playground test, README figures). */
interface Timings {
  usableMs?: number;
  /** From the last keystroke a check covers to its result shown. */
  checkLatencyMs: number[];
  /** The worker's own time for each of those checks (the rest is messaging and waiting for a core). */
  checkWorkerMs: number[];
}
const timings: Timings = { checkLatencyMs: [], checkWorkerMs: [] };
(window as unknown as { netcTimings: Timings }).netcTimings = timings;

// Two compiler workers: one answers the editor (checks, hover, completion) and is never
// behind a layout or a build; the other draws, summarises, builds and imports.
const workerUrl = new URL('./worker.js', import.meta.url);
const checker = new CompilerClient(workerUrl);
const builder = new CompilerClient(workerUrl);
const entries = menuEntries();
const state = { file: 'googlenet.net', bind: '', entry: '' };

function parseBindings(text: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const part of text.split(',')) {
    const m = /^\s*([A-Za-z_]\w*)\s*=\s*(\d+)\s*$/.exec(part);
    if (m) out[m[1]!] = Number(m[2]);
  }
  return out;
}

let view: EditorView;
const request = (): SourceRequest => ({ file: state.file, text: view.state.doc.toString(), bindings: parseBindings(state.bind), entry: state.entry });
const jump = (line: number): void => jumpToLine(view, line);
const graph = new GraphPanel($('graph'), builder, jump);

// Checks run one at a time and always on the newest text: typing faster than the checker
// skips intermediate texts instead of queueing them.
let checking = false;
let dirtySince: number | undefined;
let lastEdit = 0;
let slowTimer: number | undefined;

async function check(): Promise<void> {
  if (checking) return;
  checking = true;
  while (dirtySince !== undefined) {
    const since = lastEdit;
    dirtySince = undefined;
    const req = request();
    const r = await checker.ask({ kind: 'analyze', ...req });
    if (dirtySince !== undefined) continue;
    showAnalysis(view, r.diagnostics, r.hints);
    renderDiagnostics($('diagnostics'), r.diagnostics, jump);
    timings.checkLatencyMs.push(performance.now() - since);
    timings.checkWorkerMs.push(r.ms);
    document.body.dataset['checked'] = String(timings.checkLatencyMs.length);
    timings.usableMs ??= performance.now();
    clearTimeout(slowTimer);
    slowTimer = window.setTimeout(() => void slowPanels(r.diagnostics), 300);
  }
  checking = false;
}

async function slowPanels(diags: readonly DiagItem[]): Promise<void> {
  void writeUrl({ text: view.state.doc.toString(), file: state.file, bind: state.bind, entry: state.entry });
  if (diags.some((d) => d.severity === 'error')) return;
  const req = request();
  const s = await builder.ask({ kind: 'summary', ...req });
  const note = s.diagnostics.filter((d) => d.severity === 'error').map((d) => d.text).join('\n');
  renderSummary($('summary'), s.summary, note, jump);
  document.body.dataset['summarized'] = String(Number(document.body.dataset['summarized'] ?? 0) + 1);
  await graph.update(req);
}

function edited(): void {
  lastEdit = performance.now();
  dirtySince ??= lastEdit;
  void check();
}

function load(text: string, file: string, bind: string, entry: string): void {
  state.file = file;
  state.bind = bind;
  state.entry = entry;
  $<HTMLInputElement>('file-name').value = file;
  $<HTMLInputElement>('bindings').value = bind;
  $<HTMLInputElement>('entry').value = entry;
  graph.reset();
  replaceText(view, text);
}

async function format(): Promise<void> {
  const r = await checker.ask({ kind: 'format', file: state.file, text: view.state.doc.toString() });
  if (r.text !== undefined && r.text !== view.state.doc.toString()) replaceText(view, r.text);
}

function status(text: string): void {
  $('status').textContent = text;
}

async function openFile(f: File): Promise<void> {
  const bytes = new Uint8Array(await f.arrayBuffer());
  if (/\.onnx$/i.test(f.name)) {
    status(`importing ${f.name}…`);
    const r = await builder.ask({ kind: 'importOnnx', name: f.name, bytes });
    if (r.source === undefined) {
      status(`${f.name}: ${r.diagnostics.map((d) => d.message).join('; ')}`);
      return;
    }
    load(r.source, f.name.replace(/\.onnx$/i, '.net'), '', '');
    status(`imported ${f.name} (its weights are used by builds and exports)`);
  } else if (/\.safetensors$/i.test(f.name)) {
    const r = await builder.ask({ kind: 'weights', name: f.name, bytes });
    status(r.diagnostics.length ? r.diagnostics[0]!.message : `weights: ${f.name} (${r.tensors} tensors)`);
  } else if (/\.net$/i.test(f.name)) {
    load(new TextDecoder().decode(bytes), f.name, '', '');
  } else status(`${f.name}: drop an .onnx, .safetensors or .net file`);
}

async function exportOnnx(): Promise<void> {
  const r = await builder.ask({ kind: 'exportOnnx', ...request() });
  if (!r.onnx) {
    status(r.diagnostics.find((d) => d.severity === 'error')?.message ?? 'export failed');
    return;
  }
  const a = document.createElement('a');
  a.href = URL.createObjectURL(new Blob([new Uint8Array(r.onnx)], { type: 'application/octet-stream' }));
  a.download = state.file.replace(/\.net$/, '') + '.onnx';
  a.click();
  status(`exported ${a.download} (${(r.onnx.length / 1024).toFixed(0)} KiB)`);
}

function setupTabs(): void {
  for (const tab of document.querySelectorAll<HTMLButtonElement>('[data-tab]')) {
    tab.onclick = () => {
      for (const t of document.querySelectorAll<HTMLElement>('[data-tab]')) t.classList.toggle('active', t === tab);
      for (const p of document.querySelectorAll<HTMLElement>('.panel')) p.hidden = p.id !== `panel-${tab.dataset['tab']}`;
    };
  }
}

async function main(): Promise<void> {
  const css = document.createElement('style');
  css.textContent = VIEWER_CSS;
  document.head.append(css);
  const menu = $<HTMLSelectElement>('examples');
  for (const e of entries) menu.append(new Option(e.label, e.file));
  const fromUrl = await readUrl();
  const first = entries.find((e) => e.file === 'googlenet.net') ?? entries[0]!;
  view = createEditor($('editor'), '', { client: checker, file: () => state.file, bindings: () => parseBindings(state.bind), onChange: edited, format: () => void format() });
  if (fromUrl) load(fromUrl.text, fromUrl.file, fromUrl.bind, fromUrl.entry);
  else load(first.text, first.file, first.bindings, first.entry);
  menu.value = state.file;
  menu.onchange = () => {
    const e = entries.find((x) => x.file === menu.value);
    if (!e) return;
    // An example has no weights of its own: builds go back to random weights.
    void builder.ask({ kind: 'weights', name: '', bytes: new Uint8Array() });
    status('random weights (seed 1) for builds');
    load(e.text, e.file, e.bindings, e.entry);
  };
  const field = (id: string, key: 'file' | 'bind' | 'entry'): void => {
    $<HTMLInputElement>(id).onchange = (ev) => {
      state[key] = (ev.target as HTMLInputElement).value;
      edited();
    };
  };
  field('file-name', 'file');
  field('bindings', 'bind');
  field('entry', 'entry');
  $('format').onclick = () => void format();
  $('export').onclick = () => void exportOnnx();
  $('run-button').onclick = () => void buildAndRun(builder, request(), $('output'));
  onFiles(document.body, $<HTMLInputElement>('file-input'), (f) => void openFile(f));
  setupTabs();
}

void main();
