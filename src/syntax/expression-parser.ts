/**
 * Expressions and pipeline stages of the `.net` grammar: the half of the parser that the
 * file-level rules (parser.ts) build on. See parser.ts for why the parser uses embedded actions.
 */
import type { DSLMethodOpts, IOrAlt, IToken, OrMethodOpts } from 'chevrotain';
import type * as A from './ast.ts';
import type { Span } from '../diag/span.ts';
import { closeMessage, RecoveringParser } from './recovery.ts';
import { tokenEnd, tokenStart } from './token-span.ts';
import * as T from './lexer.ts';

type Node = { span: Span };

const binaryOps: Record<string, A.BinaryOp> = {
  or: 'or', and: 'and', '==': '==', '!=': '!=', '<': '<', '<=': '<=', '>': '>', '>=': '>=',
  '+': '+', '-': '-', '*': '*', '/': '/', div: '//', '%': '%',
};

export abstract class ExpressionParser extends RecoveringParser {
  protected file = '';

  // Chevrotain evaluates the argument of OR and OPTION on every rule call, so alternatives written
  // inline allocate an array, objects and closures each time. Those that use nothing but `this`
  // are built on first use and kept here; those that capture a rule's locals stay inline.
  protected readonly markSyncAction = (): void => this.markSyncStart();
  private notExprAlts?: OrMethodOpts<A.Expr>;
  private compareOpAlts?: IOrAlt<IToken>[];
  private addOpAlts?: IOrAlt<IToken>[];
  private mulOpAlts?: IOrAlt<IToken>[];
  private unaryExprAlts?: OrMethodOpts<A.Expr>;
  private memberAlts?: OrMethodOpts<IToken>;
  private primaryAlts?: OrMethodOpts<A.Expr>;
  private argAlts?: IOrAlt<A.Arg>[];
  private stageLabelOpt?: DSLMethodOpts<IToken>;
  private stageLabelAlts?: IOrAlt<IToken>[];
  private stageBodyAlts?: OrMethodOpts<A.Stage['body']>;

  // ---------------------------------------------------------------- span helpers

  protected span(from: IToken | Node, to: IToken | Node): Span {
    const start = 'span' in from ? from.span.start : tokenStart(from);
    const end = 'span' in to ? to.span.end : tokenEnd(to);
    return { file: this.file, start, end };
  }

  protected ident(tok: IToken): A.Ident {
    return { kind: 'Ident', name: tok.image, span: this.span(tok, tok) };
  }

  protected intLit(tok: IToken): A.IntLit {
    return { kind: 'IntLit', value: Number(tok.image), raw: tok.image, span: this.span(tok, tok) };
  }

  protected binary(op: IToken, left: A.Expr, right: A.Expr): A.BinaryExpr {
    return {
      kind: 'BinaryExpr',
      op: binaryOps[op.image] ?? '+',
      left,
      right,
      opSpan: this.span(op, op),
      span: this.span(left, right),
    };
  }

  // ---------------------------------------------------------------- expressions

  /** A full expression: a pipeline or anything of higher precedence. */
  protected expr = this.RULE('expr', (): A.Expr => {
    const head = this.SUBRULE(this.orExpr);
    const stages: A.Stage[] = [];
    this.MANY(() => {
      this.CONSUME(T.PipeOp);
      stages.push(this.SUBRULE(this.stage));
    });
    return this.ACTION(() =>
      stages.length === 0
        ? head
        : { kind: 'PipeExpr', head, stages, span: this.span(head, stages[stages.length - 1]!) },
    );
  });

  protected orExpr = this.RULE('orExpr', (): A.Expr => {
    let left = this.SUBRULE(this.andExpr);
    this.MANY(() => {
      const op = this.CONSUME(T.Or);
      const right = this.SUBRULE2(this.andExpr);
      left = this.ACTION(() => this.binary(op, left, right));
    });
    return left;
  });

  private andExpr = this.RULE('andExpr', (): A.Expr => {
    let left = this.SUBRULE(this.notExpr);
    this.MANY(() => {
      const op = this.CONSUME(T.And);
      const right = this.SUBRULE2(this.notExpr);
      left = this.ACTION(() => this.binary(op, left, right));
    });
    return left;
  });

  private notExpr = this.RULE('notExpr', (): A.Expr => {
    return this.OR((this.notExprAlts ??= { ERR_MSG: 'an expression', DEF: [
      {
        ALT: () => {
          const op = this.CONSUME(T.Not);
          const operand = this.SUBRULE(this.notExpr);
          return this.ACTION((): A.Expr => ({ kind: 'UnaryExpr', op: 'not', operand, span: this.span(op, operand) }));
        },
      },
      { ALT: () => this.SUBRULE(this.compareExpr) },
    ] }));
  });

