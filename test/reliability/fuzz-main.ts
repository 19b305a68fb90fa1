/**
 * `npm run fuzz`: the long fuzz run. `node out/test/reliability/fuzz-main.js [--cases N] [--seed S]`
 * prints the number of cases, every failure and the run time; exits 1 when any case failed.
 */
import { Engine } from '../../server/src/engine/analyze';
import { DEFAULT_SEED, formatFailure, runFuzz } from './fuzz/run';

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(name);
  if (at < 0) return fallback;
  const value = Number(process.argv[at + 1]);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} needs a whole number`);
  return value;
}

async function main(): Promise<number> {
  const cases = option('--cases', 10_000);
  const seed = option('--seed', DEFAULT_SEED);
  const engine = await Engine.create();
  process.stdout.write(`fuzzing the engine: ${cases} cases, seed ${seed}\n`);
  const report = runFuzz(engine, { cases, seed, onProgress: (done) => process.stdout.write(`  ${done}/${cases}\n`) });
  for (const failure of report.failures) process.stdout.write(`${formatFailure(failure)}\n`);
  const seconds = (report.durationMs / 1000).toFixed(1);
  const megabytes = (report.characters / 1e6).toFixed(1);
  process.stdout.write(
    `${report.cases} cases, ${report.failures.length} failures, ${seconds} s ` +
      `(${megabytes} M characters; slowest file ${Math.round(report.maxMs)} ms; ` +
      `at most ${report.maxLookupsPerCharacter.toFixed(2)} node look-ups per character; ` +
      `${report.skipped} skipped as unparsable)\n`,
  );
  return report.failures.length ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(2);
  },
);
