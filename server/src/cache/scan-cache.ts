import * as fs from 'node:fs';
import { isoDay } from '../../../common/iso-day';
import { today } from '../engine/clock';
import { readSourceFile, type FileStamp, type ReadBuffer, type SourceBytes, type UnreadFile } from '../engine/source-bytes';
import { LEVELS, type Finding } from '../engine/types';
import type { PinSet } from '../engine/workspace';
import type { RuleSettings } from '../engine/types';
import { digest, readCacheFile, settingsDigest, writeCacheFile, type CacheKey } from './cache-file';
import { otherInputsDigest } from './other-inputs';

/** What a scan keeps of a file's analysis: the CLI adds fingerprints (and fixes) to the findings. */
export interface CachedOutcome {
  findings: Finding[];
  pinSets: PinSet[];
}

/** A file as the scans know it. */
export interface CachedFile {
  path: string;
  relativePath: string;
}

/**
 * A file's stored outcome when `cache` vouches for it (a `stat` shows it unchanged, and it is not
 * read; or its bytes are those stored), otherwise its bytes or why they could not be read: the
 * CLI's and the language server's scans read a file this one way (`into`: see `readSourceFile`).
 */
export function readThroughCache<O extends CachedOutcome>(file: CachedFile, maxBytes: number, cache?: ScanCache<O>, into?: ReadBuffer): { cached: O } | SourceBytes | UnreadFile {
  const unchanged = cache?.unchanged(file);
  if (unchanged) return { cached: unchanged };
  // Without a cache no stamp is kept: the read can do without an `fstat`.
  const source = readSourceFile(file.path, maxBytes, into, cache !== undefined);
  if ('reason' in source) return source;
  const cached = cache?.read(file, source);
  return cached ? { cached } : source;
}

/** The settings an outcome depends on (the exclusions only decide which files are seen). */
export interface OutcomeSettings {
  rules: RuleSettings;
  maxBytes: number;
  rotationWarningDays: number;
}

/**
 * The file-wide key besides the engine (which the file's header names): these settings, and the
 * folder the scan's relative paths start from (fingerprints and test-file levels depend on them).
 * Whatever else a scan adds to its outcomes (the CLI's SARIF fixes) is its `accepts` to check.
 */
export function scanCacheKey({ rules, maxBytes, rotationWarningDays }: OutcomeSettings, root: string): CacheKey {
  return { settings: settingsDigest({ rules, maxBytes, rotationWarningDays }), root };
}

/**
 * A file's entry, kept in memory as it is stored: `[hash, stamp, outcome, day?, inputs?]`.
 * - hash: sha256 of the file's bytes, the key.
 * - stamp: the file's `[size, mtimeMs, ctimeMs, ino]` when it was read, kept only when the file
 *   was old enough (see `unchanged`); 0 for none.
 * - outcome: 0 for no findings and no pin sets (most files).
 * - day: the day the outcome holds for, when a rule read today's date (pin-set-expired); '' for none.
 * - inputs: otherInputsDigest(), for a file whose analysis reads other files.
 * Half the size of objects with named fields, and used without being copied, the cache of a
 * 10,000-file scan opens in half the time.
 */
type Entry = [hash: string, stamp: Stamp | 0, outcome: CachedOutcome | 0, day?: string, inputs?: string];
type Stamp = [size: number, mtimeMs: number, ctimeMs: number, ino: number];

/**
 * A stat that shows a file changed at most this long before the scan started does not vouch for
 * its content: a write in the same clock tick leaves size and times alone (git's "racily clean").
 */
const RACY_MS = 2000;

/**
 * The results of a scan, kept between scans (`scan --cache`, the language server's workspace
 * scan). The key of a file's entry is its content's sha256, under a file-wide key of the engine
 * and the settings, plus the day when a rule read the date and the other files its analysis read.
 * A file whose size, modification time, change time and inode are still those of the entry is
 * not read again: the change time cannot be set back by any tool, and a stamp is only kept for a
 * file last changed well before the scan read it. Holds only the files the last scan saw.
 */
