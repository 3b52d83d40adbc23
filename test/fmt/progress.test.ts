import { describe, expect, it } from 'vitest';
import type { CliIO } from '../../src/cli/io.ts';
import { createProgress } from '../../src/cli/progress.ts';

function io(isTTY: boolean, env: Record<string, string> = {}): CliIO & { err: string[] } {
  const err: string[] = [];
  return { cwd: '/', stdout: () => {}, stderr: (s) => void err.push(s), isTTY, env, err };
}

describe('createProgress', () => {
  it('draws a counter with the detail on a terminal and erases it when done', () => {
    const t = io(true);
    let clock = 0;
    const p = createProgress(t, 'formatting', 3, () => clock);
    p.tick('a.net');
    clock += 1000;
    p.tick('b.net');
    clock += 1000;
    p.tick('c.net');
    p.done();
    expect(t.err[0]).toContain('formatting 1/3 a.net');
    expect(t.err[1]).toContain('formatting 2/3 b.net');
    expect(t.err[2]).toContain('formatting 3/3 c.net');
    expect(t.err.every((s) => s.startsWith('\r'))).toBe(true);
    expect(t.err[3]).toMatch(/^\r +\r$/);
    p.done();
    expect(t.err).toHaveLength(4);
  });

  it('throttles redraws but always draws the last one', () => {
    const t = io(true);
    const p = createProgress(t, 'x', 1000, () => 5);
    for (let i = 0; i < 1000; i++) p.tick();
    expect(t.err.length).toBe(2);
    expect(t.err[1]).toContain('x 1000/1000');
  });

  it('is silent off a terminal and in CI', () => {
    for (const t of [io(false), io(true, { CI: 'true' })]) {
      const p = createProgress(t, 'formatting', 2);
      p.tick('a');
      p.note('laying out');
      p.done();
      expect(t.err).toEqual([]);
    }
  });

  it('keeps the line within the terminal width', () => {
    const t = io(true);
    createProgress(t, 'formatting', 1).tick('x'.repeat(300));
    expect(t.err[0]!.length).toBeLessThanOrEqual(80);
  });
});
