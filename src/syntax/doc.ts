/**
 * A small Wadler-style document algebra for the formatter: a group is printed on one line when
 * it fits in the width, otherwise each of its `line`s becomes a newline. Trailing comments are
 * `lineSuffix`es (kept until the end of the line, aligned with those of the lines around) and
 * force their groups to break.
 */
export type Doc = string | Doc[] | DocNode;

type DocNode =
  | { t: 'group'; doc: Doc; broken: boolean }
  | { t: 'indent'; doc: Doc }
  | { t: 'line'; soft: boolean; hard: boolean }
  | { t: 'ifBreak'; broken: Doc; flat: Doc }
  | { t: 'lineSuffix'; text: string }
  | { t: 'breakParent' };

export const line: Doc = { t: 'line', soft: false, hard: false };
export const softline: Doc = { t: 'line', soft: true, hard: false };
export const hardline: Doc = [{ t: 'line', soft: false, hard: true }, { t: 'breakParent' }];
export const breakParent: Doc = { t: 'breakParent' };

export function group(...doc: Doc[]): Doc {
  return { t: 'group', doc, broken: false };
}

export function indent(...doc: Doc[]): Doc {
  return { t: 'indent', doc };
}

export function ifBreak(broken: Doc, flat: Doc = ''): Doc {
  return { t: 'ifBreak', broken, flat };
}

/** Text printed at the end of the current line (a trailing comment); breaks the enclosing groups. */
export function lineSuffix(text: string): Doc {
  return [{ t: 'lineSuffix', text }, breakParent];
}

export function join(sep: Doc, docs: Doc[]): Doc[] {
  const out: Doc[] = [];
  docs.forEach((d, i) => {
    if (i > 0) out.push(sep);
    out.push(d);
  });
  return out;
}

/** Marks every group that contains a hard line or a trailing comment as broken. Returns whether `doc` does. */
function propagateBreaks(doc: Doc): boolean {
  if (typeof doc === 'string') return false;
  if (Array.isArray(doc)) {
    let any = false;
    for (const d of doc) any = propagateBreaks(d) || any;
    return any;
  }
  switch (doc.t) {
    case 'breakParent':
      return true;
    case 'group':
      doc.broken = propagateBreaks(doc.doc) || doc.broken;
      return doc.broken;
    case 'indent':
      return propagateBreaks(doc.doc);
    case 'ifBreak':
      return propagateBreaks(doc.broken) || propagateBreaks(doc.flat);
    default:
      return false;
  }
}

type Mode = 'flat' | 'break';
type Cmd = [indent: number, mode: Mode, doc: Doc];

function fits(next: Cmd, rest: Cmd[], width: number): boolean {
  const cmds: Cmd[] = [next];
  let restIdx = rest.length;
  while (width >= 0) {
    if (cmds.length === 0) {
      if (restIdx === 0) return true;
      cmds.push(rest[--restIdx]!);
      continue;
    }
    const [ind, mode, doc] = cmds.pop()!;
    if (typeof doc === 'string') {
      width -= doc.length;
    } else if (Array.isArray(doc)) {
      for (let i = doc.length - 1; i >= 0; i--) cmds.push([ind, mode, doc[i]!]);
    } else {
      switch (doc.t) {
        case 'group':
          cmds.push([ind, doc.broken ? 'break' : mode, doc.doc]);
          break;
        case 'indent':
          cmds.push([ind + 2, mode, doc.doc]);
          break;
        case 'ifBreak':
          cmds.push([ind, mode, mode === 'break' ? doc.broken : doc.flat]);
          break;
        case 'line':
          if (mode === 'break' || doc.hard) return true;
          if (!doc.soft) width -= 1;
          break;
        default:
          break;
      }
    }
  }
  return false;
}

/** A rendered line: its code and the trailing comments kept until its end. */
interface RenderedLine {
  code: string;
  suffix: string;
}

/** Lay out `doc` in `width` columns. */
export function render(doc: Doc, width: number): string {
  propagateBreaks(doc);
  const lines: RenderedLine[] = [];
  let out: string[] = [];
  let column = 0;
  let suffixes: string[] = [];
  const cmds: Cmd[] = [[0, 'break', doc]];
  const endLine = (): void => {
    // No trailing spaces: drop those printed before the break or the comment.
    lines.push({ code: out.join('').replace(/ +$/, ''), suffix: suffixes.join('').replace(/ +$/, '') });
    out = [];
    suffixes = [];
  };
  const newline = (ind: number): void => {
    endLine();
    out.push(' '.repeat(ind));
    column = ind;
  };
  while (cmds.length > 0) {
    const [ind, mode, d] = cmds.pop()!;
    if (typeof d === 'string') {
      out.push(d);
      column += d.length;
    } else if (Array.isArray(d)) {
      for (let i = d.length - 1; i >= 0; i--) cmds.push([ind, mode, d[i]!]);
    } else {
      switch (d.t) {
        case 'group': {
          const flat: Cmd = [ind, 'flat', d.doc];
          cmds.push(mode === 'flat' || (!d.broken && fits(flat, cmds, width - column)) ? flat : [ind, 'break', d.doc]);
          break;
        }
        case 'indent':
          cmds.push([ind + 2, mode, d.doc]);
          break;
        case 'ifBreak':
          cmds.push([ind, mode, mode === 'break' ? d.broken : d.flat]);
          break;
        case 'line':
          if (mode === 'flat' && !d.hard) {
            if (!d.soft) {
              out.push(' ');
              column += 1;
            }
          } else {
            newline(ind);
          }
          break;
        case 'lineSuffix':
          suffixes.push(d.text);
          break;
        case 'breakParent':
          break;
      }
    }
  }
  endLine();
  alignTrailingComments(lines);
  return lines.map((l) => l.code + l.suffix).join('\n');
}

/**
 * Consecutive lines at the same indentation that all end in a comment get their comments in
 * one column, one space after the longest line's code (as gofmt aligns them); a line without
 * a comment, a blank line or a change of indentation ends the run.
 */
function alignTrailingComments(lines: RenderedLine[]): void {
  const indentOf = (l: RenderedLine): number => l.code.length - l.code.trimStart().length;
  let start = 0;
  while (start < lines.length) {
    const first = lines[start]!;
    let end = start + 1;
    if (first.suffix !== '' && first.code.trim() !== '') {
      while (end < lines.length) {
        const l = lines[end]!;
        if (l.suffix === '' || l.code.trim() === '' || indentOf(l) !== indentOf(first)) break;
        end++;
      }
      const column = Math.max(...lines.slice(start, end).map((l) => l.code.length));
      for (let i = start; i < end; i++) lines[i]!.code = lines[i]!.code.padEnd(column);
    }
    start = end;
  }
}
