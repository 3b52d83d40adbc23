/** A position in a source file. Lines and columns are 1-based; offset is 0-based, in UTF-16 code units. */
export interface Pos {
  line: number;
  column: number;
  offset: number;
}

/** A range of source text. `end` is exclusive: it points just past the last character. */
export interface Span {
  file: string;
  start: Pos;
  end: Pos;
}

export function formatPos(span: Span): string {
  return `${span.file}:${span.start.line}:${span.start.column}`;
}

/** A span for things that have no source (generated code, command-line input). */
export function syntheticSpan(file = '<generated>'): Span {
  const p = { line: 1, column: 1, offset: 0 };
  return { file, start: p, end: p };
}
