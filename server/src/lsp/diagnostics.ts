import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver/node';
import { SERVER_SOURCE } from '../../../common/protocol';
import type { Finding, FixData, Level } from '../engine/types';

const SEVERITY: Record<Level, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  note: DiagnosticSeverity.Information,
};

/**
 * `Diagnostic.data`: the finding's fix data plus what a code-action handler needs to trust it —
 * which rule produced it and for which document version (null for files read from disk).
 */
export type DiagnosticData = Partial<FixData> & {
  ruleId: string;
  documentVersion: number | null;
};

export function isDiagnosticData(value: unknown): value is DiagnosticData {
  const data = value as DiagnosticData | undefined;
  return typeof data === 'object' && data !== null && typeof data.ruleId === 'string' &&
    (typeof data.documentVersion === 'number' || data.documentVersion === null);
}

/** Where a rule's documentation lives; undefined for a rule the engine does not know. */
export type DocsUrlLookup = (ruleId: string) => string | undefined;

export function toDiagnostic(finding: Finding, docsUrl: DocsUrlLookup, documentVersion: number | null): Diagnostic {
  const href = docsUrl(finding.ruleId);
  const data: DiagnosticData = { ...finding.data, ruleId: finding.ruleId, documentVersion };
  return {
    range: finding.range,
    severity: SEVERITY[finding.level],
    source: SERVER_SOURCE,
    code: finding.ruleId,
    ...(href ? { codeDescription: { href } } : {}),
    message: finding.message,
    data,
  };
}

/** Suppressed findings are counted by the CLI but never shown in an editor. */
export function toDiagnostics(findings: readonly Finding[], docsUrl: DocsUrlLookup, documentVersion: number | null): Diagnostic[] {
  return findings.filter((f) => !f.suppressed).map((f) => toDiagnostic(f, docsUrl, documentVersion));
}
