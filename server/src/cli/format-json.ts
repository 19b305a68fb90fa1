import * as path from 'node:path';
import { displayPath } from './display-path';
import type { ScanReport } from './scan';
import { summarize } from './summary';

/** Unsuppressed findings with 1-based positions, the summary, and the skipped files. */
export function formatJson(report: ScanReport, cwd: string): string {
  const toPath = (file: string) => displayPath(file, cwd).split(path.sep).join('/');
  const output = {
    findings: report.findings
      .filter((f) => !f.suppressed)
      .map((f) => ({
        ruleId: f.ruleId,
        level: f.level,
        message: f.message,
        path: toPath(f.path),
        line: f.range.start.line + 1,
        column: f.range.start.character + 1,
        endLine: f.range.end.line + 1,
        endColumn: f.range.end.character + 1,
        fingerprint: f.fingerprint,
        ...(f.baselined ? { baselined: true } : {}),
      })),
    summary: summarize(report),
    skippedFiles: report.skipped.map((s) => ({ path: toPath(s.path), reason: s.reason })),
  };
  return `${JSON.stringify(output, null, 2)}\n`;
}
