import * as path from 'node:path';
import { Engine } from '../../server/src/engine/analyze';

/** The repository root, from out/test/helpers or test/helpers. */
export const REPO_ROOT = path.resolve(__dirname, __dirname.includes(`${path.sep}out${path.sep}`) ? '../../..' : '../..');
export const FIXTURES_DIR = path.join(REPO_ROOT, 'test', 'fixtures');

let engine: Promise<Engine> | undefined;

/** One engine for the whole test run: grammars load once per process, as in the server. */
export function sharedEngine(): Promise<Engine> {
  engine ??= Engine.create();
  return engine;
}

/**
 * Runs `run` with `performance.now()`, which the parse time limit reads, replaced by `now`. With
 * the clock `STOPPED`, a parse slowed by a busy machine never ends at the limit: tests that hold
 * two analyses of a file to each other compare them whatever else the machine is doing.
 */
export function withClock<T>(now: () => number, run: () => T): T {
  performance.now = now;
  try {
    return run();
  } finally {
    delete (performance as { now?: unknown }).now;
  }
}

export const STOPPED = (): number => 0;
