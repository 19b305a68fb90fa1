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
