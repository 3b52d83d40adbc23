/**
 * IR graph -> idiomatic `.net` source that checks back to the same graph: same shapes, same
 * weight names. Hierarchical instance names decide the structure:
 *
 * - a name segment shared by several nodes (`inception.p2_2`, `conv0._conv`) is a block
 *   instance `inception: Inception()`; groups with the same structure share one block, with
 *   parameters for the arguments that differ between them (`ConvBN(c, k, pad)`);
 * - numbered children forming a chain (`main.0` ... `main.13`) are `main: seq { ... }`,
 *   PyTorch's nn.Sequential;
 * - a value read once by the next layer is piped (`|>`), anything else gets a name;
 * - weighted layers are labelled with their last name segment, so the checker derives the
 *   original weight names.
 */
import type { Graph, Node, ValueId } from '../../ir/graph.ts';
import { formatArg, opCall, SourceProblem, type ArgValue, type CallArg } from './sourceCalls.ts';
import { isIdent, valueName } from './sourceNames.ts';
import { planDefs, Template, type BlockDef, type GroupInstance } from './sourceTemplate.ts';
import { isLabel } from './spelling.ts';


interface Unit {
  kind: 'op' | 'group' | 'seq' | 'repeat';
  /** Relative name segment (label) of the unit. */
  segment: string;
  nodes: Node<number>[];
  inputs: ValueId[];
  /** The single output; -1 for a group with several (`outputs`). */
  output: ValueId;
  outputs: ValueId[];
  /** repeat: the iteration count and the first iteration's group. */
  count?: number;
  body?: Unit;
}

/** External inputs (in order of first read) and outputs of a set of nodes. */
function boundary(graph: Graph<number>, nodes: Node<number>[], readers: Map<ValueId, Set<number>>, graphOutputs: Set<ValueId>) {
  const inside = new Set(nodes.map((n) => n.id));
  const produced = new Set(nodes.flatMap((n) => n.outputs));
  const inputs: ValueId[] = [];
  for (const n of nodes) for (const v of n.inputs) if (!produced.has(v) && !inputs.includes(v)) inputs.push(v);
  const outputs = [...produced].filter((v) => graphOutputs.has(v) || [...(readers.get(v) ?? [])].some((r) => !inside.has(r)));
  void graph;
  return { inputs, outputs };
}

/** The language's infix form of the operators that combine two tensors. */
const INFIX: Record<string, string> = { add: '+', sub: '-', mul: '*', div: '/' };

const DIM_NAMES: Record<number, string[]> = { 2: ['N', 'F'], 3: ['N', 'C', 'L'], 4: ['N', 'C', 'H', 'W'], 5: ['N', 'C', 'D', 'H', 'W'] };

class SourceWriter {
  readonly readers = new Map<ValueId, Set<number>>();
  readonly graphOutputs: Set<ValueId>;
  /** Names no value may take: the dimension symbols of the inputs. */
  readonly reserved = new Set<string>();
  /** Block definitions by signature, in the order they were first needed. */
  readonly defs = new Map<string, BlockDef>();

  constructor(readonly graph: Graph<number>) {
    for (const n of graph.nodes) for (const v of n.inputs) {
      if (!this.readers.has(v)) this.readers.set(v, new Set());
      this.readers.get(v)!.add(n.id);
    }
    this.graphOutputs = new Set(graph.outputs.map((o) => o.value));
  }

