/**
 * The typed syntax tree of a `.net` file. Every node carries the span of the source text it
 * came from; later stages report diagnostics against these spans.
 *
 * The tree is plain data (no methods, no parent links) so that it can be printed, compared
 * in tests and serialised. `kind` discriminates every union.
 */
import type { Span } from '../diag/span.ts';

export interface Ident {
  kind: 'Ident';
  name: string;
  span: Span;
}

// ---------------------------------------------------------------- file and items

export interface SourceFile {
  kind: 'SourceFile';
  path: string;
  items: Item[];
  /** Comments, kept for the formatter: each with its span and text (delimiters included). */
  comments: Comment[];
  span: Span;
}

export interface Comment {
  kind: 'Comment';
  text: string;
  block: boolean;
  span: Span;
}

export type Item = ImportDecl | ConstDecl | BlockDecl;

/** `import { Inception, Stem as S } from "./inception.net"` or from the library: `"std/resnet"`. */
export interface ImportDecl {
  kind: 'ImportDecl';
  names: ImportName[];
  path: StringLit;
  span: Span;
}

export interface ImportName {
  kind: 'ImportName';
  name: Ident;
  alias?: Ident;
  span: Span;
}

/** `const NGF = 64` at file level. */
export interface ConstDecl {
  kind: 'ConstDecl';
  name: Ident;
  value: Expr;
  span: Span;
}

/**
 * `block Name(params) { ... }` or `network Name(params) { ... }`. A network is a block that can
 * be an entry point: all its parameters have defaults.
 */
export interface BlockDecl {
  kind: 'BlockDecl';
  isNetwork: boolean;
  name: Ident;
  params: ParamDecl[];
  body: Stmt[];
  span: Span;
}

export interface ParamDecl {
  kind: 'ParamDecl';
  name: Ident;
  type: TypeExpr;
  default?: Expr;
  span: Span;
}

// ---------------------------------------------------------------- types

export type TypeExpr = PrimType | TupleType | ListType | EnumType | UnionType;

export interface PrimType {
  kind: 'PrimType';
  name: 'int' | 'float' | 'bool' | 'string';
  span: Span;
}

/** `(int, int)` */
export interface TupleType {
  kind: 'TupleType';
  elements: TypeExpr[];
  span: Span;
}

/** `[int]`: a list of any length. */
export interface ListType {
  kind: 'ListType';
  element: TypeExpr;
  span: Span;
}

/** `"nearest" | "bilinear"`: one of the listed strings. */
export interface EnumType {
  kind: 'EnumType';
  values: StringLit[];
  span: Span;
}

/**
 * `int | (int, int, int)`, `int | [int] | "same"`: a value of any of the alternatives (the
 * first that fits). Consecutive strings among them are one EnumType; a union has at least two
 * alternatives and none is itself a union.
 */
export interface UnionType {
  kind: 'UnionType';
  alternatives: TypeExpr[];
  span: Span;
}

/** `f32[N, 3, H/2, 224]`; the element type is optional and defaults to f32. */
export interface TensorType {
  kind: 'TensorType';
  dtype?: Ident;
  dims: Expr[];
  span: Span;
}

// ---------------------------------------------------------------- statements

export type Stmt = InDecl | OutDecl | LetStmt;

/** `in x: [N, C, H, W]` */
export interface InDecl {
  kind: 'InDecl';
  name: Ident;
  type: TensorType;
  span: Span;
}

/** `out y = expr`, `out expr` (single unnamed output), optionally `out y: [..] = expr`. */
export interface OutDecl {
  kind: 'OutDecl';
  name?: Ident;
  type?: TensorType;
  value: Expr;
  span: Span;
}

/** `y = expr` or `y: [N, 64, H, W] = expr` (the type is checked against the inferred shape). */
export interface LetStmt {
  kind: 'LetStmt';
  name: Ident;
  type?: TensorType;
  value: Expr;
  span: Span;
}

// ---------------------------------------------------------------- expressions

export type Expr =
  | IntLit
  | FloatLit
  | StringLit
  | BoolLit
  | NameRef
  | TupleExpr
  | ListExpr
  | UnaryExpr
  | BinaryExpr
  | MemberExpr
  | IndexExpr
  | CallExpr
  | PipeExpr
  | IfExpr
  | ParenExpr;

export interface IntLit {
  kind: 'IntLit';
  value: number;
  /** Source text, kept for the formatter. */
  raw: string;
  span: Span;
}

export interface FloatLit {
  kind: 'FloatLit';
  value: number;
  raw: string;
  span: Span;
}

export interface StringLit {
  kind: 'StringLit';
  value: string;
  span: Span;
}

