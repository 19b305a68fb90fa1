import type { Finding, Range } from '../engine/types';

/** A replacement of `[start, end)` (UTF-16 offsets into the analysed text) by `text`. */
export interface OffsetEdit {
  start: number;
  end: number;
  text: string;
}

/** An LSP-shaped edit: 0-based line/character range and the text replacing it. */
export interface TextEdit {
  range: Range;
  newText: string;
}

/** A pin set or pin a client command works on: the file (path or URI, as findings name it) and the range. */
export interface FixTarget {
  file: string;
  range: Range;
}

/**
 * What a fix needs from the user before it can be an edit; the editor turns it into a command
 * (the CLI and fix-all skip such fixes).
 */
export type FixInput =
  /** A new key pair, made and kept by the editor (the private key never reaches the server), pinned as the backup. */
  | { kind: 'backupPinFromNewKey'; pinSet: FixTarget }
  | { kind: 'backupPinFromHost'; pinSet: FixTarget }
  | { kind: 'backupPinFromCertificateFile'; pinSet: FixTarget }
  | { kind: 'replacePinFromHost'; replace: FixTarget }
  | { kind: 'restrictToHost'; range: Range; suggestedHost?: string }
  /** A pin set's expiry date (`date` spans the value): the editor asks for the new one and writes it there. */
  | { kind: 'newExpirationDate'; date: FixTarget; current: string };

/** One way to act on a finding: an edit of the file, or a step that asks the user first. */
export interface Fix {
  title: string;
  /** The fix to apply when the user asks for "the" fix: fix-all and `scan --fix` apply it. */
  preferred: boolean;
  edits?: TextEdit[];
  input?: FixInput;
}

/** The finding as a fix sees it: what the rule reported, where, with the fix data it attached. */
export type FixableFinding = Pick<Finding, 'ruleId' | 'range' | 'data'> & Partial<Pick<Finding, 'level' | 'message'>>;