export class ScanCache<O extends CachedOutcome> {
  /** Files whose outcome came from the cache in this scan. */
  fromCache = 0;
  /** By the file's path relative to the key's root. */
  private readonly previous: Map<string, Entry>;
  private readonly next = new Map<string, Entry>();
  /** Hash and stamp of each file read and not found, for `record`. */
  private readonly pending = new Map<string, { hash: string; stamp?: FileStamp }>();
  private readonly inputs = new Map<string, string | undefined>();
  private readonly started = Date.now();
  private readonly day = isoDay(today());
  /** Whether `next` holds anything `previous` does not say alike: otherwise there is nothing to write. */
  private changed = false;

  private constructor(
    private readonly file: string,
    private readonly key: CacheKey,
    private readonly label: string,
    previous: Map<string, Entry>,
    private readonly accepts: ((outcome: O) => boolean) | undefined,
  ) {
    this.previous = previous;
  }

  /**
   * The cache stored in `file` for this engine and these settings. A file that is not one, is
   * damaged or cannot be read is ignored: `warn` gets one line saying so, and the scan starts
   * from nothing. `label`: how the lines name the file. `accepts`: whether a stored outcome (with
   * findings or pin sets) will do for this scan; one it refuses is audited again, and replaced.
   */
  static open<O extends CachedOutcome>(file: string, key: CacheKey, warn: (line: string) => void, label = file, accepts?: (outcome: O) => boolean): ScanCache<O> {
    let problem: string | undefined;
    const stored = readCacheFile(file, key, (why) => (problem = why));
    const previous = new Map<string, Entry>();
    if (!problem) {
      for (const relativePath in stored) {
        const entry = stored[relativePath];
        if (!isEntry(entry)) {
          problem = `damaged (the entry of ${relativePath} is not one this version wrote)`;
          previous.clear();
          break;
        }
        previous.set(relativePath, entry);
      }
    }
    const cache = new ScanCache<O>(file, key, label, previous, accepts);
    if (problem) {
      warn(`ignoring the cache ${label}: ${problem}`);
      cache.changed = true; // replaced even by a scan of no files
    }
    return cache;
  }

  /** Files the cache holds an outcome for. */
  get size(): number {
    return this.previous.size;
  }

  /** The stored outcome of a file not written since it was stored (one `stat`, no read), or undefined. */
  unchanged(file: CachedFile): O | undefined {
    const entry = this.previous.get(file.relativePath);
    const stamp = entry?.[1];
    if (!entry || !stamp) return undefined;
    let stat: fs.Stats;
    try {
      stat = fs.statSync(file.path);
    } catch {
      return undefined;
    }
    return sameStamp(stamp, stampOf(stat)) ? this.reuse(file, entry, entry) : undefined;
  }

  /** The stored outcome of a file just read, when its bytes are those stored; otherwise remembers them for `record`. */
  read(file: CachedFile, source: SourceBytes): O | undefined {
    const hash = digest(source.bytes);
    const entry = this.previous.get(file.relativePath);
    const hit = entry && entry[0] === hash ? this.reuse(file, entry, this.entry(file, hash, source.stamp, entry[2], entry[3])) : undefined;
    if (!hit) this.pending.set(file.relativePath, { hash, stamp: source.stamp });
    return hit;
  }

  /** Stores the outcome of a file `read` did not find; `datedToday`: a rule read the date. */
  record(file: CachedFile, outcome: O, datedToday?: boolean): void {
    const read = this.pending.get(file.relativePath);
    if (!read) return;
    this.pending.delete(file.relativePath);
    const stored = outcome.findings.length + outcome.pinSets.length > 0 ? outcome : 0;
    this.next.set(file.relativePath, this.entry(file, read.hash, read.stamp, stored, datedToday ? this.day : undefined));
    this.changed = true;
  }

  /** Keeps a file's stored entry as it is (a file the scan leaves to the editor's live analysis). */
  keep(file: CachedFile): void {
    const entry = this.previous.get(file.relativePath);
    if (entry) this.next.set(file.relativePath, entry);
  }

