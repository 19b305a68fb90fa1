import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { grammarForPath } from '../../server/src/engine/languages';
import { fuzzCaseArbitrary, materialize, type FuzzSource } from '../reliability/fuzz/cases';
import { DEFAULT_SEED } from '../reliability/fuzz/run';
import { REPO_ROOT } from './engine';

/** The Dart, Swift and TS/JS files under `dir`, `node_modules` left out. */
export function sourceFilesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : sourceFilesUnder(full);
    return grammarForPath(full) ? [full] : [];
  });
}

/** Every fixture, fix case and example source file, read. */
export function repoSources(): FuzzSource[] {
  return ['test/fixtures', 'test/fixes', 'examples'].flatMap((dir) => sourceFilesUnder(path.join(REPO_ROOT, dir))).map((file) => ({
    grammar: grammarForPath(file)!,
    relativePath: path.relative(REPO_ROOT, file),
    text: fs.readFileSync(file, 'utf8'),
  }));
}

/** The first `count` cases of the sequence `npm test`'s fuzz run checks. */
export function fuzzSources(count: number): FuzzSource[] {
  return fc.sample(fuzzCaseArbitrary(), { seed: DEFAULT_SEED, numRuns: count }).map(materialize);
}
