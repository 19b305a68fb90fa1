import { EXIT_USAGE } from './exit-codes';
import { processIo } from './io';
import { runCli } from './run';

const io = processIo();
runCli(process.argv.slice(2), io).then(
  (code) => exitOnceWritten(code),
  (error: unknown) => {
    io.stderr(`pinning-audit: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return exitOnceWritten(EXIT_USAGE);
  },
);

/**
 * Exits as soon as the output is out. Left to end by itself, the process would first tear its
 * heaps down, which a CLI has no need of: 15-20 ms after an app-shape scan (bench/README.md,
 * round 21). Not before the output is out: `io.written`.
 */
async function exitOnceWritten(code: number): Promise<void> {
  process.exitCode = code;
  await io.written();
  process.exit(code);
}
