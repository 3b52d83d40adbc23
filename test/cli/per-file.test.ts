/**
 * `netc check` on several files: diagnostics are collected per checked file, and a mistake in
 * the call of a library block is located in the file that makes the call, so every output
 * format (annotations, SARIF results) points into the checked tree.
 */
import { describe, expect, it } from 'vitest';
import { netc, project as makeProject } from '../support/cli.ts';

const project = (files: Record<string, string>): string => makeProject(files, 'netc-per-file-');

// Two independent mistakes in calls of std/resnet: a missing projection, a stride of 0.
const TWO_STD_MISTAKES = `import { BasicBlock } from "std/resnet"
network N {
  in x: [1, 64, 16, 16]
  a = x |> BasicBlock(128, project=false)
  b = x |> BasicBlock(64, stride=0)
  out y = a
  out z = b
}
`;

interface Report {
  diagnostics: { code: string; file: string; line: number; column: number; related: { file: string; line: number }[] }[];
  errorCount: number;
}

describe('netc check on several files', () => {
  it('counts the same std-block mistakes once per file, and names both files', async () => {
    const dir = project({ 'a.net': TWO_STD_MISTAKES, 'b.net': TWO_STD_MISTAKES });
    const r = await netc(['check', 'a.net', 'b.net', '--format', 'json'], { cwd: dir });
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as Report;
    expect(report.errorCount).toBe(4);
    expect(report.diagnostics.map((d) => `${d.code} ${d.file}:${d.line}:${d.column}`)).toEqual([
      'NET2001 a.net:4:12',
      'NET2009 a.net:5:34',
      'NET2001 b.net:4:12',
      'NET2009 b.net:5:34',
    ]);
    // The block's own line is kept, as a related location.
    expect(report.diagnostics[0]!.related[0]!.file).toBe('std/resnet.net');
  });

  it('merges the own problem of a library file that two checked files import', async () => {
    const lib = 'block Up() {\n  in x: [N, C, H, W]\n  out x |> rleu\n}\n';
    const main = 'import { Up } from "./lib"\nnetwork N {\n  in x: [1, 3, 8, 8]\n  out y = x |> Up()\n}\n';
    const dir = project({ 'lib.net': lib, 'a.net': main, 'b.net': main });
    const r = await netc(['check', 'a.net', 'b.net', '--format', 'json'], { cwd: dir });
    const report = JSON.parse(r.stdout) as Report;
    expect(report.diagnostics.map((d) => `${d.code} ${d.file}:${d.line}`)).toEqual(['NET1002 lib.net:3']);
  });

  it('points GitHub annotations and SARIF results into the checked file, not the standard library', async () => {
    const dir = project({ 'a.net': TWO_STD_MISTAKES });
    const gh = await netc(['check', 'a.net', '--format', 'github'], { cwd: dir });
    const annotations = gh.stdout.split('\n').filter((l) => l.startsWith('::'));
    expect(annotations).toHaveLength(2);
    for (const a of annotations) expect(a).toContain('file=a.net,');
    const sarif = await netc(['check', 'a.net', '--format', 'sarif'], { cwd: dir });
    const log = JSON.parse(sarif.stdout) as { runs: { results: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[] }[] };
    const uris = log.runs[0]!.results.map((x) => x.locations[0]!.physicalLocation.artifactLocation.uri);
    expect(uris).toEqual(['a.net', 'a.net']);
  });
});
