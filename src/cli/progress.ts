/**
 * A one-line progress reporter for commands that work through many files or long steps
 * (`netc fmt` over a tree, `netc graph --optimized` on a large network). It draws only on a
 * terminal (`CliIO.isTTY`, and never with CI set): in pipes, logs and CI it prints nothing, so
 * output stays machine-readable. Redraws are throttled so thousands of ticks cost little.
 */
import type { CliIO } from './io.ts';

export interface Progress {
  /** Count one unit of work done; `detail` (a file name, a step) is shown after the count. */
  tick(detail?: string): void;
  /** Show a step without counting it (e.g. "laying out"). */
  note(detail: string): void;
  /** Erase the line. Safe to call more than once. */
  done(): void;
}

/** Minimum time between two redraws. */
const REDRAW_MS = 80;

export function createProgress(io: CliIO, label: string, total: number, now: () => number = Date.now): Progress {
  const active = io.isTTY && !io.env.CI;
  let count = 0;
  let lastDraw = -Infinity;
  let drawn = false;
  let finished = false;
  const width = 78;
  const draw = (detail: string | undefined, force: boolean): void => {
    if (!active || finished) return;
    const t = now();
    if (!force && t - lastDraw < REDRAW_MS) return;
    lastDraw = t;
    const counter = total > 0 ? ` ${count}/${total}` : '';
    let text = `${label}${counter}${detail ? ` ${detail}` : ''}`;
    if (text.length > width) text = `${text.slice(0, width - 1)}…`;
    io.stderr(`\r${text.padEnd(width)}`);
    drawn = true;
  };
  return {
    tick(detail) {
      count++;
      draw(detail, count === total);
    },
    note(detail) {
      draw(detail, true);
    },
    done() {
      if (active && drawn && !finished) io.stderr(`\r${' '.repeat(width)}\r`);
      finished = true;
    },
  };
}
