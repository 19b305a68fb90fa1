import * as fs from 'node:fs';
import * as path from 'node:path';
import { crypto } from '../engine/node-builtins';
import { engineIdentity } from './engine-identity';

/** Raised with the entries' layout: a cache of another layout is ignored, not misread. */
export const CACHE_FORMAT = 3;
const TOOL = 'pinning-audit scan cache';

/** The first line of a cache file: whose it is, what its entries hold for, and their checksum. */
interface Header {
  tool: string;
  format: number;
  /** engineIdentity(): the code and grammars that produced the entries. */
  engine: string;
  /** The stamps of the files `engine` was hashed from: while they hold, it is not hashed again. */
  engineStamps: string;
  /** A digest of the settings the entries were produced with. */
  settings: string;
  /** The folder the entries' paths are relative to. */
  root: string;
  /** sha256 of the rest of the file: a truncated or altered file is ignored. */
  body: string;
}

/** What the entries must have been produced with besides this engine (which the header names). */
export interface CacheKey {
  settings: string;
  root: string;
}

/**
 * The entries stored for `key`, or an empty object: when there is no file, when it was written
 * for another engine or other settings (quietly: that is what invalidates a cache), or when it is
 * not a cache this code wrote (`warn` is told why, in a few words).
 */
export function readCacheFile(file: string, key: CacheKey, warn: (why: string) => void): Record<string, unknown> {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (error) {
    // No file yet (or a folder on its way that is a file: the write says so).
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT' && code !== 'ENOTDIR') warn(`cannot be read (${(error as Error).message})`);
    return {};
  }
  // Written in ASCII (see `writeCacheFile`): decoded as Latin-1, a one-byte string, which decodes
  // and parses about twice as fast as UTF-8 with a single non-ASCII character in 4 MB.
  const newline = bytes.indexOf(0x0a);
  let header: Partial<Header>;
  try {
    header = JSON.parse(bytes.toString('latin1', 0, newline < 0 ? bytes.length : newline)) as Partial<Header>;
  } catch {
    header = {};
  }
  if (header === null || typeof header !== 'object' || header.tool !== TOOL) {
    warn('not a pinning-audit scan cache');
    return {};
  }
  if (header.format !== CACHE_FORMAT) {
    warn(`written in another cache format (${String(header.format)}, this version reads ${CACHE_FORMAT})`);
    return {};
  }
  // The checksum over the bytes: hashing the decoded string would encode it back to bytes first.
  const body = newline < 0 ? bytes.subarray(bytes.length) : bytes.subarray(newline + 1);
  if (header.body !== digest(body)) {
    warn('damaged (its checksum does not match: truncated or edited)');
    return {};
  }
  if (header.settings !== key.settings || header.root !== key.root) return {};
  if (header.engine !== engineIdentity({ stamps: header.engineStamps, value: header.engine }).value) return {};
  let entries: unknown;
  try {
    entries = JSON.parse(body.toString('latin1'));
  } catch {
    entries = undefined;
  }
  if (entries === null || typeof entries !== 'object' || Array.isArray(entries)) {
    warn('damaged (its entries are not an object)');
    return {};
  }
  return entries as Record<string, unknown>;
}

/**
 * Writes the entries atomically: to a temporary file beside the target, then renamed over it, so
 * a reader sees the old cache or the new one, never half of one. Creates the folder; throws when it cannot.
 */
export function writeCacheFile(file: string, key: CacheKey, entries: Record<string, unknown>): void {
  // Non-ASCII characters (in messages, paths) escaped: the file is ASCII, read as Latin-1.
  const body = JSON.stringify(entries).replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  const engine = engineIdentity();
  const header: Header = { tool: TOOL, format: CACHE_FORMAT, engine: engine.value, engineStamps: engine.stamps, settings: key.settings, root: key.root, body: digest(body) };
  const temporary = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  try {
    fs.writeFileSync(temporary, `${JSON.stringify(header)}\n${body}`);
    fs.renameSync(temporary, file);
  } catch (error) {
    fs.rmSync(temporary, { force: true });
    throw error;
  }
}

/** A digest of the settings an outcome depends on; the same for the same values, whatever their keys' order. */
export function settingsDigest(settings: Record<string, unknown>): string {
  return digest(JSON.stringify(sortedKeys(settings)));
}

function sortedKeys(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  return Object.fromEntries(Object.keys(value).sort().map((k) => [k, sortedKeys((value as Record<string, unknown>)[k])]));
}

export function digest(text: string | Uint8Array): string {
  return crypto().createHash('sha256').update(text).digest('hex');
}
