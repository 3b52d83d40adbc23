/**
 * The `.net` grammar as a Chevrotain parser with embedded actions.
 *
 * Why embedded actions rather than a CstParser and a visitor: the AST of ast.ts is the only
 * tree anyone uses, and building it directly in the rules gives it exact spans from the tokens
 * at hand, with no intermediate CST to allocate, walk and keep in sync with a visitor (a second
 * description of the same grammar that can drift). The rule return types are the AST types,
 * so TypeScript checks the actions. The price is that AST construction must sit inside
 * `ACTION(...)` (Chevrotain runs every rule once, without real tokens, to record the grammar);
 * that rule is kept throughout this file. The recorded grammar still yields the railroad
 * diagrams and the EBNF listing of grammar/.
 *
 * Precedence, lowest first: `|>`, `or`, `and`, `not`, comparisons, `+ -`, `* / div %`,
 * unary `-`, postfix (`.name`, `.0`, `[i]`, and calls, which only apply to a name).
 */
import type { IOrAlt, IToken, OrMethodOpts } from 'chevrotain';
import type * as A from './ast.ts';
import { closeMessage } from './recovery.ts';
import { ExpressionParser } from './expression-parser.ts';
import * as T from './lexer.ts';

type Item = A.Item | undefined;

export class NetParser extends ExpressionParser {
  // Alternatives built once and reused (see ExpressionParser for why).
  private itemAlts?: OrMethodOpts<Item>;
  private blockKeywordAlts?: IOrAlt<IToken>[];
  private typeMemberAlts?: OrMethodOpts<A.TypeExpr | IToken>;
  private statementAlts?: OrMethodOpts<A.Stmt>;

  constructor(validate = false) {
    super(validate);
    this.performSelfAnalysis();
  }

  /** Parse a token vector (from `lexSource`); errors are in `syntaxErrors()`. */
  parseTokens(tokens: IToken[], file: string): A.Item[] {
    this.file = file;
    this.resetRecovery();
    this.input = tokens;
    return this.sourceFile().filter((i): i is A.Item => i !== undefined);
  }

  syntaxErrors() {
    return this.collectErrors();
  }

  // ---------------------------------------------------------------- file and items

  private sourceFile = this.RULE('sourceFile', () => {
    const items: Item[] = [];
    this.MANY(() => {
      items.push(this.SUBRULE(this.item));
    });
    return items;
  });

  private item = this.RULE('item', (): Item => {
    this.ACTION(this.markSyncAction);
    return this.OR((this.itemAlts ??= {
      ERR_MSG: 'an item (`import`, `const`, `block` or `network`)',
      DEF: [
        { ALT: () => this.SUBRULE(this.importDecl) },
        { ALT: () => this.SUBRULE(this.constDecl) },
        { ALT: () => this.SUBRULE(this.blockDecl) },
      ],
    }));
  });

  private importDecl = this.RULE('importDecl', (): A.ImportDecl => {
    const kw = this.CONSUME(T.Import);
    const open = this.CONSUME(T.LBrace);
    const names: Array<A.ImportName | undefined> = [this.SUBRULE(this.importName)];
    this.MANY(() => {
      this.CONSUME(T.Comma);
      names.push(this.SUBRULE2(this.importName));
    });
    this.OPTION(() => this.CONSUME2(T.Comma));
    this.CONSUME(T.RBrace, { ERR_MSG: closeMessage(T.RBrace, 'import list', open) });
    this.CONSUME(T.From);
    const path = this.CONSUME(T.StringLit);
    return this.ACTION(() => ({
      kind: 'ImportDecl',
      names: names.filter((n): n is A.ImportName => n !== undefined),
      path: { kind: 'StringLit', value: T.stringValue(path.image), span: this.span(path, path) },
      span: this.span(kw, path),
    }));
  });

  private importName = this.RULE('importName', (): A.ImportName => {
    this.ACTION(this.markSyncAction);
    const name = this.CONSUME(T.Identifier);
    const alias = this.OPTION(() => {
      this.CONSUME(T.As);
      return this.CONSUME2(T.Identifier);
    });
    return this.ACTION(() => ({
      kind: 'ImportName',
      name: this.ident(name),
      alias: alias && this.ident(alias),
      span: this.span(name, alias ?? name),
    }));
  });

  private constDecl = this.RULE('constDecl', (): A.ConstDecl => {
    const kw = this.CONSUME(T.Const);
    const name = this.CONSUME(T.Identifier);
    this.CONSUME(T.Equals);
    const value = this.SUBRULE(this.expr);
    return this.ACTION(() => ({ kind: 'ConstDecl', name: this.ident(name), value, span: this.span(kw, value) }));
  });

