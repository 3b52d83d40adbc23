/**
 * Applying the machine-applicable fixes of diagnostics to source text (`netc check --fix`).
 * Edits are applied from the end of the file backwards; an edit that overlaps one already
 * taken is left out (two fixes of the same text, or of one problem reported twice).
 */
import type { Diagnostic, TextEdit } from './diagnostic.ts';

export interface FileEdits {
  file: string;
  edits: TextEdit[];
  /** How many fixes the edits come from. */
  fixes: number;
}

/** The edits of every machine-applicable fix, grouped by file; `accept` filters the files. */
export function machineEdits(diags: readonly Diagnostic[], accept: (file: string) => boolean = () => true): FileEdits[] {
  const byFile = new Map<string, FileEdits>();
  const seen = new Set<string>();
  for (const d of diags) {
    for (const fix of d.fixes ?? []) {
      if (!fix.machineApplicable || fix.edits.length === 0) continue;
      const files = new Set(fix.edits.map((e) => e.span.file));
      if (files.size !== 1) continue;
      const file = fix.edits[0]!.span.file;
      if (!accept(file)) continue;
      const key = `${file}|${fix.edits.map((e) => `${e.span.start.offset}:${e.span.end.offset}:${e.text}`).join('|')}`;
      if (seen.has(key)) continue;
      seen.add(key);
      let entry = byFile.get(file);
      if (!entry) byFile.set(file, (entry = { file, edits: [], fixes: 0 }));
      entry.edits.push(...fix.edits);
      entry.fixes++;
    }
  }
  return [...byFile.values()];
}

/** The text with the edits applied; overlapping edits after the first (in text order) are dropped. */
export function applyEdits(text: string, edits: readonly TextEdit[]): { text: string; applied: number } {
  const sorted = [...edits].sort((a, b) => a.span.start.offset - b.span.start.offset || a.span.end.offset - b.span.end.offset);
  const kept: TextEdit[] = [];
  let end = -1;
  for (const e of sorted) {
    const start = e.span.start.offset;
    if (start < end || (start === end && kept.length > 0 && kept[kept.length - 1]!.span.start.offset === start)) continue;
    if (e.span.end.offset > text.length || start < 0) continue;
    kept.push(e);
    end = e.span.end.offset;
  }
  let out = text;
  for (let i = kept.length - 1; i >= 0; i--) {
    const e = kept[i]!;
    out = out.slice(0, e.span.start.offset) + e.text + out.slice(e.span.end.offset);
  }
  return { text: out, applied: kept.length };
}
