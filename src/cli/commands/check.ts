import { relative, resolve } from 'node:path';
import type { Diagnostic } from '../../diag/diagnostic.ts';
import { runFrontend } from '../../frontend/frontend.ts';
import { loadConfig, parseBindings } from '../config.ts';
import { expandOperands } from '../files.ts';
import { cachedFileHost } from '../host.ts';
import { EXIT_ERRORS, EXIT_OK, UsageError, type CliIO } from '../io.ts';
import { parseOptions } from '../options.ts';
import { createProgress } from '../progress.ts';
import type { Command } from '../io.ts';
import { applyRuleSettings, countBySeverity, parseFormat, printDiagnostics, validateRuleNames } from '../report.ts';

const usage = `Usage: netc check [FILE|DIR|GLOB...] [options]

Parse and check .net files: names, arguments and every tensor shape.
With no operands, checks the files listed in netc.yaml (or the working directory).

Options:
  --bind N=1,H=224      sizes of symbolic input dimensions (errors where a requirement fails)
  --entry NAME          check only this network of each file
  --format FORMAT       human (default), json, github (workflow annotations), sarif
  --max-warnings N      exit 1 when there are more than N warnings
  --config FILE         use this netc.yaml instead of searching upwards

Exit status: 0 clean, 1 errors (or too many warnings), 2 usage or I/O error.
`;

export const command: Command = {
  summary: 'check .net files: names, arguments and shapes',
  usage,
  async run(args: string[], io: CliIO): Promise<number> {
    const { values, positionals } = parseOptions(args, {
      bind: { type: 'string' },
      entry: { type: 'string' },
      format: { type: 'string' },
      'max-warnings': { type: 'string' },
      config: { type: 'string' },
    });
    const format = parseFormat(values.format);
    const config = loadConfig(io.cwd, values.config ? resolve(io.cwd, values.config) : undefined);
    validateRuleNames(config.rules);
    const bindings = new Map([...config.bind, ...(values.bind ? parseBindings(values.bind) : [])]);
    let maxWarnings = config.maxWarnings;
    if (values['max-warnings'] !== undefined) {
      const n = Number(values['max-warnings']);
      if (!Number.isInteger(n) || n < 0) throw new UsageError(`--max-warnings takes a non-negative integer, not '${values['max-warnings']}'`);
      maxWarnings = n;
    }
    const operands = positionals.length ? positionals : config.files.length ? config.files : ['.'];
    const base = positionals.length ? io.cwd : config.root;
    const files = expandOperands(operands, base, config.exclude);
    if (files.length === 0) throw new UsageError(`no .net files found in ${operands.join(' ')}`);
    const host = cachedFileHost();
    const all: Diagnostic[] = [];
    const progress = createProgress(io, 'checking', files.length);
    for (const file of files) {
      progress.tick(relative(io.cwd, file));
      if (host.read(file) === undefined) throw new UsageError(`cannot read ${file}`);
      // Bindings name dimensions of some networks only; unused ones are not worth a warning per file.
      const result = runFrontend({ file, host, until: 'check', allNetworks: true, bindings, entry: values.entry });
      const own = result.diagnostics.filter((d) => !(d.code === 'NET1037' && files.length > 1));
      all.push(...own);
    }
    progress.done();
    const diags = dedupe(applyRuleSettings(all, config.rules));
    printDiagnostics(io, diags, format, (f) => host.read(f));
    const { errors, warnings } = countBySeverity(diags);
    if (format === 'human') {
      const summary = `checked ${files.length} file${files.length === 1 ? '' : 's'}: ${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}`;
      io.stderr(summary + '\n');
    }
    if (errors > 0) return EXIT_ERRORS;
    if (maxWarnings !== undefined && warnings > maxWarnings) {
      if (format === 'human') io.stderr(`too many warnings: ${warnings} (at most ${maxWarnings} allowed)\n`);
      return EXIT_ERRORS;
    }
    return EXIT_OK;
  },
};

/** A file imported by several checked files reports its own problems once. */
function dedupe(diags: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return diags.filter((d) => {
    const key = `${d.code}|${d.span.file}|${d.span.start.offset}|${d.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
