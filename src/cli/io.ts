/** What a command may touch of the outside world; tests pass an in-memory version. */
export interface CliIO {
  cwd: string;
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  /** Colours and progress only on a terminal, never in CI. */
  isTTY: boolean;
  env: Record<string, string | undefined>;
}

export function processIO(): CliIO {
  return {
    cwd: process.cwd(),
    stdout: (s) => void process.stdout.write(s),
    stderr: (s) => void process.stderr.write(s),
    isTTY: Boolean(process.stdout.isTTY) && !process.env.CI,
    env: process.env,
  };
}

/** Exit codes shared by every command. */
export const EXIT_OK = 0;
export const EXIT_ERRORS = 1;
export const EXIT_USAGE = 2;

/** A usage or I/O problem: printed as one line, exit code 2. */
export class UsageError extends Error {}

/** A command of the command line (commands/<name>.ts exports one as `command`). */
export interface Command {
  /** One line for `netc help`. */
  summary: string;
  usage: string;
  run(args: string[], io: CliIO): Promise<number>;
}
