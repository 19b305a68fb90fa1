import type { Finding } from './types';

export const IGNORE_NEXT_LINE = 'pinning-audit-ignore-next-line';
export const IGNORE_FILE = 'pinning-audit-ignore-file';

/**
 * In `//`, `/* … *\/` or (platform configs) `<!-- … -->` comments; `--` starts the reason. XML
 * forbids `--` inside a comment (saxes, aapt2's expat and plutil all refuse the file), so there a
 * single `-` starts it: `<!-- pinning-audit-ignore-next-line single-pin - reason -->`.
 */
const DIRECTIVE = /(?:\/\/|\/\*|<!--)\s*pinning-audit-ignore-(next-line|file)\b[ \t]*([\w-]+(?:[ \t]*,[ \t]*[\w-]+)*)?(?:[ \t]+--?(?![->])[ \t]*(.*?))?[ \t]*(?:(?:\*\/|-->).*)?$/;

interface Directive {
  kind: 'next-line' | 'file';
  line: number;
  /** Empty: every rule. */
  rules: string[];
  reason?: string;
}

function directives(text: string): Directive[] {
  if (!text.includes('pinning-audit-ignore-')) return [];
  const found: Directive[] = [];
  const lines = text.split(/\r\n|\r|\n/);
  lines.forEach((line, index) => {
    const m = DIRECTIVE.exec(line);
    if (!m) return;
    const rules = (m[2] ?? '').split(',').map((r) => r.trim()).filter(Boolean);
    found.push({ kind: m[1] as Directive['kind'], line: index, rules, reason: m[3]?.trim() || undefined });
  });
  return found;
}

/** Marks findings covered by an ignore comment: the line above the finding, or the file. */
export function applySuppressions(text: string, findings: Finding[]): Finding[] {
  const all = directives(text);
  if (all.length === 0) return findings;
  const covers = (d: Directive, f: Finding) =>
    (d.rules.length === 0 || d.rules.includes(f.ruleId)) &&
    (d.kind === 'file' || d.line + 1 === f.range.start.line);
  return findings.map((f) => {
    const d = all.find((candidate) => covers(candidate, f));
    return d ? { ...f, suppressed: { reason: d.reason } } : f;
  });
}
