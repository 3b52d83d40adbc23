/**
 * Instance names an imported graph can be written with. A label is an identifier or digits
 * (`features.0.0`), or any word, keywords included (`block`), so nearly every PyTorch name is
 * written as it is and its weights keep their `state_dict` keys. A name segment the language
 * cannot spell (`conv-1`, the `_` that means "no namespace") is renamed, and the renaming is returned as
 * weight-map rules from the original weight names, so that the original weights still load.
 * When the hierarchy itself cannot be written as blocks, `flattenNames` puts every layer at
 * the top level under one identifier each, again with rules for the weights.
 */
import type { Graph, Node, WeightStore } from '../../ir/graph.ts';
import { isIdent } from './sourceNames.ts';

/** A rename of one weight: `from` in the original model, `to` in the written `.net` source. */
export interface WeightRename {
  from: string;
  to: string;
}

const DIGITS = /^[0-9]+$/;
const WORD = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** A name segment a stage label can give: a word (a keyword too, not `_`) or digits. */
export const isLabel = (s: string): boolean => DIGITS.test(s) || (WORD.test(s) && s !== '_');

/** The closest identifier to `s`: other characters become `_`, a keyword or `_` gets a `_` appended (a flattened name is not only a label). */
function identFor(s: string): string {
  let id = s.replace(/[^A-Za-z0-9_]/g, '_');
  if (id === '' || /^[0-9]/.test(id)) id = `_${id}`;
  return isIdent(id) && id !== '_' ? id : `${id}_`;
}

/** `base`, or `base_2`, `base_3`, ...: the first not in `taken`, which it joins. */
function unique(base: string, taken: Set<string>): string {
  let name = base;
  for (let i = 2; taken.has(name); i++) name = `${base}_${i}`;
  taken.add(name);
  return name;
}

/** The graph with node names renamed by `rename`, its weights under the new names, and the rules. */
function renameNodes(graph: Graph<number>, weights: WeightStore, rename: (n: Node<number>) => string) {
  const renamed: WeightRename[] = [];
  const out: WeightStore = new Map(weights);
  const nodes = graph.nodes.map((n) => {
    const name = rename(n);
    if (name === n.name) return n;
    const params = Object.fromEntries(Object.entries(n.params).map(([role, p]) => {
      const to = `${name}.${role}`;
      renamed.push({ from: p.name, to });
      const t = out.get(p.name);
      out.delete(p.name);
      if (t) out.set(to, t);
      return [role, { ...p, name: to }];
    }));
    return { ...n, name, params };
  });
  const byProducer = new Map(nodes.map((n) => [n.outputs[0]!, n.name]));
  const values = graph.values.map((v) => {
    const producer = byProducer.get(v.id);
    return producer !== undefined && v.name.endsWith('.out') ? { ...v, name: `${producer}.out` } : v;
  });
  return { graph: { ...graph, nodes, values }, weights: out, renamed };
}

/**
 * Every segment of every node name made a label. A renamed segment is renamed the same way
 * wherever its namespace appears, and never onto a name its namespace already uses.
 */
export function spellableNames(graph: Graph<number>, weights: WeightStore) {
  const children = new Map<string, Set<string>>();
  for (const n of graph.nodes) {
    const segs = n.name.split('.');
    segs.forEach((s, i) => {
      const parent = segs.slice(0, i).join('.');
      if (!children.has(parent)) children.set(parent, new Set());
      children.get(parent)!.add(s);
    });
  }
  const chosen = new Map<string, string>();
  const respell = (parent: string, seg: string): string => {
    if (isLabel(seg)) return seg;
    const key = `${parent}\u0000${seg}`;
    let to = chosen.get(key);
    if (to === undefined) {
      to = unique(identFor(seg), children.get(parent)!);
      chosen.set(key, to);
    }
    return to;
  };
  return renameNodes(graph, weights, (n) => {
    const segs = n.name.split('.');
    return segs.map((s, i) => respell(segs.slice(0, i).join('.'), s)).join('.');
  });
}

/** Every layer at the top level, named by one identifier made of its name's segments. */
export function flattenNames(graph: Graph<number>, weights: WeightStore) {
  const taken = new Set<string>();
  return renameNodes(graph, weights, (n) => unique(identFor(n.name.replace(/\./g, '_')), taken));
}

/** Rules that take each original name to its final one, through two renamings. */
export function composeRenames(first: WeightRename[], second: WeightRename[]): WeightRename[] {
  const after = new Map(second.map((r) => [r.from, r.to]));
  const out = first.map((r) => ({ from: r.from, to: after.get(r.to) ?? r.to }));
  const covered = new Set(first.map((r) => r.to));
  for (const r of second) if (!covered.has(r.from)) out.push(r);
  return out.filter((r) => r.from !== r.to);
}
