import * as fs from 'node:fs';
import type { Engine } from '../engine/analyze';
import type { TriggeredIds } from '../engine/trigger-set';
import type { RuleSettings } from '../engine/types';
import type { Finding } from '../engine/types';
import { tooLargeReason, type WalkedFile } from '../engine/scan';
import type { PinSet } from '../engine/workspace';
import { WorkspaceFacts } from '../engine/workspace';

/** What became of one file: audited (perhaps without a parse), or skipped and why. */
export type FileOutcome =
  | { audited: true; findings: Finding[]; pinSets: PinSet[] }
  | { audited: false; reason: string };

export interface FileAuditSettings {
  rules: RuleSettings;
  maxBytes: number;
}

const UTF8_BOM = [0xef, 0xbb, 0xbf];
/** `looksBinary` looks at the first 8 K characters; no character is longer than 4 UTF-8 bytes. */
const BINARY_CHECK_CHARS = 8192;

/** A file's bytes, once read and found to be text: `bom` is the length of its byte-order mark. */
export interface SourceBytes {
  bytes: Uint8Array;
  bom: number;
}

export type SkippedOutcome = Extract<FileOutcome, { audited: false }>;

/**
 * Reads one file and audits it. The bytes are searched for the rules' trigger words before
 * anything is decoded: most files have none, and for them this is all the work there is.
 * The outcome is the same as decoding, stripping a BOM, `looksBinary` and `engine.analyze`.
 */
export function auditFile(engine: Engine, file: WalkedFile, settings: FileAuditSettings): FileOutcome {
  const source = readSourceFile(file, settings.maxBytes);
  return 'reason' in source ? source : auditSourceBytes(engine, file, source, settings);
}

/** Reads a file for auditing, or says why it is skipped: too large, unreadable or binary. */
export function readSourceFile(file: WalkedFile, maxBytes: number): SourceBytes | SkippedOutcome {
  let bytes: Buffer;
  try {
    const fd = fs.openSync(file.path, 'r');
    try {
      const size = fs.fstatSync(fd).size;
      if (size > maxBytes) {
        return { audited: false, reason: tooLargeReason(maxBytes, size) };
      }
      bytes = readAll(fd, size);
    } finally {
      fs.closeSync(fd);
    }
  } catch (error) {
    const gone = (error as NodeJS.ErrnoException).code === 'ENOENT';
    return { audited: false, reason: gone ? 'deleted during the scan' : `cannot be read: ${(error as Error).message}` };
  }
  const bom = bytes.length >= 3 && bytes[0] === UTF8_BOM[0] && bytes[1] === UTF8_BOM[1] && bytes[2] === UTF8_BOM[2] ? 3 : 0;
  if (isBinary(bytes, bom)) return { audited: false, reason: 'binary file (contains NUL bytes)' };
  return { bytes, bom };
}

/** Decodes a read file's text (after its byte-order mark). */
export function decoder({ bytes, bom }: SourceBytes): () => string {
  let text: string | undefined;
  return () => (text ??= Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8', bom));
}

/**
 * Audits a file already read: `auditFile` after `readSourceFile`. `triggered`: the rules its
 * trigger words call for, when the scan's main thread has looked for them already.
 */
export function auditSourceBytes(engine: Engine, file: WalkedFile, source: SourceBytes, settings: FileAuditSettings, triggered?: TriggeredIds): FileOutcome {
  const input = { id: file.path, relativePath: file.relativePath, grammar: file.grammar };
  // Each file on its own: no rule reads other files' facts, and a scan spread over threads has none to give.
  const options = { rules: settings.rules, workspace: new WorkspaceFacts() };
  const result = triggered
    ? engine.analyzeTriggeredBy({ ...input, text: decoder(source)() }, triggered, options)
    : engine.analyzeBytes(input, source.bytes, decoder(source), options);
  if (result.skipped) return { audited: false, reason: result.skipped };
  return { audited: true, findings: result.findings, pinSets: result.pinSets };
}

/** The file's bytes; a file that grew since `fstat` is read to its end all the same. */
function readAll(fd: number, size: number): Buffer {
  const chunks: Buffer[] = [];
  let total = 0;
  let chunk = Buffer.allocUnsafe(Math.max(size, 1) + 1);
  for (;;) {
    const read = fs.readSync(fd, chunk, 0, chunk.length, null);
    if (read === 0) break;
    chunks.push(chunk.subarray(0, read));
    total += read;
    if (read < chunk.length) {
      chunk = chunk.subarray(read);
    } else {
      chunk = Buffer.allocUnsafe(64 * 1024);
    }
  }
  return chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, total);
}

/** `looksBinary` on the decoded, BOM-less text, asked of the bytes: a NUL among the first 8 K characters. */
function isBinary(bytes: Buffer, bom: number): boolean {
  const nul = bytes.indexOf(0, bom);
  if (nul < 0) return false;
  if (nul - bom < BINARY_CHECK_CHARS) return true; // fewer bytes than that are fewer characters too
  return bytes.toString('utf8', bom, nul).length < BINARY_CHECK_CHARS;
}
