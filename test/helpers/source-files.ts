import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import type { AnalysisInput } from '../../server/src/engine/analyze';
import { grammarForPath } from '../../server/src/engine/languages';
import type { Finding } from '../../server/src/engine/types';
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

/** The engine's input for a source file (its id is its relative path). */
export function analysisInput(source: FuzzSource): AnalysisInput {
  return { id: source.relativePath, relativePath: source.relativePath, grammar: source.grammar, text: source.text };
}

/** Findings as the tests that hold two analyses to each other compare them: place, rule, level and message. */
export function describeFindings(findings: readonly Finding[]): string[] {
  return findings.map((f) => `${f.range.start.line + 1}:${f.range.start.character + 1} ${f.ruleId}@${f.level} ${f.message}`);
}