  private compareExpr = this.RULE('compareExpr', (): A.Expr => {
    let left = this.SUBRULE(this.addExpr);
    this.MANY(() => {
      const op = this.OR((this.compareOpAlts ??= [
        { ALT: () => this.CONSUME(T.EqEq) },
        { ALT: () => this.CONSUME(T.NotEq) },
        { ALT: () => this.CONSUME(T.Lt) },
        { ALT: () => this.CONSUME(T.LtEq) },
        { ALT: () => this.CONSUME(T.Gt) },
        { ALT: () => this.CONSUME(T.GtEq) },
      ]));
      const right = this.SUBRULE2(this.addExpr);
      left = this.ACTION(() => this.binary(op, left, right));
    });
    return left;
  });

  private addExpr = this.RULE('addExpr', (): A.Expr => {
    let left = this.SUBRULE(this.mulExpr);
    this.MANY(() => {
      const op = this.OR((this.addOpAlts ??= [
        { ALT: () => this.CONSUME(T.Plus) },
        { ALT: () => this.CONSUME(T.Minus) },
      ]));
      const right = this.SUBRULE2(this.mulExpr);
      left = this.ACTION(() => this.binary(op, left, right));
    });
    return left;
  });

  private mulExpr = this.RULE('mulExpr', (): A.Expr => {
    let left = this.SUBRULE(this.unaryExpr);
    this.MANY(() => {
      const op = this.OR((this.mulOpAlts ??= [
        { ALT: () => this.CONSUME(T.Star) },
        { ALT: () => this.CONSUME(T.Slash) },
        { ALT: () => this.CONSUME(T.Div) },
        { ALT: () => this.CONSUME(T.Percent) },
      ]));
      const right = this.SUBRULE2(this.unaryExpr);
      left = this.ACTION(() => this.binary(op, left, right));
    });
    return left;
  });

  private unaryExpr = this.RULE('unaryExpr', (): A.Expr => {
    return this.OR((this.unaryExprAlts ??= { ERR_MSG: 'an expression', DEF: [
      {
        ALT: () => {
          const op = this.CONSUME(T.Minus);
          const operand = this.SUBRULE(this.unaryExpr);
          return this.ACTION((): A.Expr => ({ kind: 'UnaryExpr', op: '-', operand, span: this.span(op, operand) }));
        },
      },
      { ALT: () => this.SUBRULE(this.postfixExpr) },
    ] }));
  });

  private postfixExpr = this.RULE('postfixExpr', (): A.Expr => {
    let object = this.SUBRULE(this.primary);
    this.MANY(() => {
      this.OR([
        {
          ALT: () => {
            this.CONSUME(T.Dot);
            const member = this.OR2((this.memberAlts ??= {
              ERR_MSG: 'a member name or an element index after `.`',
              DEF: [{ ALT: () => this.CONSUME(T.Identifier) }, { ALT: () => this.CONSUME(T.IntLit) }],
            }));
            object = this.ACTION((): A.Expr => ({
              kind: 'MemberExpr',
              object,
              member: member.tokenType === T.IntLit ? this.intLit(member) : this.ident(member),
              span: this.span(object, member),
            }));
          },
        },
        {
          ALT: () => {
            const open = this.CONSUME(T.LBracket);
            const index = this.SUBRULE(this.expr);
            const close = this.CONSUME(T.RBracket, { ERR_MSG: closeMessage(T.RBracket, 'index', open) });
            object = this.ACTION((): A.Expr => ({ kind: 'IndexExpr', object, index, span: this.span(object, close) }));
          },
        },
      ]);
    });
    return object;
  });

  private primary = this.RULE('primary', (): A.Expr => {
    return this.OR((this.primaryAlts ??= {
      ERR_MSG: 'an expression',
      DEF: [
        { ALT: () => this.literal(this.CONSUME(T.IntLit)) },
        { ALT: () => this.literal(this.CONSUME(T.FloatLit)) },
        { ALT: () => this.literal(this.CONSUME(T.StringLit)) },
        { ALT: () => this.literal(this.CONSUME(T.True)) },
        { ALT: () => this.literal(this.CONSUME(T.False)) },
        // A name that starts a line and is followed by `=` starts the next statement.
        { GATE: () => !this.isStatementStart(1), ALT: () => this.SUBRULE(this.nameOrCall) },
        { ALT: () => this.SUBRULE(this.parenOrTuple) },
        { ALT: () => this.SUBRULE(this.listExpr) },
        { ALT: () => this.SUBRULE(this.ifExpr) },
      ],
    }));
  });

  private literal(tok: IToken): A.Expr {
    return this.ACTION((): A.Expr => {
      const span = this.span(tok, tok);
      switch (tok.tokenType) {
        case T.IntLit:
          return this.intLit(tok);
        case T.FloatLit:
          return { kind: 'FloatLit', value: Number(tok.image), raw: tok.image, span };
        case T.True:
        case T.False:
          return { kind: 'BoolLit', value: tok.tokenType === T.True, span };
        default:
          return { kind: 'StringLit', value: T.stringValue(tok.image), span };
      }
    });
  }

