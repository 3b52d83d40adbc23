/**
 * Messages between the page and the compiler worker (worker/worker.ts). Every request
 * carries the whole source: the worker keeps no state the page has to keep in sync, except
 * the weights of an imported ONNX model or a dropped safetensors file (large, sent once).
 */
import type { BoxDetails } from '../../src/graph/details.ts';
import type { GraphSummary, LayerSummary } from '../../src/check/summary.ts';

export interface SourceRequest {
  file: string;
  text: string;
  /** Sizes of the dimension symbols, as `N=1,H=224` says them. */
  bindings: Record<string, number>;
  /** The network to use when the file has several. */
  entry?: string;
}

export interface DiagItem {
  severity: 'error' | 'warning' | 'note';
  code: string;
  message: string;
  /** 1-based, as `netc check` prints them. */
  line: number;
  column: number;
  /** Offsets into the source, for the editor's underline (only for the edited file). */
  from?: number;
  to?: number;
  /** The diagnostic as `netc check` prints it (no colour). */
  text: string;
}

export interface Hint {
  /** 0-based line and character (the language server's positions). */
  line: number;
  character: number;
  label: string;
}

/** A summary row with the source line the page jumps to. */
export interface SummaryLayer extends LayerSummary {
  line: number;
}

/** `netc summary`'s table with the planned arena and weight bytes the page also shows. */
export interface SummaryData extends Omit<GraphSummary, 'layers' | 'totals'> {
  layers: SummaryLayer[];
  totals: GraphSummary['totals'] & { arenaBytes: number; weightBytes: number };
}

/** What a click on a graph box shows (the same details `netc graph --format html` has). */
export type NodeDetails = BoxDetails;

export interface GraphData {
  svg?: string;
  /** By view item id (the SVG's data-id). */
  boxes: Record<string, NodeDetails>;
  /** Expanded block clusters: view item id to instance name. */
  clusters: Record<string, string>;
  /** Fusion marks present in the picture (optimised view). */
  legend: string[];
  depth: number;
  maxDepth: number;
}

export interface RunResult {
  buildMs: number;
  runMs: number[];
  outputName: string;
  outputShape: number[];
  stats: { min: number; max: number; mean: number; std: number };
  first: number[];
  top5?: { index: number; value: number }[];
  /** RGBA pixels of the first image of an image-shaped output ([1, 3, H, W] or [1, 1, H, W]). */
  image?: { width: number; height: number; rgba: Uint8ClampedArray };
  wasmBytes: number;
}

export type Request =
  | ({ kind: 'analyze' } & SourceRequest)
  | ({ kind: 'summary' } & SourceRequest)
  | ({ kind: 'hover'; offset: number } & SourceRequest)
  | ({ kind: 'complete'; offset: number } & SourceRequest)
  | { kind: 'format'; file: string; text: string }
  | ({ kind: 'graph'; expanded: string[]; optimized: boolean } & SourceRequest)
  | ({ kind: 'build'; seed: number; runs: number } & SourceRequest)
  | { kind: 'weights'; name: string; bytes: Uint8Array }
  | { kind: 'importOnnx'; name: string; bytes: Uint8Array }
  | ({ kind: 'exportOnnx' } & SourceRequest);

export interface Responses {
  analyze: { diagnostics: DiagItem[]; hints: Hint[]; ms: number };
  summary: { summary?: SummaryData; diagnostics: DiagItem[]; ms: number };
  hover: { markdown?: string };
  complete: { items: { label: string; detail?: string; kind: string }[] };
  format: { text?: string; diagnostics: DiagItem[] };
  graph: { graph?: GraphData; diagnostics: DiagItem[]; ms: number };
  build: { run?: RunResult; wasm?: Uint8Array; loader?: string; dts?: string; diagnostics: DiagItem[] };
  weights: { tensors: number; diagnostics: DiagItem[] };
  importOnnx: { source?: string; diagnostics: DiagItem[] };
  exportOnnx: { onnx?: Uint8Array; diagnostics: DiagItem[] };
}

export type Response<K extends Request['kind']> = Responses[K];

export interface Envelope {
  id: number;
  request: Request;
}

export interface Reply {
  id: number;
  result?: unknown;
  error?: string;
}
