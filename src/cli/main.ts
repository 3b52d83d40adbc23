/**
 * `netc` command line. Each command lives in commands/<name>.ts and is imported only when
 * it runs, so `netc check` never loads the Wasm backend (binaryen) or the ONNX schema.
 */
import { EXIT_USAGE, UsageError, processIO, type CliIO, type Command } from './io.ts';
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
};

async function help(io: CliIO): Promise<number> {
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
  io.stdout(lines.join('\n') + '\n');
  return 0;
}

export async function runCli(argv: string[], io: CliIO = processIO()): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') return help(io);
  if (name === '--version' || name === '-v' || name === 'version') {
    io.stdout(`netc ${VERSION}\n`);
    return 0;
  }
  const load = COMMANDS[name];
  if (!load) {
    io.stderr(`netc: unknown command '${name}'. Run 'netc help' for the list.\n`);
    return EXIT_USAGE;
  }
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
