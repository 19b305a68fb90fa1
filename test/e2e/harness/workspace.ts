// Fresh copies of examples/ for the editors to work on, and the CLI's findings for them.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ExpectedFinding } from '../host/run-config';
import { run } from './processes';

/** Copies examples/ to `target` (which must not exist yet). */
export function copyExamples(repoRoot: string, target: string): string {
  fs.cpSync(path.join(repoRoot, 'examples'), target, { recursive: true, errorOnExist: true });
  return target;
}

/** `pinning-audit scan --format json` of `workspace`, paths relative to it: what every editor must show. */
export async function cliFindings(repoRoot: string, workspace: string, env: NodeJS.ProcessEnv): Promise<ExpectedFinding[]> {
  const result = await run('pinning-audit scan', process.execPath, [path.join(repoRoot, 'bin', 'pinning-audit.js'), 'scan', '.', '--format', 'json', '--fail-on', 'none'], {
    cwd: workspace,
    env,
    timeoutMs: 60_000,
  });
  const report = JSON.parse(result.stdout) as { findings: ExpectedFinding[] };
  if (report.findings.length === 0) throw new Error(`the CLI found nothing in ${workspace}: the examples are meant to have findings`);
  return report.findings;
}
