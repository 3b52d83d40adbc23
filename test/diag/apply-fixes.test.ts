/** Applying fixes to text: from the end backwards, overlaps dropped, guesses left alone. */
import { describe, expect, it } from 'vitest';
import { applyEdits, machineEdits } from '../../src/diag/apply-fixes.ts';
import type { Diagnostic, TextEdit } from '../../src/diag/diagnostic.ts';
import type { Span } from '../../src/diag/span.ts';

const at = (start: number, end = start, file = 'a.net'): Span =>
  ({ file, start: { line: 1, column: start + 1, offset: start }, end: { line: 1, column: end + 1, offset: end } });
const edit = (start: number, end: number, text: string, file?: string): TextEdit => ({ span: at(start, end, file), text });

function withFixes(...fixes: { edits: TextEdit[]; machineApplicable: boolean }[]): Diagnostic {
  return { code: 'NET2006', severity: 'error', message: 'm', span: at(0), related: [], notes: [], instances: [], fixes: fixes.map((f) => ({ message: 'f', ...f })) };
}

describe('applyEdits', () => {
  it('applies insertions and replacements at their offsets', () => {
    expect(applyEdits('conv(8, k=7)', [edit(11, 11, ', pad=2'), edit(0, 4, 'conv2d')]).text).toBe('conv2d(8, k=7, pad=2)');
  });
  it('drops an edit overlapping an earlier one', () => {
    const r = applyEdits('abcdef', [edit(1, 4, 'X'), edit(2, 3, 'Y'), edit(5, 6, 'Z')]);
    expect(r).toEqual({ text: 'aXeZ', applied: 2 });
  });
  it('drops a second insertion at the same point', () => {
    expect(applyEdits('ab', [edit(1, 1, 'X'), edit(1, 1, 'Y')])).toEqual({ text: 'aXb', applied: 1 });
  });
});

describe('machineEdits', () => {
  it('takes machine-applicable fixes once per file, not guesses or rejected files', () => {
    const d1 = withFixes({ edits: [edit(3, 3, '!')], machineApplicable: true }, { edits: [edit(0, 1, 'x')], machineApplicable: false });
    const d2 = withFixes({ edits: [edit(3, 3, '!')], machineApplicable: true }, { edits: [edit(0, 0, '?', 'b.net')], machineApplicable: true });
    const got = machineEdits([d1, d2], (f) => f !== 'b.net');
    expect(got).toEqual([{ file: 'a.net', edits: [edit(3, 3, '!')], fixes: 1 }]);
  });
});
