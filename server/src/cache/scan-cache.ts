import * as fs from 'node:fs';
import { isoDay } from '../../../common/iso-day';
import { today } from '../engine/clock';
import { fileStamp, readSourceFile, type FileStamp, type SourceBytes, type UnreadFile } from '../engine/source-bytes';
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
 * CLI's and the language server's scans read a file this one way.
 */
export function readThroughCache<O extends CachedOutcome>(file: CachedFile, maxBytes: number, cache?: ScanCache<O>): { cached: O } | SourceBytes | UnreadFile {
  const unchanged = cache?.unchanged(file);
  if (unchanged) return { cached: unchanged };
  const source = readSourceFile(file.path, maxBytes);
  if ('reason' in source) return source;
  const cached = cache?.read(file, source);
  return cached ? { cached } : source;
}

/** The settings an outcome depends on (the exclusions only decide which files are seen). */
export interface OutcomeSettings {
  rules: RuleSettings;
  maxBytes: number;
  rotationWarningDays: number;
  /** The CLI's SARIF fixes are part of its outcomes. */
  fixes?: boolean;
}

/** The file-wide key besides the engine (which the file's header names): these settings. */
export function scanCacheKey(settings: OutcomeSettings): CacheKey {
  return { settings: settingsDigest({ ...settings, fixes: settings.fixes === true }) };
}

interface Entry<O extends CachedOutcome> {
  /** The path relative to the scan's root: fingerprints and test-file levels depend on it. */
  rel: string;
  /** sha256 of the file's bytes: the key. */
  hash: string;
  /** The file's stat when it was read, kept only when the file was old enough (see `unchanged`). */
  stamp?: FileStamp;
  /** The day the outcome holds for, when a rule read today's date (pin-set-expired). */
  day?: string;
  /** otherInputsDigest(), for a file whose analysis reads other files. */
  inputs?: string;
  outcome: O;
}

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
  private readonly previous: Map<string, Entry<O>>;
  private readonly next = new Map<string, Entry<O>>();
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
    previous: Map<string, Entry<O>>,
  ) {
    this.previous = previous;
  }

  /**
   * The cache stored in `file` for this engine and these settings. A file that is not one, is
   * damaged or cannot be read is ignored: `warn` gets one line saying so, and the scan starts
   * from nothing. `label`: how the lines name the file.
   */
  static open<O extends CachedOutcome>(file: string, key: CacheKey, warn: (line: string) => void, label = file): ScanCache<O> {
    let problem: string | undefined;
    const stored = readCacheFile(file, key, (why) => (problem = why));
    const previous = new Map<string, Entry<O>>();
    if (!problem) {
      for (const [filePath, entry] of Object.entries(stored)) {
        if (!isEntry(entry)) {
          problem = `damaged (the entry of ${filePath} is not one this version wrote)`;
          previous.clear();
          break;
        }
        previous.set(filePath, entry as Entry<O>);
      }
    }
    const cache = new ScanCache<O>(file, key, label, previous);
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
    const entry = this.previous.get(file.path);
    if (!entry?.stamp) return undefined;
    let stat: fs.Stats;
    try {
      stat = fs.statSync(file.path);
    } catch {
      return undefined;
    }
    return sameStamp(entry.stamp, fileStamp(stat)) ? this.reuse(file, entry, entry.stamp) : undefined;
  }

  /** The stored outcome of a file just read, when its bytes are those stored; otherwise remembers them for `record`. */
  read(file: CachedFile, source: SourceBytes): O | undefined {
    const hash = digest(source.bytes);
    const entry = this.previous.get(file.path);
    const hit = entry && entry.hash === hash ? this.reuse(file, entry, source.stamp) : undefined;
    if (!hit) this.pending.set(file.path, { hash, stamp: source.stamp });
    return hit;
  }

  /** Stores the outcome of a file `read` did not find; `datedToday`: a rule read the date. */
  record(file: CachedFile, outcome: O, datedToday?: boolean): void {
    const read = this.pending.get(file.path);
    if (!read) return;
    this.pending.delete(file.path);
    this.next.set(file.path, this.entry(file, read.hash, read.stamp, outcome, datedToday ? this.day : undefined));
    this.changed = true;
  }

  /** Keeps a file's stored entry as it is (a file the scan leaves to the editor's live analysis). */
  keep(filePath: string): void {
    const entry = this.previous.get(filePath);
    if (entry) this.next.set(filePath, entry);
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

  private reuse(file: CachedFile, entry: Entry<O>, stamp: FileStamp | undefined): O | undefined {
    if (entry.rel !== file.relativePath || (entry.day !== undefined && entry.day !== this.day)) return undefined;
    if (entry.inputs !== this.inputsOf(file.path)) return undefined;
    const next = this.entry(file, entry.hash, stamp, entry.outcome, entry.day);
    if (!(next.stamp && entry.stamp && sameStamp(next.stamp, entry.stamp))) this.changed = true;
    this.next.set(file.path, next);
    this.fromCache++;
    return entry.outcome;
  }

  private entry(file: CachedFile, hash: string, stamp: FileStamp | undefined, outcome: O, day: string | undefined): Entry<O> {
    const entry: Entry<O> = { rel: file.relativePath, hash, outcome };
    // Written just before the read, the same size and times may yet hide another content.
    if (stamp && Math.max(stamp.mtimeMs, stamp.ctimeMs) < this.started - RACY_MS) entry.stamp = stamp;
    if (day !== undefined) entry.day = day;
    const inputs = this.inputsOf(file.path);
    if (inputs !== undefined) entry.inputs = inputs;
    return entry;
  }

  private inputsOf(filePath: string): string | undefined {
    if (!this.inputs.has(filePath)) this.inputs.set(filePath, otherInputsDigest(filePath));
    return this.inputs.get(filePath);
  }
}

function sameStamp(a: FileStamp, b: FileStamp): boolean {
  return a.size === b.size && a.mtimeMs === b.mtimeMs && a.ctimeMs === b.ctimeMs && a.ino === b.ino;
}

/** The shape `record` writes: anything else in a file with a valid checksum was not written by this code. */
function isEntry(value: unknown): boolean {
  if (!isObject(value) || typeof value.rel !== 'string' || typeof value.hash !== 'string' || !isObject(value.outcome)) return false;
  if (value.stamp !== undefined && !(isObject(value.stamp) && ['size', 'mtimeMs', 'ctimeMs', 'ino'].every((k) => typeof (value.stamp as Record<string, unknown>)[k] === 'number'))) return false;
  if ((value.day !== undefined && typeof value.day !== 'string') || (value.inputs !== undefined && typeof value.inputs !== 'string')) return false;
  const { findings, pinSets } = value.outcome;
  return Array.isArray(findings) && findings.every(isFinding) && Array.isArray(pinSets) && pinSets.every((s) => isObject(s) && Array.isArray(s.pins));
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
