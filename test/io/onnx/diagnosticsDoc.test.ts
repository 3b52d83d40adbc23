/** spec/diagnostics.md documents every NET5xxx code, and the export examples there trigger theirs. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { catalogue } from '../../../src/diag/catalogue.ts';
import { isOnnxError } from '../../../src/io/onnx/errors.ts';
import { exportOnnx } from '../../../src/io/onnx/export.ts';
import { checkToGraph } from './helpers.ts';

const md = readFileSync(new URL('../../../spec/diagnostics.md', import.meta.url), 'utf8');
const sections = [...md.matchAll(/^## (NET5\d{3}) (\S+)\n([\s\S]*?)(?=^## |^<!--|(?![\s\S]))/gm)].map((m) => ({ code: m[1]!, rule: m[2]!, body: m[3]! }));

describe('spec/diagnostics.md, ONNX section', () => {
  it('documents every NET5xxx code under its rule name', () => {
    const codes = Object.keys(catalogue).filter((c) => c.startsWith('NET5'));
    expect(sections.map((s) => s.code).sort()).toEqual(codes.sort());
    for (const s of sections) expect(s.rule).toBe((catalogue as Record<string, { rule: string }>)[s.code]!.rule);
  });

  it.each(sections.filter((s) => s.body.includes('```net')))('the export example of $code triggers it', ({ code, body }) => {
    const example = /```net\n([\s\S]*?)```/.exec(body)![1]!;
    const opset = /--opset (\d+)/.exec(body);
    const graph = checkToGraph(example, 'example.net');
    let got = '';
    try {
      exportOnnx(graph, new Map(), opset ? { opset: Number(opset[1]) } : {});
    } catch (e) {
      if (isOnnxError(e)) got = e.diagnostic.code;
    }
    expect(got).toBe(code);
  });
});
