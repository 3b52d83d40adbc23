/**
 * The project as users get it: `npm pack`, then `npm install` of the tarball into a fresh
 * project, from npm's cache (the packages `npm ci` put there), so the test needs no network.
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';

export const ROOT = join(import.meta.dirname, '..', '..');

/**
 * The environment for child processes: without the `npm_*` variables of the `npm test` that
 * may be running this (they would make the child npm act on this project's configuration;
 * where npm's cache and registry are is kept), and without NODE_OPTIONS (a loader there would
 * hide a `.ts` file on the runtime path).
 */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  const kept = /^npm_config_(cache|registry|userconfig|globalconfig)$/i;
  for (const [k, v] of Object.entries(process.env)) {
    if ((!/^npm_/i.test(k) || kept.test(k)) && k !== 'NODE_OPTIONS') env[k] = v;
  }
  return { ...env, NO_COLOR: '1', ...extra };
}

export function npmAvailable(): boolean {
  return spawnSync('npm', ['--version'], { env: cleanEnv(), encoding: 'utf8' }).status === 0;
}

export function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = cleanEnv()): SpawnSyncReturns<string> {
  return spawnSync(command, args, { cwd, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
}

function npm(args: string[], cwd: string): SpawnSyncReturns<string> {
  const r = run('npm', args, cwd);
  if (r.status !== 0) throw new Error(`npm ${args.join(' ')} failed (${r.status}):\n${r.stderr}`);
  return r;
}

/** `npm pack` of this project into `dir` (which runs the `prepack` build); the tarball's path. */
export function packProject(dir: string): string {
  npm(['pack', '--pack-destination', dir], ROOT);
  const tarball = readdirSync(dir).find((f) => f.endsWith('.tgz'));
  if (!tarball) throw new Error(`npm pack wrote no tarball into ${dir}`);
  return join(dir, tarball);
}

interface LockEntry {
  version?: string;
  resolved?: string;
  integrity?: string;
  dev?: boolean;
  devOptional?: boolean;
  [key: string]: unknown;
}

/**
 * A lock file for a project depending on `tarball` (and `extra`, packages of this project's
 * lock by name), with every version as this project's lock has it. With it `npm ci` needs no
 * registry metadata, only the package files `npm ci` of this project put in npm's cache.
 */
export function consumerLock(name: string, tarball: string, extra: string[] = []): { manifest: object; lock: object } {
  const ours = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockEntry> };
  const netc = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as Record<string, unknown>;
  const spec = `file:${tarball}`;
  const dependencies: Record<string, string> = { netc: spec };
  const packages: Record<string, LockEntry> = {};
  const copy = (path: string, entry: LockEntry) => {
    const { dev: _dev, devOptional: _devOptional, ...rest } = entry;
    packages[path] = rest;
  };
  // The package's own dependencies: everything in our lock that is not for development only.
  for (const [path, entry] of Object.entries(ours.packages)) if (path !== '' && !entry.dev) copy(path, entry);
  for (const pkg of extra) {
    const entry = ours.packages[`node_modules/${pkg}`];
    if (!entry?.version) throw new Error(`${pkg} is not in package-lock.json`);
    copy(`node_modules/${pkg}`, entry);
    dependencies[pkg] = entry.version;
  }
  const integrity = `sha512-${createHash('sha512').update(readFileSync(tarball)).digest('base64')}`;
  packages['node_modules/netc'] = {
    version: netc['version'] as string, resolved: spec, integrity, license: netc['license'],
    dependencies: netc['dependencies'], peerDependencies: netc['peerDependencies'], peerDependenciesMeta: netc['peerDependenciesMeta'],
    bin: netc['bin'], engines: netc['engines'],
  };
  const manifest = { name, private: true, type: 'module', dependencies };
  return { manifest, lock: { name, lockfileVersion: 3, requires: true, packages: { '': { name, dependencies }, ...packages } } };
}

/**
 * Install `tarball` (and `extra` packages) into `cwd` as a consumer project would, from npm's
 * cache only: `npm ci --offline` on a lock file made from ours (above).
 */
export function installOffline(cwd: string, tarball: string, extra: string[] = []): void {
  const { manifest, lock } = consumerLock('consumer', tarball, extra);
  writeFileSync(join(cwd, 'package.json'), JSON.stringify(manifest, null, 2));
  writeFileSync(join(cwd, 'package-lock.json'), JSON.stringify(lock, null, 2));
  npm(['ci', '--offline', '--no-audit', '--no-fund'], cwd);
}

/** Paths of the files in a .tgz made by npm pack (ustar; names under `package/`). */
export function tarballFiles(tarball: string): string[] {
  const tar = gunzipSync(readFileSync(tarball));
  const names: string[] = [];
  const text = (start: number, length: number) => tar.subarray(start, start + length).toString('utf8').replace(/\0.*$/s, '');
  for (let at = 0; at + 512 <= tar.length;) {
    const name = text(at, 100);
    if (name === '') break;
    const size = parseInt(text(at + 124, 12).trim() || '0', 8);
    const prefix = text(at + 345, 155);
    const type = text(at + 156, 1);
    if (type === '0' || type === '') names.push((prefix ? `${prefix}/${name}` : name).replace(/^package\//, ''));
    at += 512 + Math.ceil(size / 512) * 512;
  }
  return names;
}

/** Bytes of the files under `dir` (apparent size, what `du --apparent-size` counts). */
export function treeBytes(dir: string): number {
  let total = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) total += treeBytes(p);
    else if (e.isFile()) total += statSync(p).size;
  }
  return total;
}

export interface ReadmeExample {
  code: string;
  /** What it prints: the `// prints: ` comment lines, in order. */
  prints: string;
}

/** The `tiny.net` source and the JavaScript examples of the README's Library section. */
export function readmeLibraryExamples(): { tinyNet: string; examples: ReadmeExample[] } {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const section = /^## Library\n([\s\S]*?)^## /m.exec(readme)?.[1];
  if (!section) throw new Error('README.md has no Library section');
  const blocks = [...section.matchAll(/^```(\w+)\n([\s\S]*?)^```$/gm)].map((m) => ({ lang: m[1]!, code: m[2]! }));
  const tinyNet = blocks.find((b) => b.lang === 'net')?.code;
  if (!tinyNet) throw new Error('the Library section has no `net` block (tiny.net)');
  const examples = blocks.filter((b) => b.lang === 'js').map((b) => ({
    code: b.code,
    prints: [...b.code.matchAll(/^\/\/ prints: ?(.*)$/gm)].map((m) => m[1] + '\n').join(''),
  }));
  return { tinyNet, examples };
}
