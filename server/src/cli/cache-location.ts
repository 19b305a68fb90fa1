import * as path from 'node:path';
import { isDirectory } from '../engine/path-kind';
import { digest } from '../cache/cache-file';
import { ScanCache, scanCacheKey } from '../cache/scan-cache';
import { DEFAULT_ROTATION_WARNING_DAYS } from '../engine/clock';
import type { AuditResult, CliScanCache, FileAuditSettings } from './audit-file';

/** `scan --cache` without `--cache-location`: this file in the current folder (as ESLint's `.eslintcache`). */
export const DEFAULT_CACHE_FILE = '.pinningauditcache';

/**
 * The cache file `--cache-location` names, ESLint's way: a folder (an existing one, or any
 * path ending in a slash) holds a file named after the current folder, so that scans run from
 * different folders can share it; anything else is the file itself.
 */
export function cacheFilePath(location: string | undefined, cwd: string): string {
  if (location === undefined) return path.join(cwd, DEFAULT_CACHE_FILE);
  const resolved = path.resolve(cwd, location);
  return /[\\/]$/.test(location) || isDirectory(resolved) ? path.join(resolved, `${DEFAULT_CACHE_FILE}_${digest(cwd).slice(0, 12)}`) : resolved;
}

/** The CLI scan's cache for these settings: everything that changes an outcome is in its key. */
export function openCliCache(file: string, settings: FileAuditSettings, root: string, warn: (line: string) => void, label?: string): CliScanCache {
  const key = scanCacheKey({ ...settings, rotationWarningDays: settings.rotationWarningDays ?? DEFAULT_ROTATION_WARNING_DAYS }, root);
  // A SARIF scan needs the fixes of the findings, which a scan in another format did not make.
  const accepts = settings.fixes ? (outcome: AuditResult) => outcome.findings.length === 0 || outcome.fixed === true : undefined;
  return ScanCache.open<AuditResult>(file, key, warn, label, accepts);
}

