/**
 * Hover: the inferred shape of a value (per block instance when they differ), the output
 * shape of a pipeline stage, a parameter's type and values, and for an operator or block at
 * the cursor its signature, documentation and arguments.
 */
import type { HoverInfo } from '../check/check.ts';
import { dimToString } from '../ir/dim/dim.ts';
import { typeText } from '../check/types.ts';
import type * as A from '../syntax/ast.ts';
import type { Span } from '../diag/span.ts';
import { blockMarkdown, opMarkdown, tensorTypeText } from './describe.ts';
import { instancesMarkdown, stageOfLabelOrCall } from './instances.ts';
import { nodesAt } from './locate.ts';
import { spanToRange, type LspRange } from './positions.ts';
import { resolveCallee, targetAt, type Target } from './resolve.ts';
import type { Analysis } from './workspace.ts';

export interface HoverResult {
  contents: { kind: 'markdown'; value: string };
  range: LspRange;
}

const MAX_INSTANCES = 8;

function sameSpan(a: Span, b: Span): boolean {
  return a.file === b.file && a.start.offset === b.start.offset && a.end.offset === b.end.offset;
}

function infoText(h: HoverInfo): string {
  if (h.shape) return `[${h.shape.map(dimToString).join(', ')}]`;
  return h.scalar ?? '?';
}

/** The values recorded at a span, one line per distinct value (with the instances when they differ). */
export function recordedValues(a: Analysis, span: Span, name?: string): string[] {
  const found = a.check.hovers.filter((h) => sameSpan(h.span, span) && (name === undefined || h.name === undefined || h.name === name));
  if (found.length === 0) return [];
  const distinct = new Map<string, HoverInfo[]>();
  for (const h of found) {
    const t = infoText(h);
    distinct.set(t, [...(distinct.get(t) ?? []), h]);
  }
  if (distinct.size === 1) return [...distinct.keys()];
  const lines: string[] = [];
  for (const h of found.slice(0, MAX_INSTANCES)) {
    const where = [h.network, h.instance].filter(Boolean).join('.');
    lines.push(`${where}: ${infoText(h)}`);
  }
  if (found.length > MAX_INSTANCES) lines.push(`… and ${found.length - MAX_INSTANCES} more instances`);
  return lines;
}

function code(lines: string[]): string {
  return ['```net', ...lines, '```'].join('\n');
}

