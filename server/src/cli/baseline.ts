/**
 * Baselines: the findings of an earlier scan, by fingerprint, that a team accepts for now. A scan
 * with `--baseline FILE` reports and fails only on findings that are not in it; the others are
 * counted as baselined and listed in SARIF with an external suppression.
 */
import * as fs from 'node:fs';
import { FINGERPRINT_KEY } from './fingerprints';
import type { ScanReport } from './scan';

/** The fingerprints of a JSON report (`--format json`, `--write-baseline`) or a SARIF file of this tool. */
export function readBaseline(file: string): Set<string> {
  let data: unknown;
  try {
    data = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new BaselineError(`cannot read the baseline ${file}: ${(error as Error).message}`);
  }
  const fingerprints = new Set<string>();
  const sarif = data as { runs?: { results?: { partialFingerprints?: Record<string, string>; suppressions?: unknown[] }[] }[] };
  const json = data as { findings?: { fingerprint?: unknown }[] };
  if (Array.isArray(sarif.runs)) {
    for (const run of sarif.runs) for (const result of run.results ?? []) {
      const fingerprint = result.partialFingerprints?.[FINGERPRINT_KEY];
      if (typeof fingerprint === 'string') fingerprints.add(fingerprint);
    }
  } else if (Array.isArray(json.findings)) {
    for (const finding of json.findings) if (typeof finding.fingerprint === 'string') fingerprints.add(finding.fingerprint);
  } else {
    throw new BaselineError(`${file} is neither a JSON report nor a SARIF file of pinning-audit`);
  }
  return fingerprints;
}

/** Marks the report's findings that the baseline holds. */
export function applyBaseline(report: ScanReport, fingerprints: ReadonlySet<string>): void {
  for (const finding of report.findings) if (!finding.suppressed && fingerprints.has(finding.fingerprint)) finding.baselined = true;
}

export class BaselineError extends Error {}