  /** Split the nodes of a scope (names starting with `prefix`) into units, in topological order. */
  units(nodes: Node<number>[], prefix: string, repeats = true): Unit[] {
    const groups = new Map<string, Node<number>[]>();
    const units: Unit[] = [];
    for (const n of nodes) {
      const rel = n.name.startsWith(prefix) ? n.name.slice(prefix.length) : n.name;
      const dot = rel.indexOf('.');
      const weighted = Object.keys(n.params).length > 0;
      if (dot < 0 || (!weighted && !prefixIsShared(nodes, prefix, rel.slice(0, dot)))) {
        units.push({ kind: 'op', segment: dot < 0 ? rel : '', nodes: [n], inputs: n.inputs, output: n.outputs[0]!, outputs: [n.outputs[0]!] });
        continue;
      }
      const seg = rel.slice(0, dot);
      if (!groups.has(seg)) {
        groups.set(seg, []);
        units.push({ kind: 'group', segment: seg, nodes: groups.get(seg)!, inputs: [], output: -1, outputs: [] });
      }
      groups.get(seg)!.push(n);
    }
    for (const u of units) {
      if (u.kind === 'op') continue;
      const { inputs, outputs } = boundary(this.graph, u.nodes, this.readers, this.graphOutputs);
      if (outputs.length === 0) throw new SourceProblem(`nothing reads the layers of ${prefix}${u.segment}`);
      u.inputs = inputs;
      u.outputs = outputs;
      u.output = outputs.length === 1 ? outputs[0]! : -1;
      if (outputs.length === 1 && this.isSeq(u, prefix)) u.kind = 'seq';
    }
    const ordered = orderUnits(units, `${prefix || 'the network'}`);
    return repeats ? this.repeats(ordered, prefix) : ordered;
  }

  /**
   * Numbered block instances 0..k-1 in a chain, all with the same arguments, outside a seq:
   * `repeat k { Block(...) }`, whose iteration i owns namespace i.
   */
  repeats(units: Unit[], prefix: string): Unit[] {
    const out: Unit[] = [];
    for (let i = 0; i < units.length; i++) {
      const u = units[i]!;
      if (u.kind !== 'group' || u.segment !== '0' || u.inputs.length !== 1 || u.output < 0) {
        out.push(u);
        continue;
      }
      const first = this.group(u, prefix);
      const run = [u];
      for (let j = i + 1; j < units.length; j++) {
        const v = units[j]!;
        const prev = run[run.length - 1]!;
        const onlyReader = [...(this.readers.get(prev.output) ?? [])].every((r) => v.nodes.some((n) => n.id === r)) && !this.graphOutputs.has(prev.output);
        if (v.kind !== 'group' || v.segment !== String(run.length) || v.inputs.length !== 1 || v.inputs[0] !== prev.output || v.output < 0 || !onlyReader) break;
        const inst = this.group(v, prefix);
        if (inst.sig !== first.sig || JSON.stringify(inst.tpl.holes) !== JSON.stringify(first.tpl.holes)) break;
        run.push(v);
      }
      out.push({
        kind: 'repeat', segment: '', nodes: run.flatMap((r) => r.nodes), inputs: u.inputs,
        output: run[run.length - 1]!.output, outputs: [run[run.length - 1]!.output], count: run.length, body: u,
      });
      i += run.length - 1;
    }
    return out;
  }

  /** Numbered children 0..n-1 each reading the previous one's output: an nn.Sequential. */
  isSeq(u: Unit, prefix: string): boolean {
    if (u.inputs.length !== 1) return false;
    const stages = this.units(u.nodes, `${prefix}${u.segment}.`, false);
    if (!stages.every((s, i) => s.segment === String(i))) return false;
    return stages.every((s, i) => s.inputs.length === 1 && s.inputs[0] === (i === 0 ? u.inputs[0] : stages[i - 1]!.output));
  }

