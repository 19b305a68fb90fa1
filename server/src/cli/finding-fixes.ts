/**
 * The preferred quick fix of each finding, as edits, for SARIF's `fixes`: what code scanning (and
 * any SARIF viewer) can offer to apply. Only fixes that need no input; each passed the same parse
 * check as in the editor.
 */
import type { Parsers } from '../engine/parser';
import type { SourceFile } from '../engine/source-file';
import type { Finding } from '../engine/types';
import { requireImportText } from '../fixes/imports';
import { preferredEdit, type TextEdit } from '../fixes/index';

export interface FindingFix {
  title: string;
  edits: TextEdit[];
}

/**
 * Drafted on the tree the findings came from (`AnalysisOptions.withTree`): in parts, as the audit
 * parsed it, plus what the fixes ask for. A second, whole parse of a large file cost what the
 * rest of its audit did.
 */
export function preferredFixes(file: SourceFile, findings: readonly Finding[], parsers: Parsers): (FindingFix | undefined)[] {
  // What fixes edit besides the findings' code, asked for at once: imports, and the file's end (helpers).
  if (findings.length > 0 && file.family !== 'xml') requireImportText(file, [[Math.max(0, file.text.length - 1), file.text.length]]);
  return findings.map((finding) => {
    if (finding.suppressed) return undefined;
    const fix = preferredEdit(file, finding, parsers);
    return fix?.edits ? { title: fix.title, edits: fix.edits } : undefined;
  });
}
