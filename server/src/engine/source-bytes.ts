import * as fs from 'node:fs';
import { specialFileKind, tooLargeReason } from './scan';

/** A file's bytes, once read and found to be text: `bom` is the length of its byte-order mark. */
export interface SourceBytes {
  bytes: Uint8Array;
  bom: number;
  /** The open file's `fstat` before the read: what the scan cache compares to skip the next read. */
  stamp?: FileStamp;
}

/** What a later `stat` must show for a file not to have been written since (cache/scan-cache.ts). */
export interface FileStamp {
  size: number;
  mtimeMs: number;
  ctimeMs: number;
  ino: number;
}

export function fileStamp(stat: fs.Stats): FileStamp {
  return { size: stat.size, mtimeMs: stat.mtimeMs, ctimeMs: stat.ctimeMs, ino: stat.ino };
}

/** Why a file was not read: `gone` when it no longer exists (deleted after it was listed). */
export interface UnreadFile {
  audited: false;
  reason: string;
  gone?: true;
}

const UTF8_BOM = [0xef, 0xbb, 0xbf];
/** `looksBinary` looks at the first 8 K characters; no character is longer than 4 UTF-8 bytes. */
const BINARY_CHECK_CHARS = 8192;
/** Opening a named pipe for reading waits for a writer; non-blocking, it returns at once (no effect on files). */
export const OPEN_FLAGS = fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0);

/**
 * One buffer that files are read into one after another. Most files of a scan are searched for
 * trigger words and dropped: a buffer of their own each cost a mono scan's reading thread 150 ms
 * more (10,000 allocations, and the page faults of 70 MB of fresh memory). Bytes read into it
 * are good until the next read into it: what is kept is decoded first.
 */
export class ReadBuffer {
  private buffer = Buffer.allocUnsafe(64 * 1024);

  /** The buffer, grown to hold at least `size` bytes. */
  atLeast(size: number): Buffer {
    if (this.buffer.length < size) this.buffer = Buffer.allocUnsafe(2 ** Math.ceil(Math.log2(size)));
    return this.buffer;
  }

  /** A buffer twice as large, holding the first `kept` bytes of the one before. */
  doubled(kept: number): Buffer {
    const larger = Buffer.allocUnsafe(this.buffer.length * 2);
    this.buffer.copy(larger, 0, 0, kept);
    this.buffer = larger;
    return larger;
  }
}

/**
 * Reads a file for auditing, or says why it is skipped: not a regular file, too large,
 * unreadable, gone or binary. The bytes are not decoded: most files of a scan are only searched
 * for trigger words, which works on bytes (`decoder` gives the text of the others). Read `into`
 * a `ReadBuffer`, they are good until its next read.
 *
 * `stamped` false, with `into`: for a scan without a cache, which needs no stamp, of files its
 * walk found to be regular files. The file is not `fstat`ed: it is read up to the size limit.
 * Node's `fstatSync` makes a `Stats` with four `Date`s: a sixth of the time of reading the mono
 * bench's 10,000 files. A file replaced by something else since the walk is
 * read as it now is, within the same limit.
 */
export function readSourceFile(filePath: string, maxBytes: number, into?: ReadBuffer, stamped = true): SourceBytes | UnreadFile {
  let bytes: Buffer;
  let stamp: FileStamp | undefined;
  try {
    const fd = fs.openSync(filePath, OPEN_FLAGS);
    try {
      if (into && !stamped) {
        bytes = readUpTo(fd, maxBytes, into);
        if (bytes.length > maxBytes) return { audited: false, reason: tooLargeReason(maxBytes, fs.fstatSync(fd).size) };
      } else {
        const stat = fs.fstatSync(fd);
        if (!stat.isFile()) return { audited: false, reason: `not a regular file (${specialFileKind(stat)})` };
        if (stat.size > maxBytes) return { audited: false, reason: tooLargeReason(maxBytes, stat.size) };
        stamp = fileStamp(stat);
        bytes = readAll(fd, stat.size, into);
      }
    } finally {
      fs.closeSync(fd);
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { audited: false, reason: 'deleted during the scan', gone: true };
    return { audited: false, reason: `cannot be read: ${(error as Error).message}` };
  }
  return sourceOfBytes(bytes, stamp);
}

/** A read file's bytes as `readSourceFile` gives them, or why it is skipped (binary). */
export function sourceOfBytes(bytes: Buffer, stamp?: FileStamp): SourceBytes | UnreadFile {
  const bom = byteOrderMarkLength(bytes);
  if (isBinaryPlist(bytes)) return { audited: false, reason: BINARY_PLIST_REASON };
  if (isBinary(bytes, bom)) return { audited: false, reason: 'binary file (contains NUL bytes)' };
  return stamp ? { bytes, bom, stamp } : { bytes, bom };
}

/** 3 when UTF-8 `bytes` start with a byte-order mark (which the text, as `decoder` gives it, leaves out), else 0. */
export function byteOrderMarkLength(bytes: Uint8Array): number {
  return bytes.length >= 3 && bytes[0] === UTF8_BOM[0] && bytes[1] === UTF8_BOM[1] && bytes[2] === UTF8_BOM[2] ? 3 : 0;
}

export const BINARY_PLIST_REASON = 'binary property list: convert it with `plutil -convert xml1` to have its pins audited';

/** Xcode may store an Info.plist in the binary format (`bplist00…`), which has no XML to read. */
function isBinaryPlist(bytes: Uint8Array): boolean {
  // Byte by byte: a string of each file's first six bytes took 19 ms of a first pass over 10,000
  // files, this 7 ms.
  return bytes.length >= BPLIST.length && BPLIST.every((b, i) => bytes[i] === b);
}

const BPLIST = Buffer.from('bplist', 'latin1');

/** Decodes a read file's text (after its byte-order mark, which editors do not show either). */
export function decoder({ bytes, bom }: SourceBytes): () => string {
  let text: string | undefined;
  return () => (text ??= Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8', bom));
}

/** The file's bytes; a file that grew since `fstat` is read to its end all the same. */
function readAll(fd: number, size: number, into: ReadBuffer | undefined): Buffer {
  const chunks: Buffer[] = [];
  let total = 0;
  let chunk = into ? into.atLeast(size + 1) : Buffer.allocUnsafe(Math.max(size, 1) + 1);
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

/**
 * The file's bytes to its end, or its first `limit` + 1 bytes when it is longer: `into` grows as
 * needed. A read of a regular file that returns fewer bytes than asked for has reached its end
 * (Linux and macOS fill a read of a file up to its end), so no further read is made to see 0:
 * that was one system call in four of a scan's reading, 25-35 ms of a pass over the bench's 10,000
 * files (bench/README.md, round 25).
 */
function readUpTo(fd: number, limit: number, into: ReadBuffer): Buffer {
  let buffer = into.atLeast(1);
  let total = 0;
  for (;;) {
    if (total === buffer.length) buffer = into.doubled(total);
    const asked = Math.min(buffer.length, limit + 1) - total;
    const read = fs.readSync(fd, buffer, total, asked, null);
    total += read;
    if (read < asked || total > limit) break;
  }
  return buffer.subarray(0, total);
}

/** `looksBinary` on the decoded, BOM-less text, asked of the bytes: a NUL among the first 8 K characters. */
function isBinary(bytes: Buffer, bom: number): boolean {
  const nul = bytes.indexOf(0, bom);
  if (nul < 0) return false;
  if (nul - bom < BINARY_CHECK_CHARS) return true; // fewer bytes than that are fewer characters too
  return bytes.toString('utf8', bom, nul).length < BINARY_CHECK_CHARS;
}
