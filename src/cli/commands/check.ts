import { writeFileSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import { applyEdits, machineEdits } from '../../diag/apply-fixes.ts';
import type { Diagnostic } from '../../diag/diagnostic.ts';
import { runFrontend } from '../../frontend/frontend.ts';
import { applyRules, ruleProblems } from '../../diag/rules.ts';
import { loadConfig, parseBindings } from '../config.ts';
import { expandOperands } from '../files.ts';
import { cachedFileHost } from '../host.ts';
import { EXIT_ERRORS, EXIT_OK, UsageError, type CliIO } from '../io.ts';
import { parseOptions } from '../options.ts';
import { createProgress } from '../progress.ts';
import type { Command } from '../io.ts';
import { countBySeverity, parseFormat, printDiagnostics, validateRuleNames } from '../report.ts';

const usage = `Usage: netc check [FILE|DIR|GLOB...] [options]

Parse and check .net files: names, arguments and every tensor shape.
With no operands, checks the files listed in netc.yaml (or the working directory).

Options:
  --bind N=1,H=224      sizes of symbolic input dimensions (errors where a requirement fails)
  --entry NAME          check only this network of each file
  --format FORMAT       human (default), json, github (workflow annotations), sarif
  --max-warnings N      exit 1 when there are more than N warnings
  --config FILE         use this netc.yaml instead of searching upwards
  --fix                 apply the fixes whose value is certain (output_pad=1, pad=2,
                        |> flatten, ...) to the files, then report what is left
  --verbose             also print notes: requirements on sizes not bound yet ("H must be
                        divisible by 32"); shown anyway when --bind or netc.yaml binds sizes

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
      verbose: { type: 'boolean' },
      fix: { type: 'boolean' },
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
    const checkAll = (host: ReturnType<typeof cachedFileHost>): Diagnostic[] => {
      const all: Diagnostic[] = [];
      const progress = createProgress(io, 'checking', files.length);
      for (const file of files) {
        progress.tick(relative(io.cwd, file));
        if (host.read(file) === undefined) throw new UsageError(`cannot read ${relative(io.cwd, file)}: no such file`);
        // Bindings name dimensions of some networks only; unused ones are not worth a warning per file.
        const result = runFrontend({ file, host, until: 'check', allNetworks: true, bindings, entry: values.entry });
        const own = result.diagnostics.filter((d) => !(d.code === 'NET1037' && files.length > 1));
        all.push(...own);
      }
      progress.done();
      const problems = config.path ? ruleProblems(config.rules, config.path, config.ruleSpans) : [];
      return [...problems, ...dedupe(applyRules(all, config.rules))];
    };
    let host = cachedFileHost();
    let checked = checkAll(host);
    if (values.fix === true) {
      // Only files of the user's tree are written: never the standard library (`std/...`).
      const edits = machineEdits(checked, (f) => isAbsolute(f) && host.read(f) !== undefined);
      for (const { file, edits: fileEdits } of edits) {
        const { text, applied } = applyEdits(host.read(file)!, fileEdits);
        writeFileSync(file, text);
        io.stderr(`fixed ${applied} problem${applied === 1 ? '' : 's'} in ${relative(io.cwd, file).split('\\').join('/')}\n`);
      }
      if (edits.length > 0) {
        host = cachedFileHost();
        checked = checkAll(host);
      }
    }
    // Notes are requirements on free sizes: worth reading when sizes are bound, noise on clean files otherwise.
    const showNotes = values.verbose === true || bindings.size > 0;
    const diags = showNotes ? checked : checked.filter((d) => d.severity !== 'note');
    const hiddenNotes = checked.length - diags.length;
    printDiagnostics(io, diags, format, (f) => host.read(f));
    const { errors, warnings } = countBySeverity(diags);
    if (format === 'human') {
      const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
      const hidden = hiddenNotes > 0 ? ` (${plural(hiddenNotes, 'note')}: --verbose shows ${hiddenNotes === 1 ? 'it' : 'them'})` : '';
      io.stderr(`checked ${plural(files.length, 'file')}: ${plural(errors, 'error')}, ${plural(warnings, 'warning')}${hidden}\n`);
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
