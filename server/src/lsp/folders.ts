import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import picomatch from 'picomatch';
import type { WorkspaceFolder } from 'vscode-languageserver/node';
import { relativeTo, SKIPPED_FOLDERS } from '../engine/scan';

/** The file system path of a `file:` URI; undefined for `untitled:` and other schemes. */
export function uriToPath(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return path.resolve(fileURLToPath(uri));
  } catch {
    return undefined;
  }
}

export function pathToUri(filePath: string): string {
  return pathToFileURL(filePath).href;
}

/**
 * One key per file whatever URI spelling the client uses (VS Code encodes `:` and `@`, Node does
 * not; Windows drive letters differ in case): the path for files on disk, the URI otherwise.
 */
export function fileKey(uri: string): string {
  const filePath = uriToPath(uri);
  return filePath === undefined ? uri : pathKey(filePath);
}

export function pathKey(filePath: string): string {
  const resolved = path.resolve(filePath);
  return process.platform === 'win32' ? resolved.toLowerCase() : resolved;
}

export interface Folder {
  uri: string;
  name: string;
  path: string;
}

/** The workspace folders the client reported; only `file:` folders can be scanned. */
export class Folders {
  private folders: Folder[] = [];

  set(folders: readonly WorkspaceFolder[]): void {
    this.folders = [];
    this.add(folders);
  }

  add(folders: readonly WorkspaceFolder[]): void {
    for (const folder of folders) {
      const folderPath = uriToPath(folder.uri);
      if (folderPath !== undefined && !this.folders.some((f) => f.uri === folder.uri)) {
        this.folders.push({ uri: folder.uri, name: folder.name, path: folderPath });
      }
    }
  }

  remove(folders: readonly WorkspaceFolder[]): void {
    this.folders = this.folders.filter((f) => !folders.some((removed) => removed.uri === f.uri));
  }

  all(): readonly Folder[] {
    return this.folders;
  }

  /** The innermost folder holding `filePath` (nested folders are allowed in multi-root workspaces). */
  containing(filePath: string): Folder | undefined {
    const key = pathKey(filePath);
    let best: Folder | undefined;
    for (const folder of this.folders) {
      const root = pathKey(folder.path);
      const inside = key === root || key.startsWith(root.endsWith(path.sep) ? root : root + path.sep);
      if (inside && (!best || folder.path.length > best.path.length)) best = folder;
    }
    return best;
  }
}

const matchers = new Map<string, (relativePath: string) => boolean>();

/**
 * Whether the workspace scan would leave `relativePath` out: a dependency or build folder on
 * the way, or an exclude glob matching the file or any folder above it (the scan tests
 * folders as it descends, so `generated` excludes `generated/a.ts` too).
 */
export function isExcluded(relativePath: string, excludeGlobs: readonly string[]): boolean {
  const segments = relativePath.split('/');
  if (segments.slice(0, -1).some((s) => SKIPPED_FOLDERS.has(s))) return true;
  if (excludeGlobs.length === 0) return false;
  const key = excludeGlobs.join('\n');
  let matches = matchers.get(key);
  if (!matches) {
    matches = picomatch([...excludeGlobs], { dot: true });
    if (matchers.size > 32) matchers.clear();
    matchers.set(key, matches);
  }
  for (let i = 1; i <= segments.length; i++) {
    if (matches(segments.slice(0, i).join('/'))) return true;
  }
  return false;
}

/** `/`-separated path relative to the folder, as the engine and exclude globs expect. */
export function relativeToFolder(folder: Folder | undefined, filePath: string): string {
  return folder ? relativeTo(folder.path, filePath) : path.basename(filePath);
}
