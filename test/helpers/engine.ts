import * as path from 'node:path';
import { Engine } from '../../server/src/engine/analyze';
import { parseClocks } from '../../server/src/engine/parser';

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
 * Runs `run` with the clocks the parse time limit reads (parser.ts `parseClocks`) replaced: the
 * wall clock by `now`, the process's CPU time by `cpu` (by default the same). With the clock
 * `STOPPED`, a parse slowed by a busy machine never ends at the limit: tests that hold two
 * analyses of a file to each other compare them whatever else the machine is doing.
 */
export function withClock<T>(now: () => number, run: () => T, cpu: () => number = now): T {
  const { wall, cpu: processCpu } = parseClocks;
  parseClocks.wall = now;
  parseClocks.cpu = cpu;
  try {
    return run();
  } finally {
    parseClocks.wall = wall;
    parseClocks.cpu = processCpu;
  }
}

export const STOPPED = (): number => 0;
