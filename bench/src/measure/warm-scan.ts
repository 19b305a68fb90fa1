import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { measureCliScan, runCliScan, type CliScanResult } from './cli-scan';

/** `supported: false` when this build's CLI rejects `--cache` (before the content cache is merged). */
export type WarmScanResult = { supported: false; reason: string } | ({ supported: true } & CliScanResult);

/**
 * `scan --cache --cache-location <tmpfile>`: run once cold to fill the cache file (the first
 * run of `measureCliScan`), then timed warm; the JSON keeps the first run's time as `firstRunMs`.
 */
export async function measureWarmScan(repoRoot: string, workspace: string, runs: number, reportFile: string): Promise<WarmScanResult> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pinning-audit-bench-cache-'));
  try {
    // A scan of an empty folder says whether the flag is known, without reading the workspace.
    const probe = await runCliScan(repoRoot, fs.mkdtempSync(path.join(dir, 'empty-')), '/dev/null', ['--cache', '--cache-location', path.join(dir, 'probe-cache')]);
    if (probe.exitCode !== 0) {
      if (/unknown option --cache/.test(probe.stderr)) return { supported: false, reason: 'n/a (this build has no --cache)' };
      throw new Error(`pinning-audit scan --cache exited with ${probe.exitCode}: ${probe.stderr}`);
    }
    const cacheArgs = ['--cache', '--cache-location', path.join(dir, 'scan-cache')];
    return { supported: true, ...(await measureCliScan(repoRoot, workspace, runs, reportFile, cacheArgs)) };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
