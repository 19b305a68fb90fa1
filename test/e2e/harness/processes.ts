// Child processes of the e2e run: each one in its own process group, every group killed at the end
// (also on failure, Ctrl-C or a timeout), and every wait bounded.
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import * as fs from 'node:fs';

/** A process started in its own group (`detached`), so killing the group also ends its children. */
export interface GroupProcess {
  readonly name: string;
  readonly child: ChildProcess;
  /** Everything it printed so far (stdout and stderr), for error messages. */
  output(): string;
  /** Only what it printed on stdout. */
  stdout(): string;
  /** Resolves with the exit code (or the signal) once it ended. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const running = new Set<GroupProcess>();

/** Kills every process group this module started that is still running. */
export async function killAll(): Promise<void> {
  await Promise.all([...running].map((process) => killGroup(process)));
}

/** SIGTERM to the group, SIGKILL after `graceMs` if anything of it is still alive. */
export async function killGroup(process: GroupProcess, graceMs = 3000): Promise<void> {
  const pid = process.child.pid;
  if (pid === undefined) return;
  signalGroup(pid, 'SIGTERM');
  const ended = await Promise.race([process.exited.then(() => true), delay(graceMs).then(() => false)]);
  // The leader may be gone while children of the group live on: SIGKILL the group either way.
  signalGroup(pid, 'SIGKILL');
  if (!ended) await Promise.race([process.exited, delay(1000)]);
  running.delete(process);
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    globalThis.process.kill(-pid, signal);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

export interface StartOptions extends Pick<SpawnOptions, 'cwd' | 'env'> {
  /** Also append the output to this file (kept for people to read after a failure). */
  logFile?: string;
  /** Written to stdin, which is then closed. */
  input?: string;
}

/** Starts `command` in a new process group and tracks it until it exits or is killed. */
export function startGroup(name: string, command: string, args: readonly string[], options: StartOptions = {}): GroupProcess {
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: options.env,
    detached: true,
    stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
  });
  const chunks: string[] = [];
  const stdoutChunks: string[] = [];
  const log = options.logFile ? fs.createWriteStream(options.logFile, { flags: 'a' }) : undefined;
  const collect = (chunk: Buffer) => {
    chunks.push(chunk.toString());
    log?.write(chunk);
  };
  child.stdout?.on('data', (chunk: Buffer) => {
    stdoutChunks.push(chunk.toString());
    collect(chunk);
  });
  child.stderr?.on('data', collect);
  if (options.input !== undefined) child.stdin?.end(options.input);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('error', (error) => {
      chunks.push(`\n[could not start ${command}: ${error.message}]\n`);
      resolve({ code: null, signal: null });
    });
    child.once('close', (code, signal) => resolve({ code, signal }));
  }).then((result) => {
    log?.end();
    running.delete(groupProcess);
    return result;
  });
  const groupProcess: GroupProcess = { name, child, output: () => chunks.join(''), stdout: () => stdoutChunks.join(''), exited };
  running.add(groupProcess);
  return groupProcess;
}

export interface RunResult {
  code: number | null;
  /** stdout and stderr as they came. */
  output: string;
  stdout: string;
}

/**
 * Runs a command to its end within `timeoutMs`; on timeout its group is killed and this throws.
 * A non-zero exit throws too (with the output's tail) unless `allowFailure` is set.
 */
export async function run(
  name: string,
  command: string,
  args: readonly string[],
  options: StartOptions & { timeoutMs: number; allowFailure?: boolean },
): Promise<RunResult> {
  const process = startGroup(name, command, args, options);
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), options.timeoutMs)));
  const result = await Promise.race([process.exited, timedOut]);
  clearTimeout(timer);
  if (result === 'timeout') {
    await killGroup(process);
    throw new Error(`${name} did not finish within ${Math.round(options.timeoutMs / 1000)} s (killed). Its output ends with:\n${tail(process.output())}`);
  }
  // Whatever it started and left behind in its group (a language server an editor did not stop) goes too.
  if (process.child.pid !== undefined) signalGroup(process.child.pid, 'SIGKILL');
  if (result.code !== 0 && !options.allowFailure) {
    const how = result.signal ? `was killed by ${result.signal}` : `exited with ${result.code}`;
    throw new Error(`${name} ${how} (${command} ${args.join(' ')}). Its output ends with:\n${tail(process.output())}`);
  }
  return { code: result.code, output: process.output(), stdout: process.stdout() };
}

/** Thrown by a `waitFor` probe to stop waiting at once (the thing waited for can no longer happen). */
export class GiveUp extends Error {}

/** Polls `probe` every `intervalMs` until it returns a value other than undefined; throws `what` after `timeoutMs`. */
export async function waitFor<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined> | T | undefined, intervalMs = 200): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      if (error instanceof GiveUp) throw error;
      lastError = error;
    }
    if (Date.now() >= deadline) {
      const reason = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
      throw new Error(`Timed out after ${Math.round(timeoutMs / 1000)} s waiting for ${what}${reason}`);
    }
    await delay(intervalMs);
  }
}

/** Rejects with `what` if `promise` does not settle within `timeoutMs`. */
export async function withTimeout<T>(what: string, timeoutMs: number, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Timed out after ${Math.round(timeoutMs / 1000)} s: ${what}`)), timeoutMs);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export function tail(text: string, lines = 40): string {
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
