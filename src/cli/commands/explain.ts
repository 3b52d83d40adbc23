import { catalogue, type CatalogueEntry } from '../../diag/catalogue.ts';
import { EXPLANATIONS } from '../../diag/explanations.ts';
import { closestName } from '../../check/suggest.ts';
import { EXIT_OK, UsageError, type CliIO, type Command } from '../io.ts';
import { parseOptions } from '../options.ts';

const usage = `Usage: netc explain CODE

Print what a diagnostic means, with an example that produces it: its catalogue entry
(severity, rule name for netc.yaml, message) and its section of spec/diagnostics.md.
CODE is a code (NET2002) or a rule name (spatial-mismatch).
`;

/** The catalogue entry and documentation of a code, as `netc explain` prints it. */
export function explainCode(code: string): string | undefined {
  const entry = (catalogue as Record<string, CatalogueEntry>)[code];
  const doc = EXPLANATIONS.find((e) => e.code === code);
  if (!entry || !doc) return undefined;
  const lines = [
    `${code} ${entry.rule} (${entry.severity}${entry.retired ? ', retired' : ''})`,
    `message: ${entry.message}`,
    '',
    doc.text,
  ];
  return lines.join('\n') + '\n';
}

export const command: Command = {
  summary: 'explain a diagnostic code, with an example',
  usage,
  async run(args: string[], io: CliIO): Promise<number> {
    const { positionals } = parseOptions(args, {});
    if (positionals.length !== 1) throw new UsageError('give one diagnostic code, e.g. netc explain NET2002');
    const asked = positionals[0]!;
    const entries = Object.entries(catalogue as Record<string, CatalogueEntry>);
    const code = /^net\d{4}$/i.test(asked) ? asked.toUpperCase() : entries.find(([, e]) => e.rule === asked)?.[0];
    const text = code === undefined ? undefined : explainCode(code);
    if (text === undefined) {
      const close = closestName(asked, [...entries.map(([c]) => c), ...entries.map(([, e]) => e.rule)]);
      throw new UsageError(`no diagnostic ${asked}${close ? ` (did you mean ${close}?)` : ''}`);
    }
    io.stdout(text);
    return EXIT_OK;
  },
};
