/**
 * Error recovery for the `.net` parser, tuned so that one mistake gives one diagnostic.
 *
 * Chevrotain's default recovery re-synchronises on any token of the follow sets, and in this
 * language an identifier follows almost everything, so it would restart parsing in the middle
 * of an expression and report the rest of the line again. Instead:
 *
 * - `statement`, `item` and the elements of comma lists (`arg`, `param`, `importName`) are
 *   synchronisation points. A syntax error below one of them skips tokens, keeping track of
 *   bracket depth, to the next boundary: the next statement (a line starting with `name =`,
 *   `name: [`, `in`, `out`, or the `}` of the body), the next item keyword, or for list
 *   elements the next `,` or the list's closer.
 * - A closing `)`, `]` or `}` may be inserted when the line ended, the file ended or a new item
 *   starts: the usual shape of a forgotten closer. It is never inserted in front of the start
 *   of a statement when something else is expected.
 * - Stray tokens where a statement or an item should start are reported once and skipped to
 *   the next boundary.
 *
 * The recognizer methods overridden here are Chevrotain internals (version 11), typed below.
 */
import {
  EmbeddedActionsParser,
  EOF,
  createTokenInstance,
  isRecognitionException,
  tokenMatcher,
  type IParserErrorMessageProvider,
  type IRecognitionException,
  type IToken,
  type TokenType,
} from 'chevrotain';
import {
  allTokens, Block, Colon, Const, Equals, Identifier, Import, In, LBrace, LBracket, LParen, Network, Out, RBrace,
  RBracket, RParen, Comma,
} from './lexer.ts';

/** One syntax error as the parser saw it; turned into a diagnostic by parse-errors.ts. */
export interface SyntaxErrorRecord {
  kind: 'mismatch' | 'close' | 'noalt' | 'junk';
  found: IToken;
  previous: IToken | undefined;
  expected?: TokenType;
  /** For `close`: what the delimiter encloses ("argument list") and where it was opened. */
  what?: string;
  openOffset?: number;
  /** For `noalt`: what was expected ("an expression"). */
  desc?: string;
  /** Rules being parsed, outermost first. */
  ruleStack: string[];
}

/** Chevrotain internals used by the overrides (see chevrotain/lib/src/parse/parser/traits). */
interface ChevrotainInternals {
  RULE_STACK_IDX: number;
  recoveryEnabled: boolean;
  getCurrRuleFullName(): string;
  getHumanReadableRuleStack(): string[];
  exportLexerState(): number;
  importLexerState(state: number): void;
  SKIP_TOKEN(): IToken;
  isBackTracking(): boolean;
  moveToTerminatedState(): void;
}

const tokenTypeByName = new Map<string, TokenType>([...allTokens, EOF].map((t) => [t.name, t]));

const ITEM_KEYWORDS = [Import, Const, Block, Network];
const OPENERS = [LParen, LBracket, LBrace];
const CLOSERS = [RParen, RBracket, RBrace];
const OPENER_OF = new Map<TokenType, TokenType>([[RParen, LParen], [RBracket, LBracket], [RBrace, LBrace]]);

/** Update a stack of open brackets with `tok`; a closer pops up to its opener, a stray closer is ignored. */
function track(open: TokenType[], tok: IToken): void {
  if (isA(tok, OPENERS)) {
    open.push(tok.tokenType);
    return;
  }
  const opener = OPENER_OF.get(tok.tokenType);
  if (opener === undefined) return;
  const at = open.lastIndexOf(opener);
  if (at >= 0) open.length = at;
}

export const isA = (tok: IToken, types: TokenType[]): boolean => types.some((t) => tokenMatcher(tok, t));
export const isEof = (tok: IToken): boolean => tokenMatcher(tok, EOF);

/** Rules at which a syntax error below is caught, and the tokens that end their skip. */
const LIST_SYNC: Record<string, TokenType> = { arg: RParen, param: RParen, importName: RBrace };

