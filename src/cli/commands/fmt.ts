/**
 * `netc fmt FILE|DIR... [--check]`: rewrite `.net` files in the canonical layout, or with
 * `--check` list the files that would change and exit 1 (for CI). Files with syntax errors
 * are reported and left untouched.
 */
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import { LIMITS } from '../../ir/limits.ts';
import { diag } from '../../diag/make.ts';
import { renderHuman } from '../../diag/render/human.ts';
import { syntheticSpan } from '../../diag/span.ts';
import { formatSource } from '../../fmt/format.ts';
import { expandOperands, readFailure } from '../files.ts';
import { EXIT_ERRORS, EXIT_OK, UsageError, type CliIO } from '../io.ts';
import type { Command } from '../io.ts';
import { parseOptions } from '../options.ts';
import { createProgress } from '../progress.ts';

export const command: Command = {
  summary: 'format .net files in the canonical layout',
  usage: `Usage: netc fmt FILE|DIR|GLOB... [--check]

Rewrites each file in the canonical layout (2-space indent, one statement per line, lines of
at most 100 columns, comments kept). Directories are searched for .net files.

Options:
  --check   write nothing; list the files that would change and exit 1 if there are any
`,
  async run(args: string[], io: CliIO): Promise<number> {
    const { values, positionals } = parseOptions(args, { check: { type: 'boolean' } });
    if (positionals.length === 0) throw new UsageError('expected at least one file or directory');
    const files = expandOperands(positionals, io.cwd);
    const rel = (f: string): string => relative(io.cwd, f) || f;
    const progress = createProgress(io, values.check ? 'checking layout' : 'formatting', files.length);
    let failed = false;
    const changed: string[] = [];
    for (const file of files) {
      progress.tick(rel(file));
      let text: string;
      try {
        // A file over the source size limit is reported (NET9008), not read whole.
        if (statSync(file).size > LIMITS.sourceBytes) {
          failed = true;
          progress.done();
          const d = diag('NET9008', syntheticSpan(file), { file: rel(file), limit: LIMITS.sourceBytes });
          io.stderr(renderHuman([d], () => undefined, { color: io.isTTY, relativeTo: rel }));
          continue;
        }
        text = readFileSync(file, 'utf8');
      } catch (e) {
        progress.done();
        throw new UsageError(`cannot read ${rel(file)}: ${readFailure(e)}`);
      }
      const result = formatSource(text, file);
      if (result.text === undefined) {
        failed = true;
        progress.done();
        if (result.unsafe) io.stderr(`netc fmt: ${rel(file)}: ${result.unsafe}; the file was left unchanged (a bug in netc)\n`);
        else io.stderr(renderHuman(result.diagnostics, (f) => (f === file ? text : undefined), { color: io.isTTY, relativeTo: rel }));
        continue;
      }
      if (!result.changed) continue;
      changed.push(rel(file));
      if (!values.check) writeFileSync(file, result.text);
    }
    progress.done();
    if (values.check) {
      for (const f of changed) io.stdout(`${f}\n`);
      if (changed.length > 0) io.stderr(`netc fmt: ${changed.length} file${changed.length === 1 ? '' : 's'} not formatted; run 'netc fmt' on ${changed.length === 1 ? 'it' : 'them'}\n`);
      return failed || changed.length > 0 ? EXIT_ERRORS : EXIT_OK;
    }
    for (const f of changed) io.stdout(`formatted ${f}\n`);
    return failed ? EXIT_ERRORS : EXIT_OK;
  },
};
