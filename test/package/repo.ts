import * as fs from 'node:fs';
import * as path from 'node:path';

/** The repository root, from out/test/package or test/package. */
export const REPO_ROOT = path.resolve(__dirname, __dirname.includes(`${path.sep}out${path.sep}`) ? '../../..' : '../..');

export function readRepoFile(relativePath: string): string {
  return fs.readFileSync(path.join(REPO_ROOT, relativePath), 'utf8');
}

/** package.json as it is now: other work adds commands and settings, and the tests follow. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function readManifest(): any {
  return JSON.parse(readRepoFile('package.json'));
}

/** Every file under `dir` (relative to the repository root) whose name passes `keep`. */
export function filesUnder(dir: string, keep: (name: string) => boolean): string[] {
  const root = path.join(REPO_ROOT, dir);
  if (!fs.existsSync(root)) return [];
  return (fs.readdirSync(root, { recursive: true, encoding: 'utf8' }) as string[])
    .filter((name) => keep(name) && fs.statSync(path.join(root, name)).isFile())
    .map((name) => path.join(dir, name));
}
