import { spawn } from 'node:child_process';
import * as fs from 'node:fs';

export interface CommandRun {
  wallMs: number;
  /** Peak resident set of the command and its threads, from GNU time; NaN without it. */
  peakRssMiB: number;
  exitCode: number | null;
  stdout: string;
  stderr: string;
}

const GNU_TIME = '/usr/bin/time';
const RSS_MARK = 'BENCH_MAX_RSS_KB=';

/**
 * Runs `command` to completion and times it from spawn to exit. Under GNU time (when present)
 * the peak RSS comes with it; its own cost (a fork and a wait) is well under a millisecond.
 */
export function runCommand(command: string, args: readonly string[], options: { cwd?: string; captureStdout?: boolean } = {}): Promise<CommandRun> {
  const timed = fs.existsSync(GNU_TIME);
  const [file, argv] = timed ? [GNU_TIME, ['-f', `${RSS_MARK}%M`, command, ...args]] : [command, [...args]];
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(file, argv, { cwd: options.cwd, stdio: ['ignore', options.captureStdout ? 'pipe' : 'ignore', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout?.on('data', (b: Buffer) => out.push(b));
    child.stderr?.on('data', (b: Buffer) => err.push(b));
    child.once('error', reject);
    child.once('close', (exitCode) => {
      const wallMs = performance.now() - started;
      let stderr = Buffer.concat(err).toString();
      let peakRssMiB = NaN;
      const at = stderr.lastIndexOf(RSS_MARK);
      if (at >= 0) {
        peakRssMiB = Number(stderr.slice(at + RSS_MARK.length).trim()) / 1024;
        stderr = stderr.slice(0, at);
      }
      resolve({ wallMs, peakRssMiB, exitCode, stdout: Buffer.concat(out).toString(), stderr });
    });
  });
}
