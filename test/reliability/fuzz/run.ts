import fc from 'fast-check';
import { performance } from 'node:perf_hooks';
import type { Engine } from '../../../server/src/engine/analyze';
import { describeCase, fuzzCaseArbitrary, materialize, type FuzzCase } from './cases';
import { checkCase } from './properties';

export interface FuzzFailure {
  index: number;
  fuzzCase: FuzzCase;
  problems: string[];
}

export interface FuzzReport {
  cases: number;
  seed: number;
  failures: FuzzFailure[];
  durationMs: number;
  /** Slowest single analysis over all cases (reported, not checked). */
  maxMs: number;
  /** Most node look-ups per character in one analysis, over all cases. */
  maxLookupsPerCharacter: number;
  /** Characters analyzed, over all cases. */
  characters: number;
  /** Cases the engine skipped because their parse hit the time limit or failed. */
  skipped: number;
}

/** The seed `npm test` and `npm run fuzz` use unless told otherwise: runs are reproducible. */
export const DEFAULT_SEED = 20_240_808;

/**
 * Generates `cases` inputs from `seed` and checks each one, collecting every failure rather
 * than stopping at the first (`npm run fuzz` reports them all).
 */
export function runFuzz(engine: Engine, options: { cases: number; seed?: number; onProgress?: (done: number) => void }): FuzzReport {
  const seed = options.seed ?? DEFAULT_SEED;
  const started = performance.now();
  const failures: FuzzFailure[] = [];
  let maxMs = 0;
  let maxLookupsPerCharacter = 0;
  let characters = 0;
  let skipped = 0;
  const cases = fc.sample(fuzzCaseArbitrary(), { seed, numRuns: options.cases });
  cases.forEach((fuzzCase, index) => {
    let problems: string[];
    try {
      const source = materialize(fuzzCase);
      characters += source.text.length;
      const outcome = checkCase(engine, source);
      maxMs = Math.max(maxMs, outcome.maxMs);
      maxLookupsPerCharacter = Math.max(maxLookupsPerCharacter, outcome.maxLookupsPerCharacter);
      if (outcome.skipped) skipped++;
      problems = outcome.problems;
    } catch (error) {
      problems = [`the harness failed: ${String(error)}`];
    }
    if (problems.length) failures.push({ index, fuzzCase, problems });
    if ((index + 1) % 500 === 0) options.onProgress?.(index + 1);
  });
  return { cases: cases.length, seed, failures, durationMs: performance.now() - started, maxMs, maxLookupsPerCharacter, characters, skipped };
}

export function formatFailure(failure: FuzzFailure): string {
  const problems = [...new Set(failure.problems)];
  return `case #${failure.index}: ${problems.slice(0, 5).join('; ')}${problems.length > 5 ? ` (+${problems.length - 5} more)` : ''}\n  ${describeCase(failure.fuzzCase)}`;
}
