/**
 * Generates src/diag/explanations.ts from spec/diagnostics.md: the text `netc explain CODE`
 * prints and SARIF rules describe. `npm run explanations` writes it;
 * test/diag/explanations.test.ts fails when it is stale.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseExplanations } from '../src/diag/explain-doc.ts';

export function explanationsModule(doc: string): string {
  const entries = parseExplanations(doc);
  const lines = [
    '// Generated from spec/diagnostics.md by scripts/gen-explanations.ts (npm run explanations). Do not edit.',
    "import type { Explanation } from './explain-doc.ts';",
    '',
    'export const EXPLANATIONS: readonly Explanation[] = [',
    ...entries.map((e) => `  ${JSON.stringify(e)},`),
    '];',
    '',
  ];
  return lines.join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const root = fileURLToPath(new URL('..', import.meta.url));
  const doc = readFileSync(`${root}spec/diagnostics.md`, 'utf8');
  writeFileSync(`${root}src/diag/explanations.ts`, explanationsModule(doc));
}
