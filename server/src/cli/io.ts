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

/**
 * The real process: what `main.ts` passes. `written` resolves once what was written to stdout
 * and stderr has been handed to the system (`NODE_DEBUG` lines included), so that the process
 * can exit then: a pipe is written asynchronously on macOS, and `process.exit()` would cut it short.
 */
export function processIo(): CliIo & { written: () => Promise<void> } {
  const used = new Set<NodeJS.WriteStream>();
  const writer = (stream: () => NodeJS.WriteStream) => (s: string) => {
    const to = stream();
    if (!used.has(to)) to.on('error', ignoreClosedReader);
    used.add(to);
    to.write(s);
  };
  return {
    stdout: writer(() => process.stdout),
    stderr: writer(() => process.stderr),
    written: async () => {
      if (process.env.NODE_DEBUG) used.add(process.stderr);
      // A stream writes in order: the callback of an empty write comes after all before it (or their error).
      await Promise.all([...used].map((stream) => new Promise<void>((resolve) => stream.write('', () => resolve()))));
    },
    cwd: process.cwd(),
    // A getter: process.stdout is made (loading node:stream) on first use, and a scan that
    // writes its report with --output never uses it.
    get stdoutIsTty() {
      return process.stdout.isTTY === true;
    },
    env: process.env,
  };
}

/** `pinning-audit scan | head`: a reader that has read enough is no error (the rest of the output is dropped). */
function ignoreClosedReader(error: NodeJS.ErrnoException): void {
  if (error.code !== 'EPIPE') throw error;
}