  private blockDecl = this.RULE('blockDecl', (): A.BlockDecl => {
    const kw = this.OR((this.blockKeywordAlts ??= [
      { ALT: () => this.CONSUME(T.Block) },
      { ALT: () => this.CONSUME(T.Network) },
    ]));
    const name = this.CONSUME(T.Identifier);
    const params = this.OPTION(() => this.SUBRULE(this.paramList)) ?? [];
    const body = this.SUBRULE(this.blockBody);
    return this.ACTION(() => ({
      kind: 'BlockDecl',
      isNetwork: kw.tokenType === T.Network,
      name: this.ident(name),
      params,
      body: body.stmts,
      span: this.span(kw, body.close),
    }));
  });

  private paramList = this.RULE('paramList', (): A.ParamDecl[] => {
    const open = this.CONSUME(T.LParen);
    const params: Array<A.ParamDecl | undefined> = [];
    this.OPTION(() => {
      params.push(this.SUBRULE(this.param));
      this.MANY(() => {
        this.CONSUME(T.Comma);
        params.push(this.SUBRULE2(this.param));
      });
      this.OPTION2(() => this.CONSUME2(T.Comma));
    });
    this.CONSUME(T.RParen, { ERR_MSG: closeMessage(T.RParen, 'parameter list', open) });
    return params.filter((p): p is A.ParamDecl => p !== undefined);
  });

  private param = this.RULE('param', (): A.ParamDecl => {
    this.ACTION(this.markSyncAction);
    const name = this.CONSUME(T.Identifier);
    this.CONSUME(T.Colon);
    const type = this.SUBRULE(this.type);
    const dflt = this.OPTION(() => {
      this.CONSUME(T.Equals);
      return this.SUBRULE(this.expr);
    });
    return this.ACTION(() => ({
      kind: 'ParamDecl',
      name: this.ident(name),
      type,
      default: dflt,
      span: this.span(name, dflt ?? type),
    }));
  });

  private blockBody = this.RULE('blockBody', (): { stmts: A.Stmt[]; close: IToken } => {
    const open = this.CONSUME(T.LBrace);
    const stmts: Array<A.Stmt | undefined> = [];
    this.MANY(() => {
      stmts.push(this.SUBRULE(this.statement));
    });
    const close = this.CONSUME(T.RBrace, { ERR_MSG: closeMessage(T.RBrace, 'block body', open) });
    return { stmts: stmts.filter((s): s is A.Stmt => s !== undefined), close };
  });

  // ---------------------------------------------------------------- types

  /** `int`, ..., or alternatives `int | (int, int)`, `"same" | "valid" | int`. */
  private type = this.RULE('type', (): A.TypeExpr => {
    const members: Array<A.TypeExpr | IToken> = [this.SUBRULE(this.typeMember)];
    this.MANY(() => {
      this.CONSUME(T.Bar);
      members.push(this.SUBRULE2(this.typeMember));
    });
    return this.ACTION(() => this.unionOf(members));
  });

  /** One alternative of a type: a type, or a string (a one-value enumeration). */
  private typeMember = this.RULE('typeMember', (): A.TypeExpr | IToken => {
    return this.OR((this.typeMemberAlts ??= {
      ERR_MSG: 'a type (`int`, `float`, `bool`, `string`, `(int, int)`, `[int]` or a string like `"same"`)',
      DEF: [
        { ALT: () => this.primType(this.CONSUME(T.IntKw)) },
        { ALT: () => this.primType(this.CONSUME(T.FloatKw)) },
        { ALT: () => this.primType(this.CONSUME(T.BoolKw)) },
        { ALT: () => this.primType(this.CONSUME(T.StringKw)) },
        { ALT: () => this.SUBRULE(this.tupleType) },
        { ALT: () => this.SUBRULE(this.listType) },
        { ALT: () => this.CONSUME(T.StringLit) },
      ],
    }));
  });

  /**
   * The type of alternatives: consecutive strings form an enumeration (`"a" | "b"` is an
   * EnumType, as before unions existed); several alternatives form a UnionType.
   */
  private unionOf(members: Array<A.TypeExpr | IToken>): A.TypeExpr {
    const alternatives: A.TypeExpr[] = [];
    let strings: IToken[] = [];
    const flush = () => {
      if (strings.length === 0) return;
      alternatives.push({
        kind: 'EnumType',
        values: strings.map((v) => ({ kind: 'StringLit', value: T.stringValue(v.image), span: this.span(v, v) })),
        span: this.span(strings[0]!, strings[strings.length - 1]!),
      });
      strings = [];
    };
    for (const m of members) {
      if ('kind' in m) {
        flush();
        alternatives.push(m);
      } else strings.push(m);
    }
    flush();
    if (alternatives.length === 1) return alternatives[0]!;
    return { kind: 'UnionType', alternatives, span: this.span(alternatives[0]!, alternatives[alternatives.length - 1]!) };
  }

