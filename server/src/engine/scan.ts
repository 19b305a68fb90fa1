import * as fs from 'node:fs';
import * as path from 'node:path';
import picomatch from 'picomatch';
import { grammarForPath, type GrammarId } from './languages';

/** Folders that hold dependencies or build output, never the project's own code. */
export const SKIPPED_FOLDERS = new Set(['node_modules', 'build', '.dart_tool', 'Pods', 'DerivedData', '.git']);

export interface ScanOptions {
  /** Paths in results are relative to this root. */
  root: string;
  /** Files or folders to audit; defaults to the root. */
  paths?: string[];
  /** Globs relative to the root (`**\/generated/**`) to leave out. */
  exclude?: string[];
  /** Files larger than this are skipped and reported; default `DEFAULT_MAX_FILE_SIZE_KB`. */
  maxFileSizeKb?: number;
}

/** The size limit of a file the CLI, the language server and `verify` read, unless set otherwise. */
export const DEFAULT_MAX_FILE_SIZE_KB = 1024;

export interface AuditedFile extends WalkedFile {
  size: number;
}

export interface SkippedFile {
  path: string;
  reason: string;
}

export function relativeTo(root: string, file: string): string {
  const rel = path.relative(root, file).split(path.sep).join('/');
  return rel === '' ? path.basename(file) : rel;
}

/**
 * `walkAuditedFiles` with the size limit applied (one `stat` per file), for `--fix`, which reads
 * and rewrites files one by one: a file over `maxFileSizeKb` is reported through `onSkip`
 * instead of found. (The scans and `verify` check the size as they read: `readSourceFile`.)
 */
export async function* auditedFiles(options: ScanOptions, onSkip: (skip: SkippedFile) => void = () => {}): AsyncGenerator<AuditedFile> {
  const maxBytes = (options.maxFileSizeKb ?? DEFAULT_MAX_FILE_SIZE_KB) * 1024;
  for (const file of walkAuditedFilesLazily(options, onSkip)) {
    let size: number;
    try {
      size = (await fs.promises.stat(file.path)).size;
    } catch (error) {
      onSkip({ path: file.path, reason: describe(error) });
      continue;
    }
    if (size > maxBytes) {
      onSkip({ path: file.path, reason: tooLargeReason(maxBytes, size) });
      continue;
    }
    yield { ...file, size };
  }
}

/** A file the walk found; its size is checked when it is read (one `fstat` on the open file). */
export interface WalkedFile {
  path: string;
  relativePath: string;
  grammar: GrammarId;
}

/**
 * The Dart, Swift, TS/JS and XML/plist files under the options' paths, in one synchronous pass: from
 * `readdir` entry types, with no `stat` per file and no `realpath` per folder unless a symbolic
 * link is on the way (a 10,000-file tree takes a few tens of ms). Unreadable entries, symbolic
 * link loops and special files are reported through `onSkip` and the walk goes on. The size
 * limit is left to the reader (see `WalkedFile`).
 */
export function walkAuditedFiles(options: ScanOptions, onSkip: (skip: SkippedFile) => void = () => {}): WalkedFile[] {
  return [...walkAuditedFilesLazily(options, onSkip)];
}

/** A folder the walk is in: its sorted entries, and the next one to visit. */
interface OpenFolder {
  entries: fs.Dirent[];
  next: number;
  /** The folder's path ending in a separator, its real path, and its path relative to the root plus `/` (or ''). */
  prefix: string;
  real: string;
  relPrefix: string;
}

/**
 * `walkAuditedFiles` one file at a time: the language server's scan yields to edits as it walks.
 * One generator over a stack of open folders (a generator per folder, each file passed up
 * through every level, took a third of the walk).
 */
