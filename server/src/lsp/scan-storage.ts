import * as path from 'node:path';
import { digest } from '../cache/cache-file';
import { ScanCache, scanCacheKey, type CachedOutcome } from '../cache/scan-cache';
import type { ScopeSettings } from './settings';

/**
 * Where the workspace scan keeps its results between sessions: a folder the client owns (VS Code's
 * storage for the workspace), passed as `initializationOptions.storagePath`. One cache file per
 * workspace folder, keyed on that folder's settings. Without a storage folder nothing is kept.
 */
export class ScanStorage {
  private constructor(private readonly folder: string | undefined) {}

  /** From the client's `initializationOptions`: an absolute `storagePath`, or none. */
  static fromInitializationOptions(options: unknown): ScanStorage {
    const storagePath = typeof options === 'object' && options !== null ? (options as { storagePath?: unknown }).storagePath : undefined;
    return new ScanStorage(typeof storagePath === 'string' && path.isAbsolute(storagePath) ? storagePath : undefined);
  }

  /** The cache of one workspace folder's scan, or undefined without a storage folder. `warn`: one line when the stored file is ignored. */
  open(folderPath: string, settings: ScopeSettings, warn: (line: string) => void): ScanCache<CachedOutcome> | undefined {
    if (!this.folder) return undefined;
    const file = path.join(this.folder, `scan-cache-${digest(folderPath).slice(0, 16)}.json`);
    const key = scanCacheKey({ rules: settings.rules, maxBytes: settings.maxFileSizeKb * 1024, rotationWarningDays: settings.rotationWarningDays }, folderPath);
    return ScanCache.open<CachedOutcome>(file, key, warn);
  }
}