  /**
   * Writes the entries of the files this scan saw, replacing the file atomically. A location
   * that cannot be written is one line to `warn`; the scan's results stand.
   */
  save(warn: (line: string) => void): void {
    if (!this.changed && this.next.size === this.previous.size) return; // the file says it all already
    try {
      writeCacheFile(this.file, this.key, Object.fromEntries(this.next));
    } catch (error) {
      warn(`cannot write the cache ${this.label}: ${(error as Error).message}`);
    }
  }

  /** `entry`'s outcome, with `next` (the entry as this scan saw the file) kept for the next scan; or undefined when a day or input changed. */
  private reuse(file: CachedFile, entry: Entry, next: Entry): O | undefined {
    if (entry[3] && entry[3] !== this.day) return undefined;
    if (entry[4] !== this.inputsOf(file.path)) return undefined;
    if (entry[2] && this.accepts && !this.accepts(entry[2] as O)) return undefined;
    if (next !== entry && !sameStamp(next[1], entry[1])) this.changed = true;
    this.next.set(file.relativePath, next);
    this.fromCache++;
    return (entry[2] || { findings: [], pinSets: [] }) as O;
  }

  private entry(file: CachedFile, hash: string, stamp: FileStamp | undefined, outcome: CachedOutcome | 0, day: string | undefined): Entry {
    // Written just before the read, the same size and times may yet hide another content.
    const kept = stamp && Math.max(stamp.mtimeMs, stamp.ctimeMs) < this.started - RACY_MS;
    const entry: Entry = [hash, kept ? stampOf(stamp) : 0, outcome];
    const inputs = this.inputsOf(file.path);
    if (day || inputs !== undefined) entry.push(day ?? '');
    if (inputs !== undefined) entry.push(inputs);
    return entry;
  }

  private inputsOf(filePath: string): string | undefined {
    if (!this.inputs.has(filePath)) this.inputs.set(filePath, otherInputsDigest(filePath));
    return this.inputs.get(filePath);
  }
}

/** A stat's (or a read's `FileStamp`'s) stamp as an entry keeps it. */
function stampOf(stat: FileStamp): Stamp {
  return [stat.size, stat.mtimeMs, stat.ctimeMs, stat.ino];
}

/** Whether two entries' stamps are both kept and equal. */
function sameStamp(a: Stamp | 0, b: Stamp | 0): boolean {
  return a !== 0 && b !== 0 && a.every((n, i) => n === b[i]);
}

/** The shape `entry` makes: anything else in a file with a valid checksum was not written by this code. */
function isEntry(value: unknown): value is Entry {
  if (!Array.isArray(value) || value.length < 3 || value.length > 5) return false;
  const [hash, stamp, outcome, day, inputs] = value as unknown[];
  if (typeof hash !== 'string' || (day !== undefined && typeof day !== 'string') || (inputs !== undefined && typeof inputs !== 'string')) return false;
  if (stamp !== 0 && !(Array.isArray(stamp) && stamp.length === 4 && stamp.every((n) => typeof n === 'number'))) return false;
  return outcome === 0 || isOutcome(outcome);
}

function isOutcome(value: unknown): value is CachedOutcome {
  if (!isObject(value)) return false;
  const { findings, pinSets, fixed } = value;
  return (fixed === undefined || fixed === true) && Array.isArray(findings) && findings.every(isFinding) && Array.isArray(pinSets) && pinSets.every((s) => isObject(s) && Array.isArray(s.pins));
}

function isFinding(value: unknown): boolean {
  return isObject(value) && typeof value.ruleId === 'string' && LEVELS.includes(value.level as never) && typeof value.message === 'string' && isRange(value.range);
}

function isRange(value: unknown): boolean {
  return isObject(value) && isPosition(value.start) && isPosition(value.end);
}

function isPosition(value: unknown): boolean {
  return isObject(value) && Number.isInteger(value.line) && Number.isInteger(value.character);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
