import type { Family } from './languages';

export type Level = 'error' | 'warning' | 'note';
export const LEVELS: readonly Level[] = ['error', 'warning', 'note'];

/** 0-based line and UTF-16 character, as in LSP. */
export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

/** What a quick fix needs to find its edit again: the fix kind plus anything it must know. */
export interface FixData {
  fix: string;
  [key: string]: unknown;
}

export interface Finding {
  ruleId: string;
  level: Level;
  message: string;
  range: Range;
  data?: FixData;
  /** Other places the finding is about (SARIF relatedLocations): the pin check a callback holds. */
  related?: { range: Range; message: string }[];
  /** Set when an ignore comment covers the finding: hidden in editors, counted by the CLI. */
  suppressed?: { reason?: string };
}

/**
 * Words that are common inside other words (`hash` in `hashCode`, `pin` in `Spinner`): the
 * trigger pass finds them, then `confirm` looks at the text, and the file is a candidate only
 * when it answers true. `confirm` must hold for every file the rule can report in.
 */
export interface ConfirmedTrigger {
  words: readonly string[];
  /** `utf8`: the text's UTF-8 bytes (no byte-order mark), when the caller has them. */
  confirm: (text: string, utf8?: Uint8Array) => boolean;
  /**
   * Optional: true when `confirm` would surely say false, judged from where `words` end in the
   * file (`wordEnds`, unsorted, as the trigger pass found them) and the file's UTF-8 bytes
   * around them. Decoding UTF-8 costs six times as much as a pass over the bytes, and most
   * files a common word brought here are settled by it.
   */
  rejects?: (source: Uint8Array, wordEnds: readonly number[]) => boolean;
  /**
   * Optional: where in `text` the occurrences of `words` that `confirm` can accept start (a
   * superset of them). A partial parse then reads only the parts that hold one of these, not
   * every part that holds one of the words (partial-parse.ts): in a class whose members read
   * `hashedPassword`, those members.
   */
  confirmedAt?: (text: string) => number[];
  /**
   * Optional, with `confirmedAt`: the spans of `text` an analysis reads because of those words
   * (the body of a function or type a pin-set name names, which the pin-set search walks; each
   * occurrence of a compared name, which tells whether it is a constant). A partial parse reads
   * the parts that hold them in its first round, not in a second one after the analysis asked.
   */
  regionsAt?: (text: string) => readonly { start: number; end: number }[];
}

export type Trigger = string | RegExp | ConfirmedTrigger;
export type TriggerList = readonly Trigger[];

/**
 * What a rule's findings mean for security, as code scanning reads it: the weaknesses (CWE), the
 * OWASP MASVS control the rule tests, a CVSS-like score (GitHub maps ≥ 9 to critical, ≥ 7 high,
 * ≥ 4 medium, else low) and how often a finding is a real problem.
 */
export interface RuleSecurity {
  cwe: readonly number[];
  masvs: readonly ('MASVS-NETWORK-1' | 'MASVS-NETWORK-2')[];
  severity: number;
  precision: 'very-high' | 'high' | 'medium' | 'low';
}

export interface RuleMeta {
  id: string;
  level: Level;
  security: RuleSecurity;
  families: readonly Family[];
  description: string;
  /**
   * Words (any case) or patterns without which the rule cannot fire: files matching none are not
   * parsed. One list for every language, or one per language (a language left out has none).
   */
  triggers?: TriggerList | Partial<Record<Family, TriggerList>>;
  /** Lowered to `note` inside a debug-only guard or a test file. */
  relaxedInDebugCode?: boolean;
}

/** Per-rule setting: `off` or a level that replaces the default. */
export type RuleSetting = 'off' | Level;
export type RuleSettings = Record<string, RuleSetting | undefined>;
