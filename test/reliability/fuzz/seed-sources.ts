import * as fs from 'node:fs';
import * as path from 'node:path';
import { grammarForPath, type CodeGrammarId } from '../../../server/src/engine/languages';
import { FIXTURES_DIR } from '../../helpers/engine';
import { sourceFilesUnder } from '../../helpers/source-files';

/** A fixture the fuzzer starts from: real pinning code that makes every rule do work. */
export interface SeedSource {
  /** Relative to test/fixtures, `/`-separated. */
  name: string;
  grammar: CodeGrammarId;
  text: string;
}

let seeds: SeedSource[] | undefined;

/** Every Dart, Swift and TS/JS file under test/fixtures (not the XML configs), in a stable order. */
export function seedSources(): SeedSource[] {
  seeds ??= sourceFilesUnder(FIXTURES_DIR)
    .sort()
    .flatMap((file) => {
      const grammar = grammarForPath(file)!;
      // The fuzzer mutates code for tree-sitter; platform configs are read by saxes.
      if (grammar === 'xml') return [];
      return [{ name: path.relative(FIXTURES_DIR, file).split(path.sep).join('/'), grammar, text: fs.readFileSync(file, 'utf8') }];
    });
  if (seeds.length === 0) throw new Error(`no seed sources under ${FIXTURES_DIR}`);
  return seeds;
}
