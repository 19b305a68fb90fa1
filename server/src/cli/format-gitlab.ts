/**
 * GitLab's SAST report (`gl-sast-report.json`, schema 15.0), for merge request widgets and the
 * vulnerability report: one vulnerability per finding that is neither suppressed nor baselined
 * (the format has no suppressions), with the rule and its CWEs as identifiers.
 */
import { ruleTags } from './rule-help';
import type { ScanReport } from './scan';

const SCHEMA_VERSION = '15.0.7';

type GitlabSeverity = 'Critical' | 'High' | 'Medium' | 'Low' | 'Info';

export function formatGitlab(report: ScanReport, toolVersion: string, now = new Date()): string {
  const rules = new Map(report.rules.map((r) => [r.meta.id, r]));
  const tool = { id: 'pinning-audit', name: 'Pinning Audit', version: toolVersion, vendor: { name: 'Pinning Audit' } };
  const vulnerabilities = report.findings.filter((f) => !f.suppressed && !f.baselined).map((f) => {
    const rule = rules.get(f.ruleId);
    const cwes = rule?.meta.security.cwe ?? [];
    return {
      id: f.fingerprint,
      name: rule?.meta.description ?? f.ruleId,
      description: f.message,
      severity: severityOf(f.level, rule?.meta.security.severity),
      identifiers: [
        { type: 'pinning_audit_rule', name: f.ruleId, value: f.ruleId, ...(rule ? { url: rule.meta.docsUrl } : {}) },
        ...cwes.map((n) => ({ type: 'cwe', name: `CWE-${n}`, value: String(n), url: `https://cwe.mitre.org/data/definitions/${n}.html` })),
      ],
      location: { file: f.relativePath, start_line: f.range.start.line + 1, end_line: f.range.end.line + 1 },
      ...(rule ? { details: { tags: { name: 'Tags', type: 'list', items: ruleTags(rule).map((tag) => ({ type: 'text', value: tag })) } } } : {}),
    };
  });
  const gitlab = {
    version: SCHEMA_VERSION,
    scan: {
      analyzer: tool,
      scanner: tool,
      type: 'sast',
      start_time: gitlabTime(new Date(now.getTime() - report.durationMs)),
      end_time: gitlabTime(now),
      status: 'success',
    },
    vulnerabilities,
  };
  return `${JSON.stringify(gitlab, null, 2)}\n`;
}

/** A note stays informational; otherwise the rule's score, as code scanning maps it. */
function severityOf(level: string, score: number | undefined): GitlabSeverity {
  if (level === 'note' || score === undefined) return 'Info';
  return score >= 9 ? 'Critical' : score >= 7 ? 'High' : score >= 4 ? 'Medium' : 'Low';
}

/** The schema's `YYYY-MM-DDTHH:MM:SS` (UTC, no fraction or zone). */
function gitlabTime(date: Date): string {
  return date.toISOString().slice(0, 19);
}