  private nameOrCall = this.RULE('nameOrCall', (): A.Expr => {
    const name = this.CONSUME(T.Identifier);
    const args = this.OPTION(() => this.SUBRULE(this.argList));
    return this.ACTION((): A.Expr =>
      args === undefined
        ? { kind: 'NameRef', name: name.image, span: this.span(name, name) }
        : { kind: 'CallExpr', callee: this.ident(name), args: args.args, argsSpan: args.span, span: this.span(name, args) },
    );
  });

  protected argList = this.RULE('argList', (): { args: A.Arg[]; span: Span } => {
    const open = this.CONSUME(T.LParen);
    const args: Array<A.Arg | undefined> = [];
    this.OPTION(() => {
      args.push(this.SUBRULE(this.arg));
      this.MANY(() => {
        this.CONSUME(T.Comma);
        args.push(this.SUBRULE2(this.arg));
      });
      this.OPTION2(() => this.CONSUME2(T.Comma));
    });
    const close = this.CONSUME(T.RParen, { ERR_MSG: closeMessage(T.RParen, 'argument list', open) });
    return this.ACTION(() => ({ args: args.filter((a): a is A.Arg => a !== undefined), span: this.span(open, close) }));
  });

  private arg = this.RULE('arg', (): A.Arg => {
    this.ACTION(this.markSyncAction);
    return this.OR((this.argAlts ??= [
      {
        ALT: () => {
          const name = this.CONSUME(T.Identifier);
          this.CONSUME(T.Equals);
          const value = this.SUBRULE(this.expr);
          return this.ACTION((): A.Arg => ({ kind: 'Arg', name: this.ident(name), value, span: this.span(name, value) }));
        },
      },
      {
        ALT: () => {
          const value = this.SUBRULE2(this.expr);
          return this.ACTION((): A.Arg => ({ kind: 'Arg', value, span: value.span }));
        },
      },
    ]));
  });

  private parenOrTuple = this.RULE('parenOrTuple', (): A.Expr => {
    const open = this.CONSUME(T.LParen);
    const elements: A.Expr[] = [];
    let trailingComma = false;
    this.OPTION(() => {
      elements.push(this.SUBRULE(this.expr));
      this.MANY(() => {
        this.CONSUME(T.Comma);
        elements.push(this.SUBRULE2(this.expr));
      });
      this.OPTION2(() => {
        this.CONSUME2(T.Comma);
        trailingComma = true;
      });
    });
    const close = this.CONSUME(T.RParen, { ERR_MSG: closeMessage(T.RParen, 'parenthesis', open) });
    return this.ACTION((): A.Expr =>
      elements.length === 1 && !trailingComma
        ? { kind: 'ParenExpr', expr: elements[0]!, span: this.span(open, close) }
        : { kind: 'TupleExpr', elements, span: this.span(open, close) },
    );
  });

  private listExpr = this.RULE('listExpr', (): A.Expr => {
    const open = this.CONSUME(T.LBracket);
    const elements = this.SUBRULE(this.exprList);
    const close = this.CONSUME(T.RBracket, { ERR_MSG: closeMessage(T.RBracket, 'list', open) });
    return this.ACTION((): A.Expr => ({ kind: 'ListExpr', elements, span: this.span(open, close) }));
  });

  /** `a, b, c` with an optional trailing comma, possibly empty (list elements, tensor dimensions). */
  protected exprList = this.RULE('exprList', (): A.Expr[] => {
    const elements: A.Expr[] = [];
    this.OPTION(() => {
      elements.push(this.SUBRULE(this.expr));
      this.MANY(() => {
        this.CONSUME(T.Comma);
        elements.push(this.SUBRULE2(this.expr));
      });
      this.OPTION2(() => this.CONSUME2(T.Comma));
    });
    return elements;
  });

  private ifExpr = this.RULE('ifExpr', (): A.IfExpr => {
    const kw = this.CONSUME(T.If);
    const cond = this.SUBRULE(this.orExpr);
    const open = this.CONSUME(T.LBrace);
    const then = this.SUBRULE(this.expr);
    const close = this.CONSUME(T.RBrace, { ERR_MSG: closeMessage(T.RBrace, 'branch', open) });
    let end: IToken | Node = close;
    const otherwise = this.OPTION(() => {
      this.CONSUME(T.Else);
      return this.OR({ ERR_MSG: '`{` or `if` after `else`', DEF: [
        {
          ALT: () => {
            const nested = this.SUBRULE(this.ifExpr);
            end = nested;
            return nested;
          },
        },
        {
          ALT: () => {
            const open2 = this.CONSUME2(T.LBrace);
            const value = this.SUBRULE2(this.expr);
            end = this.CONSUME2(T.RBrace, { ERR_MSG: closeMessage(T.RBrace, 'branch', open2) });
            return value;
          },
        },
      ] });
    });
    return this.ACTION(() => ({ kind: 'IfExpr', cond, then, else: otherwise, span: this.span(kw, end) }));
  });

