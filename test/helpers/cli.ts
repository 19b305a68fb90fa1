// The CLI in this process with a captured CliIo: what each test of a subcommand runs.
import type { CliIo } from '../../server/src/cli/io';
import { runCli } from '../../server/src/cli/run';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export async function runCliInProcess(args: readonly string[], cwd: string, env?: CliIo['env']): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), cwd, ...(env ? { env } : {}) };
  const code = await runCli([...args], io);
  return { code, stdout, stderr };
}
