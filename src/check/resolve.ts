/**
 * Static name resolution of every block of every loaded module, independent of how blocks
 * are instantiated: unknown names and callees (with "did you mean"), use before definition,
 * duplicate definitions, shadowing, unused values, missing outputs, network parameters
 * without defaults, and the expression depth limit.
 *
 * Elaboration relies on this pass: where a name does not resolve it yields an invalid value
 * without reporting again.
 */
import type { BlockDecl, Expr, Stage, Stmt, TensorType } from '../syntax/ast.ts';
import { formatPos, type Span } from '../diag/span.ts';
import { diag } from '../diag/make.ts';
import type { Diagnostic } from '../diag/diagnostic.ts';
import { allSpellings, lookupOp } from '../ops/registry.ts';
import { lookupTop, topNames, type LoadedProgram, type ModuleInfo } from './modules.ts';
import { didYouMeanFix } from './suggest.ts';
import { LIMITS } from '../ir/limits.ts';
import { inputDependentParams, inputSizeNames } from './params.ts';

type LocalKind = 'parameter' | 'value' | 'dimension variable' | 'repeat index';

interface Local {
  kind: LocalKind;
  span: Span;
  /** Statement index where a value becomes visible (values only). */
  from: number;
  used: boolean;
}

class BlockResolver {
  private readonly locals = new Map<string, Local>();
  private readonly scoped: Map<string, Local>[] = [];
  private stmtIndex = 0;
  /** Index of the parameter whose default is being resolved. */
  private defaultOf: number | undefined;

  constructor(
    private readonly prog: LoadedProgram,
    private readonly mod: ModuleInfo,
    private readonly block: BlockDecl,
    private readonly diags: Diagnostic[],
    /** `path:name` of the unknown names and callees already reported: one error per name. */
    private readonly unknown: Set<string> = new Set(),
  ) {}

  /**
   * Whether an unknown `name` should be reported here: not when a failed import declared it
   * (the import's error says why), not when an earlier use already did.
   */
  private firstUnknown(name: string): boolean {
    if (this.mod.imports.has(name)) return false;
    const key = `${this.mod.path}:${name}`;
    if (this.unknown.has(key)) return false;
    this.unknown.add(key);
    return true;
  }

  run(): void {
    const b = this.block;
    b.params.forEach((p, i) => {
      this.declare(p.name.name, 'parameter', p.name.span, i);
      if (b.isNetwork && p.default === undefined) {
        this.diags.push(diag('NET1029', p.name.span, { name: p.name.name, network: b.name.name }));
      }
    });
    // Dimension variables of `in` declarations are visible everywhere in the block, defaults included.
    for (const s of b.body) if (s.kind === 'InDecl') this.declareDimVars(s.type);
    // A default sees the parameters before it.
    b.params.forEach((p, i) => {
      if (!p.default) return;
      this.defaultOf = i;
      this.expr(p.default, 0);
    });
    this.defaultOf = undefined;
    this.checkInputDependentDefaults();
    // Values are declared up front so that a use before the definition is told apart from an unknown name.
    b.body.forEach((s, i) => {
      if (s.name) this.declare(s.name.name, 'value', s.name.span, i + (s.kind === 'InDecl' ? 0 : 1));
      if (s.kind === 'OutDecl' && s.name) this.locals.get(s.name.name)!.used = true;
    });
    b.body.forEach((s, i) => {
      this.stmtIndex = i;
      this.stmt(s);
    });
    this.checkOutputs();
    for (const [name, l] of this.locals) {
      if (l.kind === 'value' && !l.used && !name.startsWith('_')) {
        this.diags.push(diag('NET1008', l.span, { name }, { help: `rename it to _${name} if it is unused on purpose` }));
      }
    }
  }

  /** A parameter whose default uses the input sizes cannot itself size an input. */
  private checkInputDependentDefaults(): void {
    const dependent = inputDependentParams(this.block, (n) => lookupTop(this.prog, this.mod, n)?.kind === 'const');
    const sizing = inputSizeNames(this.block);
    for (const p of this.block.params) {
      const input = sizing.get(p.name.name);
      if (input === undefined || !dependent.has(p.name.name)) continue;
      this.diags.push(diag('NET1046', p.default!.span, { name: p.name.name, input }));
    }
  }

  private checkOutputs(): void {
    const outs = this.block.body.filter((s) => s.kind === 'OutDecl');
    if (outs.length === 0) {
      this.diags.push(diag('NET1021', this.block.name.span, { name: this.block.name.name }));
      return;
    }
    if (outs.length > 1) {
      for (const o of outs) {
        if (o.kind === 'OutDecl' && !o.name) this.diags.push(diag('NET1024', o.span, { name: this.block.name.name }));
      }
    }
  }