/** `close|<closer>|<what>|<offset>`: the ERR_MSG of a closing delimiter, decoded in `errorRecord`. */
export function closeMessage(closer: TokenType, what: string, open: IToken): string {
  return `close|${closer.name}|${what}|${open.startOffset}`;
}

const messageProvider: IParserErrorMessageProvider = {
  buildMismatchTokenMessage: ({ expected }) => JSON.stringify({ kind: 'mismatch', expected: expected.name }),
  buildNotAllInputParsedMessage: () => JSON.stringify({ kind: 'junk' }),
  buildNoViableAltMessage: ({ customUserDescription }) =>
    JSON.stringify({ kind: 'noalt', desc: customUserDescription }),
  buildEarlyExitMessage: ({ customUserDescription }) => JSON.stringify({ kind: 'noalt', desc: customUserDescription }),
};

export abstract class RecoveringParser extends EmbeddedActionsParser {
  /** Errors found by the overrides below (stray tokens); Chevrotain's own are in `errors`. */
  protected junkErrors: SyntaxErrorRecord[] = [];
  /** Token index at which each active synchronisation rule started, by rule-stack depth. */
  private syncStart: number[] = [];

  constructor(validate: boolean) {
    super(allTokens, {
      recoveryEnabled: true,
      maxLookahead: 4,
      skipValidations: !validate,
      errorMessageProvider: messageProvider,
    });
    // Chevrotain installs its repetition recovery as an instance property; ours replaces it.
    (this as unknown as { attemptInRepetitionRecovery: unknown }).attemptInRepetitionRecovery =
      RecoveringParser.prototype.attemptInRepetitionRecovery;
  }

  private get internals(): ChevrotainInternals {
    return this as unknown as ChevrotainInternals;
  }

  protected resetRecovery(): void {
    this.junkErrors = [];
    this.syncStart = [];
  }

  /** Called first thing in a synchronisation rule (inside ACTION, so not while recording). */
  protected markSyncStart(): void {
    this.syncStart[this.internals.RULE_STACK_IDX] = this.internals.exportLexerState() + 1;
  }

  /** All errors of the last parse, in source order. */
  protected collectErrors(): SyntaxErrorRecord[] {
    const records = this.errors.map((e) => errorRecord(e));
    return [...records, ...this.junkErrors].sort((a, b) => offsetOf(a.found) - offsetOf(b.found));
  }

  // ---------------------------------------------------------------- boundaries

  /** Does LA(k) start a line (the token before it ends on an earlier line)? */
  protected startsLine(k: number): boolean {
    const tok = this.LA(k);
    const prev = this.LA(k - 1);
    if (isEof(prev) || prev.endLine === undefined || tok.startLine === undefined) return true;
    return prev.endLine < tok.startLine;
  }

  /** Does LA(k) look like the start of a statement: `in`, `out`, or a line `name =` / `name: [..] =`? */
  protected isStatementStart(k: number): boolean {
    const tok = this.LA(k);
    // `in:` and `out:` are labels of a stage (keywords may label stages), not statements.
    if (isA(tok, [In, Out])) return !tokenMatcher(this.LA(k + 1), Colon);
    if (!tokenMatcher(tok, Identifier) || !this.startsLine(k)) return false;
    const next = this.LA(k + 1);
    if (tokenMatcher(next, Equals)) return true;
    if (!tokenMatcher(next, Colon)) return false;
    const after = this.LA(k + 2);
    return tokenMatcher(after, LBracket) || (tokenMatcher(after, Identifier) && tokenMatcher(this.LA(k + 3), LBracket));
  }

  private isHardBoundary(tok: IToken): boolean {
    return isEof(tok) || isA(tok, ITEM_KEYWORDS);
  }

  // ---------------------------------------------------------------- overrides

