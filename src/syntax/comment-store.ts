/**
 * The comments of a file, handed out to the formatter in source order: each comment is
 * printed once, either on its own line before a node or at the end of a node's last line.
 */
import type { Comment } from './ast.ts';

export class CommentStore {
  private readonly comments: Comment[];
  private readonly used: boolean[];

  constructor(comments: Comment[]) {
    this.comments = [...comments].sort((a, b) => a.span.start.offset - b.span.start.offset);
    this.used = this.comments.map(() => false);
  }

  /** Unused comments that start before `offset`. */
  takeBefore(offset: number): Comment[] {
    return this.take((c) => c.span.start.offset < offset);
  }

  /** Unused comments in [from, to). */
  takeBetween(from: number, to: number): Comment[] {
    return this.take((c) => c.span.start.offset >= from && c.span.start.offset < to);
  }

  /** Unused comments starting on `line` at or after `from` and before `to`: trailing comments. */
  takeTrailing(from: number, line: number, to = Number.MAX_SAFE_INTEGER): Comment[] {
    return this.take((c) => c.span.start.line === line && c.span.start.offset >= from && c.span.start.offset < to);
  }

  takeAll(): Comment[] {
    return this.take(() => true);
  }

  private take(pred: (c: Comment) => boolean): Comment[] {
    const out: Comment[] = [];
    this.comments.forEach((c, i) => {
      if (!this.used[i] && pred(c)) {
        this.used[i] = true;
        out.push(c);
      }
    });
    return out;
  }
}