  private declare(name: string, kind: LocalKind, span: Span, from: number): void {
    const prev = this.locals.get(name);
    if (prev) {
      if (kind === 'dimension variable') return;
      if (prev.kind === 'dimension variable') {
        this.shadow(name, span, prev.kind, prev.span);
      } else {
        this.diags.push(diag('NET1006', span, { name }, { related: [{ span: prev.span, message: `${name} is first defined here` }] }));
        return;
      }
    }
    const top = lookupTop(this.prog, this.mod, name);
    if (top?.kind === 'const') this.shadow(name, span, 'constant', top.decl.name.span);
    this.locals.set(name, { kind, span, from, used: kind !== 'value' });
  }

  private shadow(name: string, span: Span, what: string, at: Span): void {
    this.diags.push(diag('NET1007', span, { name, what, at: formatPos(at) }, {
      related: [{ span: at, message: `the ${what} ${name} is declared here` }],
    }));
  }

  private declareDimVars(t: TensorType): void {
    for (const d of t.dims) {
      this.walkDimNames(d, (name, span) => {
        if (this.locals.has(name) || lookupTop(this.prog, this.mod, name)?.kind === 'const') return;
        this.locals.set(name, { kind: 'dimension variable', span, from: 0, used: true });
      });
    }
  }

  private walkDimNames(e: Expr, f: (name: string, span: Span) => void): void {
    if (e.kind === 'NameRef') f(e.name, e.span);
    else if (e.kind === 'BinaryExpr') {
      this.walkDimNames(e.left, f);
      this.walkDimNames(e.right, f);
    } else if (e.kind === 'ParenExpr') this.walkDimNames(e.expr, f);
    else if (e.kind === 'UnaryExpr') this.walkDimNames(e.operand, f);
  }

  private stmt(s: Stmt): void {
    if (s.kind === 'InDecl') return;
    if (s.type) for (const d of s.type.dims) this.expr(d, 0);
    this.expr(s.value, 0);
  }

  private lookupLocal(name: string): Local | undefined {
    for (let i = this.scoped.length - 1; i >= 0; i--) {
      const l = this.scoped[i]!.get(name);
      if (l) return l;
    }
    return this.locals.get(name);
  }

  private name(name: string, span: Span): void {
    const l = this.lookupLocal(name);
    if (l) {
      if (l.kind === 'parameter' && this.defaultOf !== undefined && l.from >= this.defaultOf) {
        this.diags.push(diag('NET1019', span, { name }, {
          related: [{ span: l.span, message: `${name} is declared here` }],
          help: 'a default can use only the parameters declared before it',
        }));
        return;
      }
      if (l.kind === 'value' && l.from > this.stmtIndex) {
        l.used = true;
        this.diags.push(diag('NET1019', span, { name }, { related: [{ span: l.span, message: `${name} is defined here` }] }));
        return;
      }
      l.used = true;
      return;
    }
    const top = lookupTop(this.prog, this.mod, name, true);
    if (top?.kind === 'const') return;
    if (top?.kind === 'block') {
      this.diags.push(diag('NET1041', span, { name, what: 'block' }, { help: `call it: ${name}(...)` }));
      return;
    }
    if (lookupOp(name)) {
      this.diags.push(diag('NET1041', span, { name, what: 'operator' }, { help: `call it: ${name}(...)` }));
      return;
    }
    if (!this.firstUnknown(name)) return;
    const candidates = [...this.visibleNames(), ...topNames(this.mod).filter((n) => lookupTop(this.prog, this.mod, n)?.kind === 'const')];
    this.diags.push(diag('NET1001', span, { name }, didYouMeanFix(name, candidates, span)));
  }

  private visibleNames(): string[] {
    const names: string[] = [];
    for (const s of this.scoped) names.push(...s.keys());
    for (const [n, l] of this.locals) if (l.kind !== 'value' || l.from <= this.stmtIndex) names.push(n);
    return names;
  }

  private callee(name: string, span: Span): void {
    if (lookupOp(name)) return;
    const top = lookupTop(this.prog, this.mod, name, true);
    if (top?.kind === 'block') return;
    const local = this.lookupLocal(name);
    if (local || top) {
      if (local) local.used = true;
      this.diags.push(diag('NET1040', span, { name, what: local ? local.kind : 'constant' }));
      return;
    }
    if (!this.firstUnknown(name)) return;
    const blocks = topNames(this.mod).filter((n) => lookupTop(this.prog, this.mod, n)?.kind === 'block');
    this.diags.push(diag('NET1002', span, { name }, didYouMeanFix(name, [...allSpellings(), ...blocks], span)));
  }