  // ---------------------------------------------------------------- pipeline stages

  protected stage = this.RULE('stage', (): A.Stage => {
    const label = this.OPTION((this.stageLabelOpt ??= {
      GATE: () => !this.isStatementStart(1),
      DEF: () => {
        // A keyword is a label too (`block: seq {...}`, torchvision's MBConv), since the
        // `:` after it tells it apart: PyTorch names modules with any identifier.
        const tok = this.OR((this.stageLabelAlts ??= [
          { ALT: () => this.CONSUME(T.Identifier) },
          { ALT: () => this.CONSUME(T.IntLit) },
          ...T.KEYWORDS.map((k) => ({ ALT: () => this.CONSUME(k.token) })),
        ]));
        this.CONSUME(T.Colon);
        return tok;
      },
    }));
    const body = this.OR2((this.stageBodyAlts ??= {
      ERR_MSG: 'a pipeline stage',
      DEF: [
        { GATE: () => !this.isStatementStart(1), ALT: () => this.SUBRULE(this.callStage) },
        { ALT: () => this.SUBRULE(this.seqStage) },
        { ALT: () => this.SUBRULE(this.repeatStage) },
        { ALT: () => this.SUBRULE(this.ifStage) },
      ],
    }));
    return this.ACTION(() => ({
      kind: 'Stage',
      label: label && (label.tokenType === T.IntLit ? this.intLit(label) : this.ident(label)),
      body,
      span: this.span(label ?? body, body),
    }));
  });

  private callStage = this.RULE('callStage', (): A.CallStage => {
    const callee = this.CONSUME(T.Identifier);
    const args = this.OPTION(() => this.SUBRULE(this.argList));
    return this.ACTION(() => ({
      kind: 'CallStage',
      callee: this.ident(callee),
      args: args?.args ?? [],
      argsSpan: args?.span,
      span: this.span(callee, args ?? callee),
    }));
  });

  /** `{ s1 |> s2 |> ... }`, possibly empty. */
  private stageBlock = this.RULE('stageBlock', (): { stages: A.Stage[]; close: IToken } => {
    const open = this.CONSUME(T.LBrace);
    const stages: A.Stage[] = [];
    this.OPTION(() => {
      stages.push(this.SUBRULE(this.stage));
      this.MANY(() => {
        this.CONSUME(T.PipeOp);
        stages.push(this.SUBRULE2(this.stage));
      });
    });
    const close = this.CONSUME(T.RBrace, { ERR_MSG: closeMessage(T.RBrace, 'stage list', open) });
    return { stages, close };
  });

  private seqStage = this.RULE('seqStage', (): A.SeqStage => {
    const kw = this.CONSUME(T.Seq);
    const block = this.SUBRULE(this.stageBlock);
    return this.ACTION(() => ({ kind: 'SeqStage', stages: block.stages, span: this.span(kw, block.close) }));
  });

  private repeatStage = this.RULE('repeatStage', (): A.RepeatStage => {
    const kw = this.CONSUME(T.Repeat);
    const count = this.SUBRULE(this.orExpr);
    const index = this.OPTION(() => {
      this.CONSUME(T.As);
      return this.CONSUME(T.Identifier);
    });
    const block = this.SUBRULE(this.stageBlock);
    return this.ACTION(() => ({
      kind: 'RepeatStage',
      count,
      index: index && this.ident(index),
      stages: block.stages,
      span: this.span(kw, block.close),
    }));
  });

  private ifStage = this.RULE('ifStage', (): A.IfStage => {
    const kw = this.CONSUME(T.If);
    const cond = this.SUBRULE(this.orExpr);
    const then = this.SUBRULE(this.stageBlock);
    let end: IToken | Node = then.close;
    const otherwise = this.OPTION(() => {
      this.CONSUME(T.Else);
      return this.OR({ ERR_MSG: '`{` or `if` after `else`', DEF: [
        {
          ALT: () => {
            const nested = this.SUBRULE(this.ifStage);
            end = nested;
            return this.ACTION((): A.Stage[] => [{ kind: 'Stage', body: nested, span: nested.span }]);
          },
        },
        {
          ALT: () => {
            const block = this.SUBRULE2(this.stageBlock);
            end = block.close;
            return block.stages;
          },
        },
      ] });
    });
    return this.ACTION(() => ({ kind: 'IfStage', cond, then: then.stages, else: otherwise, span: this.span(kw, end) }));
  });
}