  private primType(tok: IToken): A.PrimType {
    return this.ACTION(() => ({ kind: 'PrimType', name: tok.image as A.PrimType['name'], span: this.span(tok, tok) }));
  }

  private tupleType = this.RULE('tupleType', (): A.TupleType => {
    const open = this.CONSUME(T.LParen);
    const elements = [this.SUBRULE(this.type)];
    this.MANY(() => {
      this.CONSUME(T.Comma);
      elements.push(this.SUBRULE2(this.type));
    });
    this.OPTION(() => this.CONSUME2(T.Comma));
    const close = this.CONSUME(T.RParen, { ERR_MSG: closeMessage(T.RParen, 'tuple type', open) });
    return this.ACTION(() => ({ kind: 'TupleType', elements, span: this.span(open, close) }));
  });

  private listType = this.RULE('listType', (): A.ListType => {
    const open = this.CONSUME(T.LBracket);
    const element = this.SUBRULE(this.type);
    const close = this.CONSUME(T.RBracket, { ERR_MSG: closeMessage(T.RBracket, 'list type', open) });
    return this.ACTION(() => ({ kind: 'ListType', element, span: this.span(open, close) }));
  });

  private tensorType = this.RULE('tensorType', (): A.TensorType => {
    const dtype = this.OPTION(() => this.CONSUME(T.Identifier));
    const open = this.CONSUME(T.LBracket);
    const dims = this.SUBRULE(this.exprList);
    const close = this.CONSUME(T.RBracket, { ERR_MSG: closeMessage(T.RBracket, 'tensor type', open) });
    return this.ACTION(() => ({
      kind: 'TensorType',
      dtype: dtype && this.ident(dtype),
      dims,
      span: this.span(dtype ?? open, close),
    }));
  });

  // ---------------------------------------------------------------- statements

  private statement = this.RULE('statement', (): A.Stmt => {
    this.ACTION(this.markSyncAction);
    return this.OR((this.statementAlts ??= {
      ERR_MSG: 'a statement',
      DEF: [
        { ALT: () => this.SUBRULE(this.inDecl) },
        { ALT: () => this.SUBRULE(this.outDecl) },
        { ALT: () => this.SUBRULE(this.letStmt) },
      ],
    }));
  });

  private inDecl = this.RULE('inDecl', (): A.InDecl => {
    const kw = this.CONSUME(T.In);
    const name = this.CONSUME(T.Identifier);
    this.CONSUME(T.Colon);
    const type = this.SUBRULE(this.tensorType);
    return this.ACTION(() => ({ kind: 'InDecl', name: this.ident(name), type, span: this.span(kw, type) }));
  });

  private outDecl = this.RULE('outDecl', (): A.OutDecl => {
    const kw = this.CONSUME(T.Out);
    return this.OR([
      {
        ALT: () => {
          const name = this.CONSUME(T.Identifier);
          const type = this.OPTION(() => {
            this.CONSUME(T.Colon);
            return this.SUBRULE(this.tensorType);
          });
          this.CONSUME(T.Equals);
          const value = this.SUBRULE(this.expr);
          return this.ACTION(
            (): A.OutDecl => ({ kind: 'OutDecl', name: this.ident(name), type, value, span: this.span(kw, value) }),
          );
        },
      },
      {
        ALT: () => {
          const value = this.SUBRULE2(this.expr);
          return this.ACTION((): A.OutDecl => ({ kind: 'OutDecl', value, span: this.span(kw, value) }));
        },
      },
    ]);
  });

  private letStmt = this.RULE('letStmt', (): A.LetStmt => {
    const name = this.CONSUME(T.Identifier);
    const type = this.OPTION(() => {
      this.CONSUME(T.Colon);
      return this.SUBRULE(this.tensorType);
    });
    this.CONSUME(T.Equals);
    const value = this.SUBRULE(this.expr);
    return this.ACTION(() => ({ kind: 'LetStmt', name: this.ident(name), type, value, span: this.span(name, value) }));
  });
}

let instance: NetParser | undefined;

/** The shared parser, built on first use (grammar analysis runs once per process). */
export function netParser(): NetParser {
  instance ??= new NetParser();
  return instance;
}
