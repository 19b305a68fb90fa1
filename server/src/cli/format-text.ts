import type { Level } from '../engine/types';
import type { SkippedFile } from '../engine/scan';
import { displayPath } from './display-path';
import type { ScanReport } from './scan';
import { summarize, type ScanSummary } from './summary';

export interface TextOptions {
  cwd: string;
  color: boolean;
  /** Leave out the summary line. */
  quiet: boolean;
}

const LEVEL_COLOR: Record<Level, string> = { error: '31', warning: '33', note: '36' };

/** `path:line:col level rule-id message` per unsuppressed finding, then the summary line. */
export function formatText(report: ScanReport, options: TextOptions): string {
  const paint = (code: string, s: string) => (options.color ? `\u001b[${code}m${s}\u001b[0m` : s);
  const lines: string[] = [];
  for (const f of report.findings) {
    if (f.suppressed || f.baselined) continue;
    const where = `${displayPath(f.path, options.cwd)}:${f.range.start.line + 1}:${f.range.start.character + 1}`;
    // One finding per line, whatever the message holds.
    const message = f.message.replace(/\s*[\r\n]+\s*/g, ' ');
    lines.push(`${paint('1', where)} ${paint(LEVEL_COLOR[f.level], f.level)} ${paint('2', f.ruleId)} ${message}`);
  }
  if (!options.quiet) lines.push(summaryLine(summarize(report)));
  return lines.length ? `${lines.join('\n')}\n` : '';
}

/** e.g. "3 findings (1 error, 2 warnings), 1 suppressed in 12 files, 0 skipped". */
export function summaryLine(s: ScanSummary): string {
  let line = plural(s.findings, 'finding');
  if (s.findings > 0) {
    const parts = (['error', 'warning', 'note'] as const).filter((l) => s.byLevel[l] > 0).map((l) => plural(s.byLevel[l], l));
    line += ` (${parts.join(', ')})`;
  }
  if (s.suppressed > 0) line += `, ${s.suppressed} suppressed`;
  if (s.baselined > 0) line += `, ${s.baselined} baselined`;
  return `${line} in ${plural(s.files, 'file')}, ${s.skipped} skipped`;
}

/** `skipped: path: reason` per skipped entry; the CLI writes these to stderr. */
export function formatSkipped(skipped: readonly SkippedFile[], cwd: string): string {
  return skipped.map((s) => `skipped: ${displayPath(s.path, cwd)}: ${s.reason}\n`).join('');
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
