/**
 * Which parameter defaults depend on a block's inputs. A default sees the earlier parameters
 * and, like the body, the dimension variables of the block's `in` declarations
 * (`project: bool = stride != 1 or C != 4 * planes`). Defaults that use a dimension variable
 * (directly or through an earlier such parameter) are evaluated once the inputs are bound;
 * the others before, so that parameters can size the inputs (`in x: [N, c, H, W]`).
 */
import type { BlockDecl, Expr, Stage } from '../syntax/ast.ts';

/** Every name an expression refers to (not callees or labels). */
export function namesIn(e: Expr, out: Set<string> = new Set()): Set<string> {
  switch (e.kind) {
    case 'NameRef': out.add(e.name); break;
    case 'TupleExpr': case 'ListExpr': for (const x of e.elements) namesIn(x, out); break;
    case 'UnaryExpr': namesIn(e.operand, out); break;
    case 'BinaryExpr': namesIn(e.left, out); namesIn(e.right, out); break;
    case 'MemberExpr': namesIn(e.object, out); break;
    case 'IndexExpr': namesIn(e.object, out); namesIn(e.index, out); break;
    case 'ParenExpr': namesIn(e.expr, out); break;
    case 'CallExpr': for (const a of e.args) namesIn(a.value, out); break;
    case 'PipeExpr':
      namesIn(e.head, out);
      for (const st of e.stages) stageNames(st, out);
      break;
    case 'IfExpr':
      namesIn(e.cond, out);
      namesIn(e.then, out);
      if (e.else) namesIn(e.else, out);
      break;
    default: break;
  }
  return out;
}

function stageNames(st: Stage, out: Set<string>): void {
  const b = st.body;
  switch (b.kind) {
    case 'CallStage': for (const a of b.args) namesIn(a.value, out); break;
    case 'SeqStage': for (const x of b.stages) stageNames(x, out); break;
    case 'RepeatStage':
      namesIn(b.count, out);
      for (const x of b.stages) stageNames(x, out);
      break;
    case 'IfStage':
      namesIn(b.cond, out);
      for (const x of [...b.then, ...(b.else ?? [])]) stageNames(x, out);
      break;
  }
}

/** Names used in the sizes of the block's `in` declarations (dimension variables and parameters). */
export function inputSizeNames(decl: BlockDecl): ReadonlyMap<string, string> {
  // Parsed files are reused while unchanged, and a block is instantiated many times.
  const known = sizeNamesByDecl.get(decl);
  if (known) return known;
  const names = new Map<string, string>();
  for (const st of decl.body) {
    if (st.kind !== 'InDecl') continue;
    for (const d of st.type.dims) for (const n of namesIn(d)) if (!names.has(n)) names.set(n, st.name.name);
  }
  sizeNamesByDecl.set(decl, names);
  return names;
}

const sizeNamesByDecl = new WeakMap<BlockDecl, ReadonlyMap<string, string>>();

/**
 * Parameters whose default uses a dimension variable of the inputs, directly or through an
 * earlier such parameter. `isConst` tells file-level constants apart (they are not variables).
 */
export function inputDependentParams(decl: BlockDecl, isConst: (name: string) => boolean): Set<string> {
  const params = new Set(decl.params.map((p) => p.name.name));
  const dimVars = new Set([...inputSizeNames(decl).keys()].filter((n) => !params.has(n) && !isConst(n)));
  const dependent = new Set<string>();
  for (const p of decl.params) {
    if (!p.default) continue;
    for (const n of namesIn(p.default)) {
      if (dimVars.has(n) || dependent.has(n)) {
        dependent.add(p.name.name);
        break;
      }
    }
  }
  return dependent;
}
