import * as fs from 'node:fs';
import * as path from 'node:path';
import { median } from '../stats';
import { runCommand } from './run-command';

export interface CliScanResult {
  runs: { wallMs: number; peakRssMiB: number }[];
  wallMs: number;
  peakRssMiB: number;
  /** From one extra run that writes its JSON report: what the scan found. */
  files: number;
  findings: number;
  findingsByRule: Record<string, number>;
}

/** `pinning-audit scan <ws> --format json --output /dev/null --fail-on none`, `runs` times (after one run that keeps its report). */
export async function measureCliScan(repoRoot: string, workspace: string, runs: number, reportFile: string): Promise<CliScanResult> {
  const cli = path.join(repoRoot, 'bin', 'pinning-audit.js');
  const scan = (output: string) => runCommand(process.execPath, [cli, 'scan', workspace, '--format', 'json', '--output', output, '--fail-on', 'none']);

  // The first run also warms the page cache; its report says what the scan found.
  const first = await scan(reportFile);
  if (first.exitCode !== 0) throw new Error(`pinning-audit scan exited with ${first.exitCode}: ${first.stderr}`);
  const report = JSON.parse(fs.readFileSync(reportFile, 'utf8')) as { findings: { ruleId: string }[]; summary: { files: number } };
  const findingsByRule: Record<string, number> = {};
  for (const f of report.findings) findingsByRule[f.ruleId] = (findingsByRule[f.ruleId] ?? 0) + 1;

  const samples: { wallMs: number; peakRssMiB: number }[] = [];
  for (let i = 0; i < runs; i++) {
    const run = await scan('/dev/null');
    if (run.exitCode !== 0) throw new Error(`pinning-audit scan exited with ${run.exitCode}: ${run.stderr}`);
    samples.push({ wallMs: run.wallMs, peakRssMiB: run.peakRssMiB });
  }
  return {
    runs: samples,
    wallMs: median(samples.map((s) => s.wallMs)),
    peakRssMiB: median(samples.map((s) => s.peakRssMiB)),
    files: report.summary.files,
    findings: report.findings.length,
    findingsByRule,
  };
}