  /** A group as a block instance: its body template and signature. */
  group(u: Unit, prefix: string): GroupInstance {
    const tpl = new Template();
    const inner = `${prefix}${u.segment}.`;
    const inNames = new Map<ValueId, string>();
    u.inputs.forEach((v, i) => {
      const name = i === 0 ? 'x' : `x${i + 1}`;
      inNames.set(v, name);
      const rank = this.graph.values[v]!.shape.length;
      const dims = (DIM_NAMES[rank] ?? [...Array(rank).keys()].map((k) => `D${k}`)).map((d) => (i === 0 ? d : `${d}${i + 1}`));
      tpl.text(`  in ${name}: [${dims.join(', ')}]\n`);
    });
    const units = this.units(u.nodes, inner);
    const outNames: string[] = [];
    if (u.outputs.length > 1) {
      for (const [k, v] of u.outputs.entries()) {
        const producer = units.find((x) => x.outputs.includes(v));
        const seg = producer?.segment ?? '';
        outNames.push(isIdent(seg) && !outNames.includes(seg) && !/^x[0-9]*$/.test(seg) ? seg : `y${k + 1}`);
      }
    }
    this.body(tpl, units, inNames, u.outputs.map((value, k) => ({ value, name: outNames[k] })), inner, '  ');
    const chainOps = units.every((x) => x.kind === 'op') && units.every((x, i) => i === 0 || x.inputs[0] === units[i - 1]!.output)
      ? units.map((x) => x.nodes[0]!.op) : undefined;
    return { tpl, sig: `${u.inputs.map((v) => this.graph.values[v]!.shape.length).join(',')}|${tpl.signature()}`, outNames, chainOps, segment: u.segment };
  }

  /** One stage of a pipeline (`label: conv(...)`, `inception: Inception()`, `main: seq {...}`). */
  stage(tpl: Template, u: Unit, prefix: string, names: Map<ValueId, string>, indent: string, inSeq: boolean): string[] {
    if (u.kind === 'repeat') {
      const inst = this.group(u.body!, prefix);
      this.define(inst);
      tpl.text(`repeat ${u.count} { `);
      tpl.sub(inst, []);
      tpl.text(' }');
      return [];
    }
    const label = inSeq ? '' : u.segment;
    if (label && !isLabel(label) && (u.kind !== 'op' || Object.keys(u.nodes[0]!.params).length > 0)) {
      throw new SourceProblem(`instance name ${prefix}${label} is neither an identifier nor digits, so no label can give it`);
    }
    if (u.kind === 'op') {
      const n = u.nodes[0]!;
      const weighted = Object.keys(n.params).length > 0;
      if (weighted && label) tpl.text(`${label}: `);
      // Inside a seq the index is not written, but still tells the layer's parameters apart.
      this.call(tpl, opCall(n, this.graph), u.inputs.slice(1).map((v) => names.get(v)!), weighted ? u.segment : '');
      return [];
    }
    if (label) tpl.text(`${label}: `);
    const inner = `${prefix}${u.segment}.`;
    if (u.kind === 'seq') {
      const stages = this.units(u.nodes, inner, false);
      tpl.text('seq {\n');
      tpl.scope.push(u.segment);
      stages.forEach((s, i) => {
        tpl.text(`${indent}    ${i === 0 ? '' : '|> '}`);
        this.stage(tpl, s, inner, names, `${indent}  `, true);
        tpl.text('\n');
      });
      tpl.scope.pop();
      tpl.text(`${indent}  }`);
      return [];
    }
    const inst = this.group(u, prefix);
    this.define(inst);
    tpl.sub(inst, u.inputs.slice(1).map((v) => names.get(v)!));
    return inst.outNames;
  }

  call(tpl: Template, c: { callee: string; args: CallArg[] }, tensorArgs: string[], label: string): void {
    tpl.call(c.callee, tensorArgs, c.args, label);
  }

