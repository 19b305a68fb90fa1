import * as fs from 'node:fs';
import * as path from 'node:path';
import { median } from '../stats';
import { runCommand, usageMedians, type CommandRun } from './run-command';

/** What one timed run of a command used. */
export type RunSample = Pick<CommandRun, 'wallMs' | 'peakRssMiB' | 'userMs' | 'systemMs' | 'minorFaults'>;

export interface CliScanResult {
  /** The run before the timed ones: it warms the page cache (and fills the cache file of a `--cache` scan). */
  firstRunMs: number;
  runs: RunSample[];
  wallMs: number;
  peakRssMiB: number;
  /** Medians of the runs' CPU time (user + system, all threads) and of its system part: NaN without GNU time. */
  cpuMs: number;
  systemMs: number;
  /** Median of the runs' page faults (`CommandRun.minorFaults`): NaN without GNU time. */
  minorFaults: number;
  /** From one extra run that writes its JSON report: what the scan found. */
  files: number;
  findings: number;
  findingsByRule: Record<string, number>;
}

/** The CLI's `scan` of `workspace` (with `extraArgs` such as `--cache`), writing its JSON report to `output`. */
export function runCliScan(repoRoot: string, workspace: string, output: string, extraArgs: readonly string[] = []): ReturnType<typeof runCommand> {
  const cli = path.join(repoRoot, 'bin', 'pinning-audit.js');
  return runCommand(process.execPath, [cli, 'scan', workspace, '--format', 'json', '--output', output, '--fail-on', 'none', ...extraArgs]);
}

/** `pinning-audit scan <ws> --format json --output /dev/null --fail-on none [extraArgs]`, `runs` times (after one run that keeps its report). */
export async function measureCliScan(repoRoot: string, workspace: string, runs: number, reportFile: string, extraArgs: readonly string[] = []): Promise<CliScanResult> {
  const scan = (output: string) => runCliScan(repoRoot, workspace, output, extraArgs);

  // The first run also warms the page cache; its report says what the scan found.
  const first = await scan(reportFile);
  if (first.exitCode !== 0) throw new Error(`pinning-audit scan exited with ${first.exitCode}: ${first.stderr}`);
  const report = JSON.parse(fs.readFileSync(reportFile, 'utf8')) as { findings: { ruleId: string }[]; summary: { files: number } };
  const findingsByRule: Record<string, number> = {};
  for (const f of report.findings) findingsByRule[f.ruleId] = (findingsByRule[f.ruleId] ?? 0) + 1;

  const samples: RunSample[] = [];
  for (let i = 0; i < runs; i++) {
    const run = await scan('/dev/null');
    if (run.exitCode !== 0) throw new Error(`pinning-audit scan exited with ${run.exitCode}: ${run.stderr}`);
    samples.push({ wallMs: run.wallMs, peakRssMiB: run.peakRssMiB, userMs: run.userMs, systemMs: run.systemMs, minorFaults: run.minorFaults });
  }
  return {
    firstRunMs: first.wallMs,
    runs: samples,
    wallMs: median(samples.map((s) => s.wallMs)),
    peakRssMiB: median(samples.map((s) => s.peakRssMiB)),
    ...usageMedians(samples),
    files: report.summary.files,
    findings: report.findings.length,
    findingsByRule,
  };
}
