/**
 * `netc` command line. Each command lives in commands/<name>.ts and is imported only when
 * it runs, so `netc check` never loads the Wasm backend (binaryen) or the ONNX schema.
 */
import { closestName } from '../check/suggest.ts';
import { isTensorFileError } from '../io/errors.ts';
import { EXIT_ERRORS, EXIT_USAGE, UsageError, processIO, type CliIO, type Command } from './io.ts';
import { VERSION } from './version.ts';
import { BackendMissingError } from '../wasm/errors.ts';

const COMMANDS: Record<string, () => Promise<{ command: Command }>> = {
  check: () => import('./commands/check.ts'),
  summary: () => import('./commands/summary.ts'),
  build: () => import('./commands/build.ts'),
  run: () => import('./commands/run.ts'),
  verify: () => import('./commands/verify.ts'),
  import: () => import('./commands/import.ts'),
  export: () => import('./commands/export.ts'),
  fmt: () => import('./commands/fmt.ts'),
  graph: () => import('./commands/graph.ts'),
  lsp: () => import('./commands/lsp.ts'),
  explain: () => import('./commands/explain.ts'),
};

/** The general help: on standard output when asked for, on standard error (exit 2) for bare `netc`. */
async function help(io: CliIO, asked = true): Promise<number> {
  const lines = [`netc ${VERSION}: a language and compiler for convolutional networks`, '', 'Usage: netc <command> [options]', '', 'Commands:'];
  for (const [name, load] of Object.entries(COMMANDS)) {
    try {
      const { command } = await load();
      lines.push(`  ${name.padEnd(8)} ${command.summary}`);
    } catch {
      // A command whose module is absent is simply not listed.
    }
  }
  lines.push('', "Run 'netc <command> --help' for a command's options.");
  (asked ? io.stdout : io.stderr)(lines.join('\n') + '\n');
  return asked ? 0 : EXIT_USAGE;
}

function unknownCommand(io: CliIO, name: string): number {
  const close = closestName(name, Object.keys(COMMANDS));
  const hint = close === undefined ? '' : ` (did you mean '${close}'?)`;
  io.stderr(`netc: unknown command '${name}'${hint}. Run 'netc help' for the list.\n`);
  return EXIT_USAGE;
}

export async function runCli(argv: string[], io: CliIO = processIO()): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined) return help(io, false);
  if (name === 'help' && rest.length > 0) {
    // `netc help CMD` is `netc CMD --help`.
    const load = COMMANDS[rest[0]!];
    if (!load) return unknownCommand(io, rest[0]!);
    io.stdout((await load()).command.usage.trimEnd() + '\n');
    return 0;
  }
  if (name === 'help' || name === '--help' || name === '-h') return help(io);
  if (name === '--version' || name === '-v' || name === 'version') {
    io.stdout(`netc ${VERSION}\n`);
    return 0;
  }
  const load = COMMANDS[name];
  if (!load) return unknownCommand(io, name);
  const { command } = await load();
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout(command.usage.trimEnd() + '\n');
    return 0;
  }
  try {
    return await command.run(rest, io);
  } catch (e) {
    if (e instanceof UsageError || e instanceof BackendMissingError) {
      io.stderr(`netc ${name}: ${e.message}\n`);
      return EXIT_USAGE;
    }
    if (isTensorFileError(e)) {
      // A file of the wrong kind or a malformed tensor file, wherever a command met it.
      const { printDiagnostics } = await import('./report.ts');
      printDiagnostics(io, [e.toDiagnostic()], 'human', () => undefined);
      return EXIT_ERRORS;
    }
    // Anything else is a bug in netc: say so plainly, without a stack trace unless asked.
    const err = e as Error;
    io.stderr(`netc ${name}: internal error: ${err?.message ?? String(e)}\n`);
    if (io.env.NETC_DEBUG) io.stderr(`${err?.stack ?? ''}\n`);
    io.stderr('This is a bug in netc; please report it with the input that caused it.\n');
    return 70;
  }
}

// Run when executed directly (tsx src/cli/main.ts ...), not when imported.
const invokedAs = process.argv[1] ?? '';
if (invokedAs.endsWith('/cli/main.ts') || invokedAs.endsWith('\\cli\\main.ts')) {
  process.exitCode = await runCli(process.argv.slice(2));
}
