import type { Engine } from '../engine/analyze';
import type { WalkedFile } from '../engine/scan';
import { decoder, readSourceFile, type SourceBytes, type UnreadFile } from '../engine/source-bytes';
import type { TriggeredIds } from '../engine/trigger-set';
import type { Finding, RuleSettings } from '../engine/types';
import type { PinSet } from '../engine/workspace';
import { WorkspaceFacts } from '../engine/workspace';
import { lineStarts, offsetInLines } from '../engine/parser';
import { findingFingerprints } from './fingerprints';
import { preferredFixes, type FindingFix } from './finding-fixes';

/** What became of one file: audited (perhaps without a parse), or skipped and why. */
/**
 * A finding with its stable identity (cli/fingerprints.ts: SARIF's partialFingerprints,
 * baselines) and, when the scan asked for them, its preferred fix's edits (SARIF's fixes).
 */
export type FingerprintedFinding = Finding & { fingerprint: string; fix?: FindingFix };

export type FileOutcome = { audited: true; findings: FingerprintedFinding[]; pinSets: PinSet[] } | UnreadFile;

export interface FileAuditSettings {
  rules: RuleSettings;
  maxBytes: number;
  rotationWarningDays?: number;
  /** Compute each finding's preferred fix (for SARIF): a second parse of the files with findings. */
  fixes?: boolean;
}

/**
 * Reads one file and audits it. The bytes are searched for the rules' trigger words before
 * anything is decoded: most files have none, and for them this is all the work there is.
 * The outcome is the same as decoding, stripping a BOM, `looksBinary` and `engine.analyze`.
 */
export function auditFile(engine: Engine, file: WalkedFile, settings: FileAuditSettings): FileOutcome {
  const source = readSourceFile(file.path, settings.maxBytes);
  return 'reason' in source ? source : auditSourceBytes(engine, file, source, settings);
}

/**
 * Audits a file already read: `auditFile` after `readSourceFile`. `triggered`: the rules its
 * trigger words call for, when the scan's main thread has looked for them already.
 */
export function auditSourceBytes(engine: Engine, file: WalkedFile, source: SourceBytes, settings: FileAuditSettings, triggered?: TriggeredIds): FileOutcome {
  const input = { id: file.path, relativePath: file.relativePath, grammar: file.grammar };
  // Each file on its own: no rule reads other files' facts, and a scan spread over threads has none to give.
  const options = { rules: settings.rules, workspace: new WorkspaceFacts(), rotationWarningDays: settings.rotationWarningDays };
  const decode = decoder(source);
  const result = triggered
    ? engine.analyzeTriggeredBy({ ...input, text: decode() }, triggered, options)
    : engine.analyzeBytes(input, source.bytes, decode, options);
  if (result.skipped) return { audited: false, reason: result.skipped };
  if (result.findings.length === 0) return { audited: true, findings: [], pinSets: result.pinSets };
  const text = decode();
  const starts = lineStarts(text);
  const fingerprints = findingFingerprints(result.findings, file.relativePath, text, (p) => offsetInLines(starts, text, p));
  const fixes = settings.fixes ? preferredFixes(engine, input, text, result.findings) : [];
  const findings = result.findings.map((f, i) => ({ ...f, fingerprint: fingerprints[i], ...(fixes[i] ? { fix: fixes[i] } : {}) }));
  return { audited: true, findings, pinSets: result.pinSets };
}
