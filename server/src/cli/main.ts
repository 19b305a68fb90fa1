import { EXIT_USAGE } from './exit-codes';
import { processIo } from './io';
import { runCli } from './run';

// The process exits by itself once output is flushed; process.exit() could cut piped output short.
runCli(process.argv.slice(2), processIo()).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`pinning-audit: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = EXIT_USAGE;
  },
);
