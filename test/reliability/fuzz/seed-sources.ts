import * as fs from 'node:fs';
import * as path from 'node:path';
import { grammarForPath, type GrammarId } from '../../../server/src/engine/languages';
import { FIXTURES_DIR } from '../../helpers/engine';

/** A fixture the fuzzer starts from: real pinning code that makes every rule do work. */
export interface SeedSource {
  /** Relative to test/fixtures, `/`-separated. */
  name: string;
  grammar: GrammarId;
  text: string;
}

function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(full) : [full];
  });
}

let seeds: SeedSource[] | undefined;

/** Every Dart, Swift and TS/JS file under test/fixtures, in a stable order. */
export function seedSources(): SeedSource[] {
  seeds ??= filesUnder(FIXTURES_DIR)
    .sort()
    .flatMap((file) => {
      const grammar = grammarForPath(file);
      if (!grammar) return [];
      const name = path.relative(FIXTURES_DIR, file).split(path.sep).join('/');
      return [{ name, grammar, text: fs.readFileSync(file, 'utf8') }];
    });
  if (seeds.length === 0) throw new Error(`no seed sources under ${FIXTURES_DIR}`);
  return seeds;
}