  /** Rule-level recovery: synchronisation rules skip to their boundary, others pass the error up. */
  invokeRuleCatch(e: unknown, _resyncEnabled: boolean, recoveryValueFunc: (e: unknown) => unknown): unknown {
    if (!isRecognitionException(e as Error)) throw e;
    const p = this.internals;
    if (!p.recoveryEnabled || p.isBackTracking()) {
      if (p.RULE_STACK_IDX === 0) {
        p.moveToTerminatedState();
        return recoveryValueFunc(e);
      }
      throw e;
    }
    const rule = p.getCurrRuleFullName();
    if (rule === 'statement') {
      this.skipStatement(this.openSinceStart());
      return recoveryValueFunc(e);
    }
    if (rule === 'item' || p.RULE_STACK_IDX === 0) {
      while (!this.isHardBoundary(this.LA(1))) p.SKIP_TOKEN();
      return recoveryValueFunc(e);
    }
    const listCloser = LIST_SYNC[rule];
    if (listCloser !== undefined && this.skipListElement(listCloser, this.openSinceStart())) return recoveryValueFunc(e);
    throw e;
  }

  /** Brackets opened (and not closed) between the start of the current synchronisation rule and LA(1). */
  private openSinceStart(): TokenType[] {
    const p = this.internals;
    const start = this.syncStart[p.RULE_STACK_IDX] ?? p.exportLexerState() + 1;
    const tokens = this.input;
    const open: TokenType[] = [];
    for (let i = start; i <= p.exportLexerState() && i < tokens.length; i++) track(open, tokens[i]!);
    return open;
  }

  /**
   * Skip to the next statement boundary outside brackets (or an item keyword / end of file).
   * Brackets left open by the broken statement do not hide a `}` that closes the body, nor an
   * `in` / `out` that starts the next statement.
   */
  private skipStatement(open: TokenType[]): void {
    const p = this.internals;
    for (;;) {
      const tok = this.LA(1);
      if (this.isHardBoundary(tok)) return;
      const braces = open.includes(LBrace);
      if (!braces && tokenMatcher(tok, RBrace)) return;
      if (open.length === 0 && this.isStatementStart(1)) return;
      if (!braces && isA(tok, [In, Out])) return;
      track(open, tok);
      p.SKIP_TOKEN();
    }
  }

  /**
   * Skip to the `,` or closer that ends a list element. Returns false without skipping when a
   * statement boundary or a foreign closer comes first: the enclosing statement then recovers.
   */
  private skipListElement(closer: TokenType, open: TokenType[]): boolean {
    const p = this.internals;
    const saved = p.exportLexerState();
    for (;;) {
      const tok = this.LA(1);
      if (this.isHardBoundary(tok) || isA(tok, [In, Out]) || (open.length === 0 && this.isStatementStart(1))) break;
      if (open.length === 0 && (tokenMatcher(tok, Comma) || tokenMatcher(tok, closer))) return true;
      if (isA(tok, CLOSERS) && !open.includes(OPENER_OF.get(tok.tokenType)!)) break;
      track(open, tok);
      p.SKIP_TOKEN();
    }
    p.importLexerState(saved);
    return false;
  }

  /**
   * Called when a MANY loop ends on a token that does not follow it. In a block body or at file
   * level that token is stray: report it once, skip to the next boundary and resume the loop.
   * Other loops leave the error to the token that follows them.
   */
  attemptInRepetitionRecovery(
    prodFunc: (...args: unknown[]) => void,
    args: unknown[],
    lookaheadFunc: () => boolean,
    _dslMethodIdx: number,
    _prodOccurrence: number,
    _nextToksWalker: unknown,
    notStuck: boolean,
  ): void {
    const p = this.internals;
    if (notStuck === false || p.isBackTracking()) return;
    const rule = p.getCurrRuleFullName();
    const tok = this.LA(1);
    if (rule === 'blockBody') {
      if (tokenMatcher(tok, RBrace) || this.isHardBoundary(tok)) return;
      this.recordJunk(tok);
      p.SKIP_TOKEN();
      this.skipStatement(isA(tok, OPENERS) ? [tok.tokenType] : []);
    } else if (rule === 'sourceFile') {
      if (isEof(tok)) return;
      this.recordJunk(tok);
      p.SKIP_TOKEN();
      while (!this.isHardBoundary(this.LA(1))) p.SKIP_TOKEN();
    } else {
      return;
    }
    if (lookaheadFunc.call(this)) prodFunc.apply(this, args);
  }

