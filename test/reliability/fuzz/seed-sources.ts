import * as fs from 'node:fs';
import * as path from 'node:path';
import { grammarForPath, type GrammarId } from '../../../server/src/engine/languages';
import { FIXTURES_DIR } from '../../helpers/engine';
import { sourceFilesUnder } from '../../helpers/source-files';

/** A fixture the fuzzer starts from: real pinning code that makes every rule do work. */
export interface SeedSource {
  /** Relative to test/fixtures, `/`-separated. */
  name: string;
  grammar: GrammarId;
  text: string;
}

let seeds: SeedSource[] | undefined;

/** Every Dart, Swift, TS/JS and platform config file under test/fixtures, in a stable order. */
export function seedSources(): SeedSource[] {
  seeds ??= sourceFilesUnder(FIXTURES_DIR)
    .sort()
    .flatMap((file) => {
      const grammar = grammarForPath(file)!;
      return [{ name: path.relative(FIXTURES_DIR, file).split(path.sep).join('/'), grammar, text: fs.readFileSync(file, 'utf8') }];
    });
  if (seeds.length === 0) throw new Error(`no seed sources under ${FIXTURES_DIR}`);
  return seeds;
}
