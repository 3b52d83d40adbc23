/**
 * Block bodies as templates with holes for argument values, so that groups with the same
 * structure share one block, and the choice and naming of each block's parameters.
 */
import type { ArgValue, CallArg } from './sourceCalls.ts';
import { blockName, isIdent, paramName } from './sourceNames.ts';

/** An argument of a call: left out when it holds its default in every instance of the block. */
interface ArgPart {
  name?: string;
  hole: number;
}

type Part =
  | string
  | { callee: string; tensors: string[]; args: ArgPart[] }
  | { sub: GroupInstance; holeBase: number; extraInputs: string[] };

/** Source text with holes for argument values, so that equal structures can share a block. */
export class Template {
  readonly parts: Part[] = [];
  readonly holes: ArgValue[] = [];
  readonly defaults: (ArgValue | undefined)[] = [];
  readonly holeNames: HoleName[] = [];
  /** Name segments of the seqs being written, outermost first, for naming holes. */
  readonly scope: string[] = [];

  text(s: string): void {
    this.parts.push(s);
  }

  call(callee: string, tensors: string[], args: CallArg[], label: string): void {
    const parts: ArgPart[] = args.map((a) => {
      this.holes.push(a.value);
      this.defaults.push(a.dflt);
      const base = paramName(a, callee);
      this.holeNames.push({ base, path: [...this.scope, label].filter((seg) => seg !== '') });
      return { name: a.name, hole: this.holes.length - 1 };
    });
    this.parts.push({ callee, tensors, args: parts });
  }

  sub(inst: GroupInstance, extraInputs: string[]): void {
    this.parts.push({ sub: inst, holeBase: this.holes.length, extraInputs });
    this.holes.push(...inst.tpl.holes);
    this.defaults.push(...inst.tpl.defaults);
    this.holeNames.push(...inst.tpl.holeNames.map((h) => ({ base: h.base, path: [...this.scope, inst.segment, ...h.path] })));
  }

  signature(): string {
    const hole = (i: number) => {
      const v = this.holes[i]!;
      return `${v.type}${Array.isArray(v.v) ? v.v.length : ''}`;
    };
    return this.parts.map((p) => {
      if (typeof p === 'string') return p;
      if ('callee' in p) return `${p.callee}(${[...p.tensors, ...p.args.map((a) => `${a.name ?? ''}=${hole(a.hole)}`)].join(',')})`;
      return `{${p.sub.sig}(${p.extraInputs.join(',')})}`;
    }).join('');
  }
}

/** What a block parameter made from an argument is named after: the argument, and where its layer is in the block. */
interface HoleName {
  base: string;
  /** Name segments from the block down to the layer (`branch2`, `0`, `conv`). */
  path: string[];
}

export interface BlockDef {
  name: string;
  instances: GroupInstance[];
  /** Per hole: the parameter it becomes, if it differs between instances. */
  params: (string | undefined)[];
  paramTypes: string[];
  /** The holes that declare their parameter (the first of those sharing one). */
  declares: Set<number>;
}

export interface GroupInstance {
  tpl: Template;
  sig: string;
  /** Names of the block's outputs when it has several. */
  outNames: string[];
  /** The ops of a one-chain body, for naming its block. */
  chainOps?: string[];
  segment: string;
}

const typeOf = (v: ArgValue, collapsed: boolean): string => {
  if (v.type === 'ints' || v.type === 'floats') {
    const t = v.type === 'ints' ? 'int' : 'float';
    return collapsed ? t : `(${v.v.map(() => t).join(', ')})`;
  }
  return v.type;
};


/**
 * Decide each block's parameters: argument values that differ between its instances. A
 * parameter is named for the argument (`c`, `stride`, `k`); arguments with the same name and
 * the same values in every instance share one parameter (both convs of a DoubleConv take
 * `c`). Where several parameters would take one name, each is told apart by the shortest
 * start of its layer's path that no other has (`branch1_c`, `branch2_0_c`, `conv3_c`).
 */
export function planDefs(w: { graph: { name: string }; defs: Map<string, BlockDef> }): void {
  const used = new Set<string>([w.graph.name]);
  for (const def of w.defs.values()) {
    def.name = blockName(def.instances.map((i) => i.segment), def.instances[0]!.chainOps, used);
    const first = def.instances[0]!.tpl;
    const owners = new Map<string, number>();
    const byBase = new Map<string, number[]>();
    first.holes.forEach((v, i) => {
      const values = def.instances.map((inst) => inst.tpl.holes[i]!);
      if (values.every((x) => JSON.stringify(x) === JSON.stringify(v))) return;
      const { base } = first.holeNames[i]!;
      const key = `${base}\u0000${JSON.stringify(values)}`;
      const owner = owners.get(key);
      const collapsed = values.every((x) => (x.type === 'ints' || x.type === 'floats') && x.v.every((e) => e === x.v[0]));
      def.paramTypes[i] = typeOf(v, collapsed);
      if (owner !== undefined) {
        def.params[i] = String(owner);
        return;
      }
      owners.set(key, i);
      def.declares.add(i);
      def.params[i] = String(i);
      byBase.set(base, [...(byBase.get(base) ?? []), i]);
    });
    const taken = new Set<string>();
    const free = (n: string) => isIdent(n) && !taken.has(n) && !/^x[0-9]*$/.test(n);
    const chosen = new Map<number, string>();
    for (const [base, holes] of byBase) {
      // Segments every one of them shares say nothing: `conv.conv1`, `conv.conv2` -> conv1_c, conv2_c.
      const paths = holes.map((i) => first.holeNames[i]!.path);
      let common = 0;
      while (paths.every((p) => p.length > common + 1 && p[common] === paths[0]![common])) common++;
      for (const [h, i] of holes.entries()) {
        const path = paths[h]!.slice(common);
        const others = paths.filter((_, g) => g !== h).map((p) => p.slice(common));
        let name: string | undefined = holes.length === 1 && free(base) ? base : undefined;
        for (let k = 1; name === undefined && k <= path.length; k++) {
          const start = path.slice(0, k);
          if (others.some((o) => start.every((seg, m) => o[m] === seg))) continue;
          const words = start.join('_').replace(/[^A-Za-z0-9_]/g, '_');
          const candidate = /^[0-9]/.test(words) ? `${base}_${words}` : `${words.replace(/^_+/, '')}_${base}`;
          if (free(candidate)) name = candidate;
        }
        for (let k = 2; name === undefined; k++) if (free(`${base}${k}`)) name = `${base}${k}`;
        taken.add(name);
        chosen.set(i, name);
      }
    }
    def.params = def.params.map((p) => (p === undefined ? undefined : chosen.get(Number(p))));
  }
}