function localHover(a: Analysis, t: Extract<Target, { kind: 'local' }>): string {
  const l = t.local;
  const values = recordedValues(a, l.span, l.name);
  const head = `(${l.kind}) ${l.name}`;
  const decl = l.decl;
  if (decl.kind === 'ParamDecl') {
    const type = `${l.name}: ${typeText(decl.type)}${decl.default ? ` = ${a.text.slice(decl.default.span.start.offset, decl.default.span.end.offset)}` : ''}`;
    return [code([type]), ...(values.length > 0 ? ['', `value: ${values.length === 1 ? `\`${values[0]}\`` : `\n${code(values)}`}`] : [])].join('\n');
  }
  if (values.length === 1) return [code([`${l.name}: ${values[0]}`]), head].join('\n');
  if (values.length > 1) return [code([`${l.name}:`, ...values.map((v) => `  ${v}`)]), head].join('\n');
  if ((decl.kind === 'InDecl' || decl.kind === 'LetStmt' || decl.kind === 'OutDecl') && decl.type && l.kind !== 'dimension') {
    return [code([`${l.name}: ${tensorTypeText(decl.type, a.text)}`]), `${head} (declared; not instantiated by any network here)`].join('\n');
  }
  return code([head]);
}

function targetMarkdown(a: Analysis, t: Target, sourceOf: (path: string) => string | undefined): string | undefined {
  switch (t.kind) {
    case 'op':
      return opMarkdown(t.spelling, t.def);
    case 'local':
      return localHover(a, t);
    case 'top': {
      const item = t.item;
      if (item.kind === 'block') return blockMarkdown(item.decl, item.module.ast, sourceOf(item.module.path));
      const values = recordedValues(a, item.decl.name.span);
      return code([`const ${item.decl.name.name}${values.length === 1 ? ` = ${values[0]}` : ''}`]);
    }
  }
}

/**
 * A stage's label: the full instance name it gives in each network and block instance, and
 * the weights of that instance (their names are the keys of a weight file).
 */
function labelMarkdown(a: Analysis, span: Span): string {
  const found = a.check.hovers.filter((h) => h.instanceName !== undefined && sameSpan(h.span, span));
  if (found.length === 0) return '(label; not instantiated by any network here)';
  const names = [...new Set(found.map((h) => h.instanceName!))];
  const lines = names.slice(0, MAX_INSTANCES).map((n) => `instance ${n}`);
  if (names.length > MAX_INSTANCES) lines.push(`… and ${names.length - MAX_INSTANCES} more instances`);
  const first = found[0]!;
  const graph = a.check.graphs.find((g) => g.name === first.network);
  const node = graph?.nodes.find((x) => x.name === first.instanceName);
  if (node) {
    for (const p of Object.values(node.params)) lines.push(`  ${p.name}: [${p.shape.map(dimToString).join(', ')}]`);
  } else if (graph) {
    const inside = graph.nodes.flatMap((x) => (x.name.startsWith(`${first.instanceName}.`) ? Object.values(x.params) : []));
    if (inside.length > 0) lines.push(`  ${inside.length} weights under ${first.instanceName}.`);
  }
  return code(lines);
}

/** The innermost stage around the cursor, and the output shapes recorded for it. */
function stageShapes(a: Analysis, path: A.Node[]): string[] {
  for (let i = path.length - 1; i >= 0; i--) {
    const n = path[i]!;
    if (n.kind === 'Stage') return recordedValues(a, n.span);
  }
  return [];
}

/** `others`: analyses of other open documents, whose networks may instantiate this file's blocks. */
export function hoverAt(a: Analysis, offset: number, sourceOf: (path: string) => string | undefined, others: Analysis[] = []): HoverResult | undefined {
  const found = targetAt(a, offset);
  const path = found?.path ?? nodesAt(a.ast, offset);
  const parts: string[] = [];
  let range: Span | undefined = found?.span;
  if (found) {
    const t = found.target;
    const md = targetMarkdown(a, t, sourceOf);
    if (md) parts.push(md);
    const parent = path[path.length - 2];
    if (parent && parent.kind === 'CallStage') {
      const shapes = stageShapes(a, path);
      if (shapes.length > 0) parts.push(`output: ${shapes.length === 1 ? `\`${shapes[0]}\`` : `\n${code(shapes)}`}`);
    }
  } else {
    const n = path[path.length - 1];
    const parent = path[path.length - 2];
    // A named argument: the callee's documentation of it.
    if (n?.kind === 'Ident' && parent?.kind === 'Arg' && parent.name === n) {
      const call = path[path.length - 3];
      if (call && (call.kind === 'CallStage' || call.kind === 'CallExpr')) {
        const callee = resolveCallee(a, call.callee.name);
        if (callee?.kind === 'op') {
          const spec = callee.def.args.find((x) => x.name === n.name || x.aliases?.includes(n.name));
          if (spec) parts.push(`${code([`${spec.name}: ${spec.type}`])}\n${spec.doc}`);
        } else if (callee?.kind === 'top' && callee.item.kind === 'block') {
          const p = callee.item.decl.params.find((x) => x.name.name === n.name);
          if (p) parts.push(code([`${p.name.name}: ${typeText(p.type)}`]));
        }
        range = n.span;
      }
    } else if (n && parent?.kind === 'Stage' && parent.label === n) {
      parts.push(labelMarkdown(a, n.span));
      const shapes = recordedValues(a, parent.span);
      if (shapes.length > 0) parts.push(`output: ${shapes.length === 1 ? `\`${shapes[0]}\`` : `\n${code(shapes)}`}`);
      range = n.span;
    } else {
      const shapes = stageShapes(a, path);
      if (shapes.length > 0) {
        parts.push(`stage output:\n${code(shapes)}`);
        range = [...path].reverse().find((x) => x.kind === 'Stage')!.span;
      }
    }
  }
  // A label or a call: what each instance of the stage became (weights, parameters, MACs).
  const stage = stageOfLabelOrCall(path);
  const instances = stage ? instancesMarkdown([a, ...others], stage) : undefined;
  if (instances && stage) {
    parts.push(instances);
    range ??= stage.span;
  }
  if (parts.length === 0 || !range) return undefined;
  return { contents: { kind: 'markdown', value: parts.join('\n\n') }, range: spanToRange(range) };
}
