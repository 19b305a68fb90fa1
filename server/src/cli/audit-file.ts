import { readThroughCache, type ScanCache } from '../cache/scan-cache';
import type { AnalysisOptions, Engine } from '../engine/analyze';
import type { TextParts } from '../engine/partial-parse';
import type { WalkedFile } from '../engine/scan';
import type { ReadBuffer, SourceBytes, UnreadFile } from '../engine/source-bytes';
import type { TriggeredIds } from '../engine/trigger-set';
import type { Finding, RuleSettings } from '../engine/types';
import type { PinSet } from '../engine/workspace';
import { WorkspaceFacts } from '../engine/workspace';
import { familyOf } from '../engine/languages';
import { lineStarts, offsetInLines } from '../engine/parser';
import { Trigrams, WordPositions } from '../engine/word-positions';
import { rememberPinSetNames, type PinSetNames } from '../facts/pin-set-evidence';
import { findingFingerprints } from './fingerprints';
import { preferredFixes, type FindingFix } from './finding-fixes';

/**
 * A finding with its stable identity (cli/fingerprints.ts: SARIF's partialFingerprints,
 * baselines) and, when the scan asked for them, its preferred fix's edits (SARIF's fixes).
 */
export type FingerprintedFinding = Finding & { fingerprint: string; fix?: FindingFix };

/** What the scan cache keeps of an audited file. */
export interface AuditResult {
  findings: FingerprintedFinding[];
  pinSets: PinSet[];
  /** The findings carry their preferred fixes (`fixes`), where they have one. */
  fixed?: true;
}

/**
 * What became of one file: audited (`parsed` when that took a parse; `datedToday` when a rule
 * read the date), or skipped and why.
 */
export type FileOutcome = (AuditResult & { audited: true; parsed?: true; datedToday?: true }) | UnreadFile;

export type CliScanCache = ScanCache<AuditResult>;

export interface FileAuditSettings {
  rules: RuleSettings;
  maxBytes: number;
  rotationWarningDays?: number;
  /** Compute each finding's preferred fix (for SARIF): a second parse of the files with findings. */
  fixes?: boolean;
}

/**
 * Reads one file for auditing: its bytes, or its outcome when it cannot be read or the cache
 * holds it (then it is not read when a `stat` shows it unchanged, or not parsed when its bytes are those cached).
 * Read `into` a buffer, the bytes are good until its next read (`readSourceFile`).
 */
export function readForAudit(file: WalkedFile, maxBytes: number, cache?: CliScanCache, into?: ReadBuffer): SourceBytes | FileOutcome {
  const read = readThroughCache(file, maxBytes, cache, into);
  return 'cached' in read ? { audited: true, ...read.cached } : read;
}

/** A file the scan's main thread has read and found trigger words in: a thread parses and audits it. */
export interface ReadFile {
  file: WalkedFile;
  /** Its text (decoded, without a byte-order mark). */
  text: string;
  /** The rules its trigger words call for: the thread does not look for them again. */
  triggered: TriggeredIds;
  /** Its parts to parse first, when the main thread has cut it (`cutIntoParts`); null when it cannot be cut. */
  parts?: TextParts | null;
  /** Its `pinSetNames`, when the main thread has found them (to confirm or cut it): not searched for again. */
  pinSetNames?: PinSetNames;
  /** The set of its trigrams (`trigramSetOf` its bytes), made by the main thread from the bytes it read. */
  trigrams?: Int32Array;
}

/**
 * Audits a file already read (`readForAudit`) and found to hold trigger words (the scan looks
 * for them on its main thread, as it reads): `triggered`, the rules they call for. The outcome is
 * the same as `engine.analyze` on its text.
 */
export function auditReadFile(engine: Engine, { file, text, triggered, parts, pinSetNames, trigrams }: ReadFile, settings: FileAuditSettings): FileOutcome {
  const input = { id: file.path, relativePath: file.relativePath, grammar: file.grammar, ...(trigrams ? { words: new WordPositions(text, Trigrams.ofUtf8(trigrams)) } : {}) };
  if (pinSetNames) rememberPinSetNames(text, familyOf(file.grammar), pinSetNames);
  // Each file on its own: no rule reads other files' facts, and a scan spread over threads has none to give.
  const options: AnalysisOptions = { rules: settings.rules, workspace: new WorkspaceFacts(), rotationWarningDays: settings.rotationWarningDays };
  let fixes: (FindingFix | undefined)[] = [];
  if (settings.fixes) options.withTree = (analysed, { findings }) => (fixes = preferredFixes(analysed, findings, engine.parsers));
  const result = engine.analyzeTriggeredBy({ ...input, text }, triggered, options, parts);
  if (result.skipped) return { audited: false, reason: result.skipped };
  const how = { ...(result.parsed ? { parsed: true as const } : {}), ...(result.datedToday ? { datedToday: true as const } : {}) };
  if (result.findings.length === 0) return { audited: true, findings: [], pinSets: result.pinSets, ...how };
  // The starts of the lines the findings end on and the next (`offsetInLines` reads it): in a
  // large file with findings at its top, no further.
  const starts = lineStarts(text, Math.max(...result.findings.map((f) => f.range.end.line)) + 2);
  const fingerprints = findingFingerprints(result.findings, file.relativePath, text, (p) => offsetInLines(starts, text, p));
  const findings = result.findings.map((f, i) => ({ ...f, fingerprint: fingerprints[i], ...(fixes[i] ? { fix: fixes[i] } : {}) }));
  return { audited: true, findings, pinSets: result.pinSets, ...(settings.fixes ? { fixed: true as const } : {}), ...how };
}
