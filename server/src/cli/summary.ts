import type { Level } from '../engine/types';
import type { ScanReport } from './scan';

export interface ScanSummary {
  files: number;
  /** Findings not covered by an ignore comment. */
  findings: number;
  byLevel: Record<Level, number>;
  suppressed: number;
  /** Findings the `--baseline` holds: not in `findings`. */
  baselined: number;
  skipped: number;
}

/** Counts every format reports the same way: suppressed findings are counted apart. */
export function summarize(report: ScanReport): ScanSummary {
  const byLevel: Record<Level, number> = { error: 0, warning: 0, note: 0 };
  let suppressed = 0;
  let baselined = 0;
  for (const f of report.findings) {
    if (f.suppressed) suppressed++;
    else if (f.baselined) baselined++;
    else byLevel[f.level]++;
  }
  return {
    files: report.files,
    findings: byLevel.error + byLevel.warning + byLevel.note,
    byLevel,
    suppressed,
    baselined,
    skipped: report.skipped.length,
  };
}
