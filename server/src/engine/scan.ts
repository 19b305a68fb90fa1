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
  /** Files larger than this are skipped and reported; default 1024. */
  maxFileSizeKb?: number;
}

export interface AuditedFile {
  path: string;
  relativePath: string;
  grammar: GrammarId;
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
 * Walks the tree for Dart, Swift and TS/JS files. Unreadable entries, symlink loops and
 * oversized files are reported through `onSkip` and the walk goes on.
 */
export async function* auditedFiles(options: ScanOptions, onSkip: (skip: SkippedFile) => void = () => {}): AsyncGenerator<AuditedFile> {
  const root = path.resolve(options.root);
  const isExcluded = options.exclude?.length ? picomatch(options.exclude, { dot: true }) : () => false;
  const maxBytes = (options.maxFileSizeKb ?? 1024) * 1024;
  const visitedDirs = new Set<string>();

  async function* visit(entry: string, explicit: boolean): AsyncGenerator<AuditedFile> {
    const rel = relativeTo(root, entry);
    if (!explicit && isExcluded(rel)) return;
    let stat: fs.Stats;
    try {
      stat = await fs.promises.stat(entry);
    } catch (error) {
      onSkip({ path: entry, reason: describe(error) });
      return;
    }
    if (stat.isDirectory()) {
      if (!explicit && SKIPPED_FOLDERS.has(path.basename(entry))) return;
      let real: string;
      try {
        real = await fs.promises.realpath(entry);
      } catch (error) {
        onSkip({ path: entry, reason: describe(error) });
        return;
      }
      if (visitedDirs.has(real)) {
        onSkip({ path: entry, reason: 'symbolic link loop (folder already scanned)' });
        return;
      }
      visitedDirs.add(real);
      let names: string[];
      try {
        names = (await fs.promises.readdir(entry)).sort();
      } catch (error) {
        onSkip({ path: entry, reason: describe(error) });
        return;
      }
      for (const name of names) yield* visit(path.join(entry, name), false);
      return;
    }
    const grammar = grammarForPath(entry);
    if (!grammar) return;
    if (!stat.isFile()) {
      // A FIFO would block the read forever; a socket or device cannot be read as a file.
      onSkip({ path: entry, reason: `not a regular file (${specialFileKind(stat)})` });
      return;
    }
    if (stat.size > maxBytes) {
      onSkip({ path: entry, reason: `larger than ${Math.round(maxBytes / 1024)} KB (${Math.round(stat.size / 1024)} KB)` });
      return;
    }
    yield { path: entry, relativePath: rel, grammar, size: stat.size };
  }

  for (const p of options.paths?.length ? options.paths : [root]) yield* visit(path.resolve(root, p), true);
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