  /** Statements of a scope: chains of piped units, named values, and the outputs. */
  body(tpl: Template, units: Unit[], names: Map<ValueId, string>, outputs: { value: ValueId; name?: string }[], prefix: string, indent: string): void {
    const uses = new Map<ValueId, number>();
    for (const u of units) for (const v of u.inputs) uses.set(v, (uses.get(v) ?? 0) + 1);
    const outValues = new Set(outputs.map((o) => o.value));
    // Operators of several tensors are written `a + b` or `concat(a, b)`; one of a tensor and its own constant is piped.
    const pipeable = (u: Unit) => !(u.kind === 'op' && (u.nodes[0]!.op === 'concat' || (u.nodes[0]!.op in INFIX && u.nodes[0]!.inputs.length > 1)));
    const byInput = new Map<ValueId, Unit>();
    for (const u of units) if (pipeable(u) && u.inputs.length > 0) byInput.set(u.inputs[0]!, u);
    const inlined = (u: Unit) => !outValues.has(u.output) && uses.get(u.output) === 1 && byInput.has(u.output);
    const taken = new Set<string>([...names.values(), ...this.reserved]);
    const started = new Set<Unit>();
    const written = new Set<{ value: ValueId; name?: string }>();
    for (const u of units) {
      if (started.has(u)) continue;
      const chain = [u];
      started.add(u);
      while (inlined(chain[chain.length - 1]!)) {
        const next = byInput.get(chain[chain.length - 1]!.output)!;
        chain.push(next);
        started.add(next);
      }
      const end = chain[chain.length - 1]!;
      const out = outputs.find((o) => o.value === end.output);
      const direct = out && uses.get(end.output) === undefined && outputs.filter((o) => o.value === end.output).length === 1;
      let name: string;
      if (direct) {
        written.add(out!);
        tpl.text(out!.name ? `${indent}out ${out!.name} = ` : `${indent}out `);
        name = out!.name ?? '';
      } else {
        name = valueName(
          chain.filter((u) => u.kind !== 'op' || Object.keys(u.nodes[0]!.params).length > 0).map((u) => u.segment),
          taken,
        );
        tpl.text(`${indent}${name} = `);
      }
      const head = chain[0]!;
      const multiline = chain.length > 3;
      let outNames: string[] = [];
      if (pipeable(head)) {
        tpl.text(names.get(head.inputs[0]!)!);
        chain.forEach((s) => {
          tpl.text(multiline ? `\n${indent}  |> ` : ' |> ');
          outNames = this.stage(tpl, s, prefix, names, indent, false);
        });
      } else {
        const n = head.nodes[0]!;
        const operands = n.inputs.map((v) => names.get(v)!);
        const expr = n.op === 'concat' ? '' : operands.join(` ${INFIX[n.op]} `);
        if (n.op === 'concat') this.call(tpl, opCall(n, this.graph), operands, '');
        else tpl.text(chain.length > 1 ? `(${expr})` : expr);
        chain.slice(1).forEach((s) => {
          tpl.text(multiline ? `\n${indent}  |> ` : ' |> ');
          this.stage(tpl, s, prefix, names, indent, false);
        });
      }
      tpl.text('\n');
      // A block with several outputs is read through its named outputs (`features.pool4`).
      if (end.outputs.length > 1) end.outputs.forEach((v, k) => names.set(v, `${name}.${outNames[k]}`));
      else names.set(end.output, name);
    }
    for (const o of outputs) {
      if (written.has(o)) continue;
      const v = names.get(o.value)!;
      tpl.text(o.name ? `${indent}out ${o.name} = ${v}\n` : `${indent}out ${v}\n`);
    }
  }

  define(inst: GroupInstance): void {
    const def = this.defs.get(inst.sig);
    if (def) {
      def.instances.push(inst);
      return;
    }
    this.defs.set(inst.sig, { name: '', instances: [inst], params: [], paramTypes: [], declares: new Set() });
  }
}

function prefixIsShared(nodes: Node<number>[], prefix: string, seg: string): boolean {
  return nodes.some((n) => Object.keys(n.params).length > 0 && n.name.startsWith(`${prefix}${seg}.`));
}

/** Units in an order where every unit's inputs come before it; a cycle means a namespace is not contiguous. */
function orderUnits(units: Unit[], where: string): Unit[] {
  const producer = new Map<ValueId, Unit>();
  for (const u of units) for (const v of u.outputs) producer.set(v, u);
  const done = new Set<Unit>();
  const active = new Set<Unit>();
  const order: Unit[] = [];
  const visit = (u: Unit) => {
    if (done.has(u)) return;
    if (active.has(u)) throw new SourceProblem(`the layers of ${where} cannot be grouped by their names without a cycle (${u.segment})`);
    active.add(u);
    for (const v of u.inputs) {
      const p = producer.get(v);
      if (p) visit(p);
    }
    active.delete(u);
    done.add(u);
    order.push(u);
  };
  units.forEach(visit);
  return order;
}

