import * as fs from 'node:fs';
import * as path from 'node:path';
import picomatch from 'picomatch';
import { grammarForPath, type GrammarId } from './languages';
import { describe, relativeTo, SKIPPED_FOLDERS, specialFileKind, type ScanOptions, type SkippedFile } from './scan';

/** A file the walk found; its size is checked when it is read (one `fstat` on the open file). */
export interface WalkedFile {
  path: string;
  relativePath: string;
  grammar: GrammarId;
}

/**
 * `auditedFiles` in one synchronous pass, for the CLI: the same files in the same order with
 * the same skips, but from `readdir` entry types — no `stat` per file and no `realpath` per
 * folder unless a symbolic link is on the way. A 10,000-file tree takes a few tens of ms
 * instead of a few hundred. The size limit is left to the reader (see `WalkedFile`).
 */
export function walkAuditedFiles(options: ScanOptions, onSkip: (skip: SkippedFile) => void = () => {}): WalkedFile[] {
  const root = path.resolve(options.root);
  const isExcluded = options.exclude?.length ? picomatch(options.exclude, { dot: true }) : () => false;
  const visitedDirs = new Set<string>();
  const found: WalkedFile[] = [];

  /**
   * `entry` of kind `known` (from its folder's listing) when that is not a link; `realParent`
   * is its folder's real path, `relParent` its folder's path relative to the root plus `/`
   * (`path.relative` for every entry was a third of the walk).
   */
  const visit = (entry: string, explicit: boolean, known?: fs.Dirent, realParent?: string, relParent?: string): void => {
    const rel = known && relParent !== undefined ? relParent + known.name : relativeTo(root, entry);
    if (!explicit && isExcluded(rel)) return;
    let kind: fs.Dirent | fs.Stats;
    if (known && !known.isSymbolicLink()) {
      kind = known;
    } else {
      try {
        kind = fs.statSync(entry);
      } catch (error) {
        onSkip({ path: entry, reason: describe(error) });
        return;
      }
    }
    if (kind.isDirectory()) {
      if (!explicit && SKIPPED_FOLDERS.has(path.basename(entry))) return;
      let real: string;
      if (known && !known.isSymbolicLink() && realParent !== undefined) {
        real = path.join(realParent, known.name);
      } else {
        try {
          real = fs.realpathSync.native(entry);
        } catch (error) {
          onSkip({ path: entry, reason: describe(error) });
          return;
        }
      }
      if (visitedDirs.has(real)) {
        onSkip({ path: entry, reason: 'symbolic link loop (folder already scanned)' });
        return;
      }
      visitedDirs.add(real);
      let entries: fs.Dirent[];
      try {
        entries = fs.readdirSync(entry, { withFileTypes: true });
      } catch (error) {
        onSkip({ path: entry, reason: describe(error) });
        return;
      }
      // The order of `readdir(…).sort()`: by UTF-16 code units.
      entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      const relPrefix = entry === root ? '' : `${rel}/`;
      const prefix = entry.endsWith(path.sep) ? entry : entry + path.sep; // the file system root ends in one
      for (const child of entries) visit(prefix + child.name, false, child, real, relPrefix);
      return;
    }
    const grammar = grammarForPath(entry);
    if (!grammar) return;
    if (!kind.isFile()) {
      // A FIFO would block the read forever; a socket or device cannot be read as a file.
      let stat: fs.Stats;
      try {
        stat = kind instanceof fs.Stats ? kind : fs.statSync(entry);
      } catch (error) {
        onSkip({ path: entry, reason: describe(error) });
        return;
      }
      onSkip({ path: entry, reason: `not a regular file (${specialFileKind(stat)})` });
      return;
    }
    found.push({ path: entry, relativePath: rel, grammar });
  };

  for (const p of options.paths?.length ? options.paths : [root]) visit(path.resolve(root, p), true);
  return found;
}