  private recordJunk(found: IToken): void {
    this.junkErrors.push({
      kind: 'junk',
      found,
      previous: this.LA(0),
      ruleStack: this.internals.getHumanReadableRuleStack(),
    });
  }

  /** Closers go in where a line or the file ended; other tokens only where Chevrotain finds them in the follow set. */
  canRecoverWithSingleTokenInsertion(expected: TokenType, follows: TokenType[]): boolean {
    const next = this.LA(1);
    // An inserted opener would need a closer later that the user did not write either.
    if (OPENERS.includes(expected)) return false;
    if (CLOSERS.includes(expected)) {
      if (tokenMatcher(this.LA(2), expected) && this.canRecoverWithSingleTokenDeletion(expected)) return false;
      if (this.isHardBoundary(next) || this.startsLine(1)) return true;
      if (CLOSERS.some((c) => c !== expected && tokenMatcher(next, c))) return true;
      // `block A(c: int {`: the body starts, the list must have ended.
      if (expected !== RBrace && tokenMatcher(next, LBrace)) return true;
      // Otherwise the closer is not simply missing (`f(a b)`): the follow set, which holds
      // every statement start, would let recovery read the rest of the line as a new statement.
      return false;
    } else if (this.isStatementStart(1) || this.isHardBoundary(next) || tokenMatcher(next, RBrace)) {
      return false;
    }
    return follows.some((t) => tokenMatcher(next, t));
  }

  /** Never delete a token that starts a statement or an item, or closes a body. */
  canRecoverWithSingleTokenDeletion(expected: TokenType): boolean {
    const next = this.LA(1);
    if (this.isHardBoundary(next) || tokenMatcher(next, RBrace) || this.isStatementStart(1)) return false;
    return tokenMatcher(this.LA(2), expected);
  }

  /** A token inserted by recovery sits, zero-width, just after the previous token. */
  override getTokenToInsert(tokType: TokenType): IToken {
    const prev = this.LA(0);
    const next = this.LA(1);
    let tok: IToken;
    if (!isEof(prev) && prev.endOffset !== undefined) {
      tok = createTokenInstance(tokType, '', prev.endOffset + 1, prev.endOffset, prev.endLine!, prev.endLine!, prev.endColumn! + 1, prev.endColumn!);
    } else if (!isEof(next)) {
      tok = createTokenInstance(tokType, '', next.startOffset, next.startOffset - 1, next.startLine!, next.startLine!, next.startColumn!, next.startColumn! - 1);
    } else {
      tok = createTokenInstance(tokType, '', 0, -1, 1, 1, 1, 0);
    }
    tok.isInsertedInRecovery = true;
    return tok;
  }
}

function offsetOf(tok: IToken): number {
  return isEof(tok) || Number.isNaN(tok.startOffset) ? Number.MAX_SAFE_INTEGER : tok.startOffset;
}

function errorRecord(e: IRecognitionException): SyntaxErrorRecord {
  const previous = (e as { previousToken?: IToken }).previousToken;
  const base = { found: e.token, previous, ruleStack: e.context?.ruleStack ?? [] };
  if (e.message.startsWith('close|')) {
    const [, closer, what, offset] = e.message.split('|');
    return { ...base, kind: 'close', expected: tokenTypeByName.get(closer!), what, openOffset: Number(offset) };
  }
  try {
    const info = JSON.parse(e.message) as { kind: SyntaxErrorRecord['kind']; expected?: string; desc?: string };
    return {
      ...base,
      kind: info.kind,
      expected: info.expected !== undefined ? tokenTypeByName.get(info.expected) : undefined,
      desc: info.desc,
    };
  } catch {
    return { ...base, kind: 'noalt' };
  }
}