const fullArg = (v: ArgValue): string =>
  v.type === 'ints' || v.type === 'floats' ? (v.v.length === 1 ? `(${formatArg(v)},)` : `(${v.v.map((x) => formatArg({ type: v.type === 'ints' ? 'int' : 'float', v: x })).join(', ')})`) : formatArg(v);

interface Mode {
  def?: BlockDef;
  /** Every instance the text stands for: an argument is left out only if all of them hold its default. */
  instances: Template[];
}

const same = (a: ArgValue | undefined, b: ArgValue | undefined) => a !== undefined && b !== undefined && JSON.stringify(a) === JSON.stringify(b);

function render(w: SourceWriter, tpl: Template, mode: Mode): string {
  const hole = (i: number, paramType?: string): string => {
    const param = mode.def?.params[i];
    if (param) return param;
    const v = tpl.holes[i]!;
    return paramType && paramType.startsWith('(') ? fullArg(v) : formatArg(v);
  };
  const omitted = (i: number) => !mode.def?.params[i] && mode.instances.every((t) => same(t.holes[i], t.defaults[i]));
  return tpl.parts.map((p) => {
    if (typeof p === 'string') return p;
    if ('callee' in p) {
      const args = [...p.tensors, ...p.args.filter((a) => !omitted(a.hole)).map((a) => `${a.name ? `${a.name}=` : ''}${hole(a.hole)}`)];
      return args.length > 0 ? `${p.callee}(${args.join(', ')})` : p.callee;
    }
    const def = w.defs.get(p.sub.sig)!;
    const args = [...p.extraInputs];
    def.params.forEach((param, j) => {
      if (param && def.declares.has(j)) args.push(hole(p.holeBase + j, def.paramTypes[j]));
    });
    return args.length > 0 ? `${def.name}(${args.join(', ')})` : `${def.name}()`;
  }).join('');
}

/** The graph as `.net` source, or the reason it cannot be written; `inputDims` spells the inputs' sizes (symbols). */
export function graphToSource(graph: Graph<number>, inputDims?: string[][]): { source?: string; problem?: string } {
  try {
    const w = new SourceWriter(graph);
    for (const d of inputDims?.flat() ?? []) if (isIdent(d)) w.reserved.add(d);
    const tpl = new Template();
    const names = new Map<ValueId, string>();
    const head: string[] = [];
    for (const io of graph.inputs) {
      const name = isIdent(io.name) ? io.name : `in_${io.name.replace(/[^A-Za-z0-9_]/g, '_')}`;
      names.set(io.value, name);
      const dims = inputDims?.[graph.inputs.indexOf(io)] ?? graph.values[io.value]!.shape.map(String);
      head.push(`  in ${name}: f32[${dims.join(', ')}]\n`);
    }
    const outputs = graph.outputs.map((o) => ({ value: o.value, name: isIdent(o.name) ? o.name : `out_${o.name.replace(/[^A-Za-z0-9_]/g, '_')}` }));
    w.body(tpl, w.units(graph.nodes, ''), names, outputs, '', '  ');
    planDefs(w);
    const blocks = [...w.defs.values()].map((def) => {
      const params = def.params.map((p, i) => (p && def.declares.has(i) ? `${p}: ${def.paramTypes[i]}` : undefined)).filter((p) => p);
      const body = render(w, def.instances[0]!.tpl, { def, instances: def.instances.map((i) => i.tpl) });
      return `block ${def.name}(${params.join(', ')}) {\n${body}}\n`;
    });
    const networkName = isIdent(graph.name) ? graph.name : 'Imported';
    const network = `network ${networkName} {\n${head.join('')}${render(w, tpl, { instances: [tpl] })}}\n`;
    return { source: [...blocks, network].join('\n') };
  } catch (e) {
    if (e instanceof SourceProblem) return { problem: e.message };
    throw e;
  }
}
