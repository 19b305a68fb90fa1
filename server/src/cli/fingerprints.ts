/**
 * Stable identities for findings, for code scanning's `partialFingerprints` and for baselines:
 * the rule, the file, the text of the reported construct with all whitespace removed, and which
 * occurrence of that text it is. Lines added above a finding, or a re-indented file, keep it;
 * a changed construct gets a new one (as CodeQL's primaryLocationLineHash does for its lines).
 */
import type { Finding } from '../engine/types';
import { crypto } from '../engine/node-builtins';

/** The `partialFingerprints` key: bump the version when the recipe changes. */
export const FINGERPRINT_KEY = 'pinningAudit/v1';

/**
 * Fingerprints of a file's findings, in their order. `relativePath` is `/`-separated and relative
 * to the scan root; `text` is the text the findings were computed from.
 */
export function findingFingerprints(findings: readonly Finding[], relativePath: string, text: string, offsetAt: (p: Finding['range']['start']) => number): string[] {
  const seen = new Map<string, number>();
  return findings.map((finding) => {
    const construct = text.slice(offsetAt(finding.range.start), offsetAt(finding.range.end)).replace(/\s+/g, '');
    const identity = `${finding.ruleId}\0${relativePath}\0${construct}`;
    const occurrence = (seen.get(identity) ?? 0) + 1;
    seen.set(identity, occurrence);
    return crypto().createHash('sha256').update(`${identity}\0${occurrence}`).digest('hex').slice(0, 32);
  });
}