export function* walkAuditedFilesLazily(options: ScanOptions, onSkip: (skip: SkippedFile) => void): Generator<WalkedFile> {
  const root = path.resolve(options.root);
  const isExcluded = options.exclude?.length ? picomatch(options.exclude, { dot: true }) : () => false;
  const visitedDirs = new Set<string>();

  /**
   * The file `entry` is, the folder to walk into, or undefined (skipped, excluded or not
   * audited). `known`: its entry in its folder's listing when that is not a link; `parent`: that
   * folder (`path.relative` for every entry was a third of the walk).
   */
  function visit(entry: string, explicit: boolean, known?: fs.Dirent, parent?: OpenFolder): WalkedFile | OpenFolder | undefined {
    const rel = known && parent ? parent.relPrefix + known.name : relativeTo(root, entry);
    if (!explicit && isExcluded(rel)) return undefined;
    let kind: fs.Dirent | fs.Stats;
    if (known && !known.isSymbolicLink()) {
      kind = known;
    } else {
      try {
        kind = fs.statSync(entry);
      } catch (error) {
        onSkip({ path: entry, reason: describe(error) });
        return undefined;
      }
    }
    if (kind.isDirectory()) {
      if (!explicit && SKIPPED_FOLDERS.has(path.basename(entry))) return undefined;
      let real: string;
      if (known && !known.isSymbolicLink() && parent) {
        real = path.join(parent.real, known.name);
      } else {
        try {
          real = fs.realpathSync.native(entry);
        } catch (error) {
          onSkip({ path: entry, reason: describe(error) });
          return undefined;
        }
      }
      if (visitedDirs.has(real)) {
        onSkip({ path: entry, reason: 'symbolic link loop (folder already scanned)' });
        return undefined;
      }
      visitedDirs.add(real);
      let entries: fs.Dirent[];
      try {
        entries = fs.readdirSync(entry, { withFileTypes: true });
      } catch (error) {
        onSkip({ path: entry, reason: describe(error) });
        return undefined;
      }
      // The order of `readdir(…).sort()`: by UTF-16 code units.
      entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      const prefix = entry.endsWith(path.sep) ? entry : entry + path.sep; // the file system root ends in one
      return { entries, next: 0, prefix, real, relPrefix: entry === root ? '' : `${rel}/` };
    }
    const grammar = grammarForPath(entry);
    if (!grammar) return undefined;
    if (!kind.isFile()) {
      // A FIFO would block the read forever; a socket or device cannot be read as a file.
      let stat: fs.Stats;
      try {
        stat = kind instanceof fs.Stats ? kind : fs.statSync(entry);
      } catch (error) {
        onSkip({ path: entry, reason: describe(error) });
        return undefined;
      }
      onSkip({ path: entry, reason: `not a regular file (${specialFileKind(stat)})` });
      return undefined;
    }
    return { path: entry, relativePath: rel, grammar };
  }

  for (const p of options.paths?.length ? options.paths : [root]) {
    const open: OpenFolder[] = [];
    let found = visit(path.resolve(root, p), true);
    for (;;) {
      if (found && 'grammar' in found) yield found;
      else if (found) open.push(found);
      const folder = open.at(-1);
      if (!folder) break;
      if (folder.next === folder.entries.length) {
        open.pop();
        found = undefined;
        continue;
      }
      const child = folder.entries[folder.next++];
      found = visit(folder.prefix + child.name, false, child, folder);
    }
  }
}

/** Why a file over the size limit is skipped: the limit and its size, in KB. */
export function tooLargeReason(maxBytes: number, size: number): string {
  return `larger than ${Math.round(maxBytes / 1024)} KB (${Math.round(size / 1024)} KB)`;
}

export function specialFileKind(stat: fs.Stats): string {
  if (stat.isFIFO()) return 'a named pipe';
  if (stat.isSocket()) return 'a socket';
  if (stat.isCharacterDevice() || stat.isBlockDevice()) return 'a device';
  return 'not a file';
}

/** Why a file system entry could not be read, in a few words. */
export function describe(error: unknown): string {
  const e = error as NodeJS.ErrnoException;
  if (e.code === 'ELOOP') return 'symbolic link loop';
  if (e.code === 'EACCES' || e.code === 'EPERM') return 'permission denied';
  if (e.code === 'ENOENT') return 'no such file (deleted during the scan?)';
  return e.message ?? String(error);
}

/** A file that holds NUL bytes in its first 8 KB is binary, whatever its name. */
export function looksBinary(text: string): boolean {
  return text.slice(0, 8192).includes('\u0000');
}