export interface BoolLit {
  kind: 'BoolLit';
  value: boolean;
  span: Span;
}

export interface NameRef {
  kind: 'NameRef';
  name: string;
  span: Span;
}

/** `(a, b)`; a one-element tuple is written `(a,)`. */
export interface TupleExpr {
  kind: 'TupleExpr';
  elements: Expr[];
  span: Span;
}

/** `[a, b, c]` */
export interface ListExpr {
  kind: 'ListExpr';
  elements: Expr[];
  span: Span;
}

export type UnaryOp = '-' | 'not';

export interface UnaryExpr {
  kind: 'UnaryExpr';
  op: UnaryOp;
  operand: Expr;
  span: Span;
}

/**
 * Binary operators. On numbers: arithmetic (`/` is true division, `//` floor division),
 * comparison and logic. On tensors, `+` is `add` and `*` is `mul`.
 */
export type BinaryOp =
  | '+' | '-' | '*' | '/' | '//' | '%'
  | '==' | '!=' | '<' | '<=' | '>' | '>='
  | 'and' | 'or';

export interface BinaryExpr {
  kind: 'BinaryExpr';
  op: BinaryOp;
  left: Expr;
  right: Expr;
  /** Span of the operator token itself. */
  opSpan: Span;
  span: Span;
}

/** `c2.0` (tuple element) or `enc.skip` (a named output of a block instance). */
export interface MemberExpr {
  kind: 'MemberExpr';
  object: Expr;
  member: Ident | IntLit;
  span: Span;
}

/** `sizes[i]` */
export interface IndexExpr {
  kind: 'IndexExpr';
  object: Expr;
  index: Expr;
  span: Span;
}

/**
 * `name(args)`: an operator, a block or a built-in function. Tensor-valued positional
 * arguments are the callee's inputs; the others bind its parameters in order.
 */
export interface CallExpr {
  kind: 'CallExpr';
  callee: Ident;
  args: Arg[];
  /** Span of the argument list including its parentheses. */
  argsSpan: Span;
  span: Span;
}

export interface Arg {
  kind: 'Arg';
  name?: Ident;
  value: Expr;
  span: Span;
}

/** `head |> stage |> stage`: each stage receives the previous value as its first input. */
export interface PipeExpr {
  kind: 'PipeExpr';
  head: Expr;
  stages: Stage[];
  span: Span;
}

/** `if cond { a } else { b }` as an expression (on numbers or on tensors). */
export interface IfExpr {
  kind: 'IfExpr';
  cond: Expr;
  then: Expr;
  else?: Expr;
  span: Span;
}

/** `( expr )`, kept so the formatter can reproduce parentheses the user wrote. */
export interface ParenExpr {
  kind: 'ParenExpr';
  expr: Expr;
  span: Span;
}

// ---------------------------------------------------------------- pipeline stages

/**
 * One stage of a pipeline. `label: body` names the instance it creates (`p2_2: conv(...)`);
 * weights of that instance are then `<label>.weight`. Without a label, weighted layers are
 * named automatically (see spec/language.md, "Instance names").
 */
export interface Stage {
  kind: 'Stage';
  label?: Ident | IntLit;
  body: StageBody;
  span: Span;
}

export type StageBody = CallStage | SeqStage | RepeatStage | IfStage;

/** `relu`, `conv(64, k=3)`, `Inception(64, (96, 128), (16, 32), 32)`. */
export interface CallStage {
  kind: 'CallStage';
  callee: Ident;
  args: Arg[];
  /** Present when the call had parentheses. */
  argsSpan?: Span;
  span: Span;
}

/**
 * `seq { conv(...) |> bn |> relu }`: a sub-pipeline. Unlabelled stages inside are named by
 * their index (0, 1, 2, ...), like PyTorch's nn.Sequential.
 */
export interface SeqStage {
  kind: 'SeqStage';
  stages: Stage[];
  span: Span;
}

/**
 * `repeat n as i { Bottleneck(...) }`: applies the body n times in sequence. Iteration i
 * creates the namespace `i` (so weights are `layer1.0.conv1.weight`); `as i` binds the index.
 */
export interface RepeatStage {
  kind: 'RepeatStage';
  count: Expr;
  index?: Ident;
  stages: Stage[];
  span: Span;
}

/** `if cond { stages } else { stages }`; an empty or missing branch passes the input through. */
export interface IfStage {
  kind: 'IfStage';
  cond: Expr;
  then: Stage[];
  else?: Stage[];
  span: Span;
}

/** Every node type, for generic walkers. */
export type Node =
  | SourceFile | Item | ImportName | ParamDecl | TypeExpr | TensorType | Stmt | Expr | Arg | Stage | StageBody | Ident | Comment;
