/**
 * `netc graph --format html`: one self-contained page (no file or network reference) holding
 * the viewer and a picture per depth of block instances, with each box's details.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { netc } from '../support/cli.ts';

const ROOT = resolve(import.meta.dirname, '../..');

describe('netc graph --format html', () => {
  it('writes one self-contained interactive page, chosen by the .html extension', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'netc-graph-html-'));
    try {
      const run = await netc(['graph', join(ROOT, 'examples/googlenet.net'), '-o', join(dir, 'g.html')], { cwd: dir });
      expect(run.code).toBe(0);
      const html = readFileSync(join(dir, 'g.html'), 'utf8');
      expect(html.startsWith('<!doctype html>')).toBe(true);
      expect(html).toContain('var mountGraphViewer = function');
      // No script, stylesheet or image fetched from anywhere.
      expect(html).not.toMatch(/<(script|link|img)[^>]+(src|href)=/);
      const levels = JSON.parse(/var levels = (.*);\n/.exec(html)![1]!) as { svg: string; boxes: Record<string, { title: string; weights: { name: string; shape: number[] }[] }> }[];
      // GoogLeNet: blocks nest two deep (InceptionBN, then ConvBNReLU), so depths 0, 1 and 2.
      expect(levels).toHaveLength(3);
      const conv = Object.values(levels[2]!.boxes).find((b) => b.weights.some((w) => w.name === 'inception3a.branch1.conv.weight'));
      expect(conv?.weights.find((w) => w.name === 'inception3a.branch1.conv.weight')?.shape).toEqual([64, 192, 1, 1]);
      for (const l of levels) for (const id of Object.keys(l.boxes)) expect(l.svg).toContain(`data-id="${id}"`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
