/**
 * Where a CLI command writes and what it resolves relative paths against. Commands take
 * one instead of touching `process` so tests can capture their output.
 */
export interface CliIo {
  /** Writes `s` verbatim: callers include the trailing newline. */
  stdout: (s: string) => void;
  /** Writes `s` verbatim: callers include the trailing newline. */
  stderr: (s: string) => void;
  /** Relative paths in arguments are resolved against this folder. */
  cwd: string;
  /** Whether stdout is a terminal: colored text output only goes to one. Unset: not a terminal. */
  stdoutIsTty?: boolean;
  /** Environment to read NO_COLOR from; unset: none. */
  env?: Record<string, string | undefined>;
}

/** The real process: what `main.ts` passes. */
export function processIo(): CliIo {
  return {
    stdout: (s) => process.stdout.write(s),
    stderr: (s) => process.stderr.write(s),
    cwd: process.cwd(),
    // A getter: process.stdout is made (loading node:stream) on first use, and a scan that
    // writes its report with --output never uses it.
    get stdoutIsTty() {
      return process.stdout.isTTY === true;
    },
    env: process.env,
  };
}
