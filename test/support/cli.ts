/** Runs the CLI in-process with captured output. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../src/cli/main.ts';
import type { CliIO } from '../../src/cli/io.ts';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export async function netc(args: string[], options: { cwd?: string; tty?: boolean; env?: Record<string, string> } = {}): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const io: CliIO = {
    cwd: options.cwd ?? process.cwd(),
    stdout: (s) => void (stdout += s),
    stderr: (s) => void (stderr += s),
    isTTY: options.tty ?? false,
    env: options.env ?? {},
  };
  const code = await runCli(args, io);
  return { code, stdout, stderr };
}

/** A temporary project folder holding `files` (relative path -> text); returns its path. */
export function project(files: Record<string, string>, prefix = 'netc-project-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}
