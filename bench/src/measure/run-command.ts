import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import { median } from '../stats';

export interface CommandRun {
  wallMs: number;
  /** Peak resident set of the command and its threads, from GNU time; NaN without it. */
  peakRssMiB: number;
  /** CPU time of the command and all its threads in user and in kernel mode, from GNU time (10 ms steps); NaN without it. */
  userMs: number;
  systemMs: number;
  /**
   * Page faults served without a read from disk (GNU time's `%R`): one per page of memory the
   * command touched first, so about its peak RSS over 4 KiB, and a share of its system time. NaN without GNU time.
   */
  minorFaults: number;
  exitCode: number | null;
  stdout: string;
  stderr: string;
}

const GNU_TIME = '/usr/bin/time';
const USAGE_MARK = 'BENCH_USAGE=';

/**
 * Runs `command` to completion and times it from spawn to exit. Under GNU time (when present)
 * the peak RSS and the CPU time come with it; its own cost (a fork and a wait) is well under a
 * millisecond.
 */
export function runCommand(command: string, args: readonly string[], options: { cwd?: string; captureStdout?: boolean; env?: NodeJS.ProcessEnv } = {}): Promise<CommandRun> {
  const timed = fs.existsSync(GNU_TIME);
  const [file, argv] = timed ? [GNU_TIME, ['-f', `${USAGE_MARK}%M %U %S %R`, command, ...args]] : [command, [...args]];
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(file, argv, { cwd: options.cwd, env: options.env, stdio: ['ignore', options.captureStdout ? 'pipe' : 'ignore', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout?.on('data', (b: Buffer) => out.push(b));
    child.stderr?.on('data', (b: Buffer) => err.push(b));
    child.once('error', reject);
    child.once('close', (exitCode) => {
      const wallMs = performance.now() - started;
      let stderr = Buffer.concat(err).toString();
      let usage = [NaN, NaN, NaN, NaN];
      const at = stderr.lastIndexOf(USAGE_MARK);
      if (at >= 0) {
        usage = stderr.slice(at + USAGE_MARK.length).trim().split(/\s+/).map(Number);
        stderr = stderr.slice(0, at);
      }
      const [rssKiB, userSeconds, systemSeconds, minorFaults] = usage;
      resolve({ wallMs, peakRssMiB: rssKiB / 1024, userMs: userSeconds * 1000, systemMs: systemSeconds * 1000, minorFaults, exitCode, stdout: Buffer.concat(out).toString(), stderr });
    });
  });
}

/** The medians of runs' CPU time (user + system, all threads), of its system part and of their page faults: NaN without GNU time. */
export function usageMedians(runs: readonly Pick<CommandRun, 'userMs' | 'systemMs' | 'minorFaults'>[]): { cpuMs: number; systemMs: number; minorFaults: number } {
  return {
    cpuMs: median(runs.map((r) => r.userMs + r.systemMs)),
    systemMs: median(runs.map((r) => r.systemMs)),
    minorFaults: median(runs.map((r) => r.minorFaults)),
  };
}