  private expr(e: Expr, depth: number): void {
    if (depth > LIMITS.expressionDepth) {
      this.diags.push(diag('NET9002', e.span, { limit: LIMITS.expressionDepth }));
      throw new DepthExceeded();
    }
    const d = depth + 1;
    switch (e.kind) {
      case 'IntLit': case 'FloatLit': case 'StringLit': case 'BoolLit': return;
      case 'NameRef': return this.name(e.name, e.span);
      case 'TupleExpr': case 'ListExpr': for (const x of e.elements) this.expr(x, d); return;
      case 'UnaryExpr': return this.expr(e.operand, d);
      case 'BinaryExpr': this.expr(e.left, d); this.expr(e.right, d); return;
      case 'MemberExpr': return this.expr(e.object, d);
      case 'IndexExpr': this.expr(e.object, d); this.expr(e.index, d); return;
      case 'ParenExpr': return this.expr(e.expr, d);
      case 'CallExpr':
        this.callee(e.callee.name, e.callee.span);
        for (const a of e.args) this.expr(a.value, d);
        return;
      case 'PipeExpr':
        this.expr(e.head, d);
        for (const s of e.stages) this.stage(s, d);
        return;
      case 'IfExpr':
        this.expr(e.cond, d);
        this.expr(e.then, d);
        if (e.else) this.expr(e.else, d);
        else this.diags.push(diag('NET1038', e.span, {}));
        return;
    }
  }

  private stage(s: Stage, depth: number): void {
    if (depth > LIMITS.expressionDepth) {
      this.diags.push(diag('NET9002', s.span, { limit: LIMITS.expressionDepth }));
      throw new DepthExceeded();
    }
    const d = depth + 1;
    const b = s.body;
    switch (b.kind) {
      case 'CallStage':
        this.callee(b.callee.name, b.callee.span);
        for (const a of b.args) this.expr(a.value, d);
        return;
      case 'SeqStage':
        for (const x of b.stages) this.stage(x, d);
        return;
      case 'RepeatStage': {
        this.expr(b.count, d);
        const scope = new Map<string, Local>();
        if (b.index) {
          const name = b.index.name;
          const prev = this.lookupLocal(name);
          if (prev) this.shadow(name, b.index.span, prev.kind, prev.span);
          scope.set(name, { kind: 'repeat index', span: b.index.span, from: 0, used: true });
        }
        this.scoped.push(scope);
        try {
          for (const x of b.stages) this.stage(x, d);
        } finally {
          this.scoped.pop();
        }
        return;
      }
      case 'IfStage':
        this.expr(b.cond, d);
        for (const x of b.then) this.stage(x, d);
        for (const x of b.else ?? []) this.stage(x, d);
        return;
    }
  }
}

class DepthExceeded extends Error {}

/** Resolve every block of every module; returns the diagnostics. */
export function resolveProgram(prog: LoadedProgram): Diagnostic[] {
  const diags: Diagnostic[] = [];
  const unknown = new Set<string>();
  for (const mod of prog.modules.values()) {
    for (const block of mod.blocks.values()) {
      try {
        new BlockResolver(prog, mod, block, diags, unknown).run();
      } catch (e) {
        if (!(e instanceof DepthExceeded)) throw e;
      }
    }
    for (const c of mod.consts.values()) {
      try {
        resolveConstExpr(prog, mod, c.value, diags, 0);
      } catch (e) {
        if (!(e instanceof DepthExceeded)) throw e;
      }
    }
  }
  return diags;
}

function resolveConstExpr(prog: LoadedProgram, mod: ModuleInfo, e: Expr, diags: Diagnostic[], depth: number): void {
  if (depth > LIMITS.expressionDepth) {
    diags.push(diag('NET9002', e.span, { limit: LIMITS.expressionDepth }));
    throw new DepthExceeded();
  }
  const d = depth + 1;
  switch (e.kind) {
    case 'NameRef': {
      const top = lookupTop(prog, mod, e.name, true);
      if (top?.kind === 'const') return;
      if (top?.kind === 'block') {
        diags.push(diag('NET1041', e.span, { name: e.name, what: 'block' }));
        return;
      }
      const consts = topNames(mod).filter((n) => lookupTop(prog, mod, n)?.kind === 'const');
      diags.push(diag('NET1001', e.span, { name: e.name }, didYouMeanFix(e.name, consts, e.span)));
      return;
    }
    case 'TupleExpr': case 'ListExpr': for (const x of e.elements) resolveConstExpr(prog, mod, x, diags, d); return;
    case 'UnaryExpr': return resolveConstExpr(prog, mod, e.operand, diags, d);
    case 'BinaryExpr':
      resolveConstExpr(prog, mod, e.left, diags, d);
      resolveConstExpr(prog, mod, e.right, diags, d);
      return;
    case 'MemberExpr': return resolveConstExpr(prog, mod, e.object, diags, d);
    case 'IndexExpr':
      resolveConstExpr(prog, mod, e.object, diags, d);
      resolveConstExpr(prog, mod, e.index, diags, d);
      return;
    case 'ParenExpr': return resolveConstExpr(prog, mod, e.expr, diags, d);
    case 'IfExpr':
      resolveConstExpr(prog, mod, e.cond, diags, d);
      resolveConstExpr(prog, mod, e.then, diags, d);
      if (e.else) resolveConstExpr(prog, mod, e.else, diags, d);
      else diags.push(diag('NET1038', e.span, {}));
      return;
    case 'CallExpr': case 'PipeExpr':
      diags.push(diag('NET1017', e.span, { expected: 'a constant value', got: 'a layer call' }));
      return;
    default:
      return;
  }
}
