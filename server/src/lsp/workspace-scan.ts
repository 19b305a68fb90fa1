import {
  CancellationTokenSource,
  type CancellationToken,
  type Connection,
  type WorkDoneProgressReporter,
} from 'vscode-languageserver/node';
import type { ScanWorkspace } from '../../../common/protocol';
import type { CachedOutcome, ScanCache } from '../cache/scan-cache';
import { walkAuditedFilesLazily, type WalkedFile } from '../engine/scan';
import type { Auditor } from './auditor';
import type { OpenDocuments } from './documents';
import { pathKey, type Folders } from './folders';
import type { DiagnosticsPublisher } from './publisher';
import type { ScanStorage } from './scan-storage';
import type { ScopeSettings, SettingsStore } from './settings';

/** Time the scan may hold the event loop before it lets edits and requests through. */
const SLICE_MS = 15;

type ScanResult = ScanWorkspace.Result | undefined;

/** Audits every workspace folder in the background, one scan at a time; a new scan cancels the running one. */
export class WorkspaceScanner {
  private generation = 0;
  private running: CancellationTokenSource | undefined;
  /** The newest scan asked for; scans run one after the other. */
  private latest: Promise<ScanResult> = Promise.resolve(undefined);

  constructor(
    private readonly connection: Connection,
    private readonly auditor: Auditor,
    private readonly settings: SettingsStore,
    private readonly folders: Folders,
    private readonly documents: OpenDocuments,
    private readonly publisher: DiagnosticsPublisher,
    private readonly storage: ScanStorage,
  ) {}

  /**
   * Cancels the running scan and starts a new one once it has stopped. Resolves with the
   * counts, or undefined when cancelled (by `token`, the progress UI, or a newer scan).
   */
  scan(token?: CancellationToken): Promise<ScanResult> {
    const generation = ++this.generation;
    this.running?.cancel();
    const scan = this.latest.catch(() => undefined).then(async () => {
      if (generation !== this.generation || token?.isCancellationRequested) return undefined; // superseded while waiting
      const cancellation = new CancellationTokenSource();
      const onCancel = token?.onCancellationRequested(() => cancellation.cancel());
      this.running = cancellation;
      try {
        return await this.run(cancellation);
      } finally {
        if (this.running === cancellation) this.running = undefined;
        onCancel?.dispose();
        cancellation.dispose();
      }
    });
    this.latest = scan;
    return scan;
  }

  /** For a request: when a newer scan replaces ours (a settings change, say), its counts answer the request. */
  async scanUntilDone(token: CancellationToken): Promise<ScanResult> {
    let scan = this.scan(token);
    let result = await scan;
    while (!result && !token.isCancellationRequested && this.latest !== scan) {
      scan = this.latest;
      result = await scan;
    }
    return result;
  }

  cancel(): void {
    this.generation++;
    this.running?.cancel();
  }

  private async run(cancellation: CancellationTokenSource): Promise<ScanResult> {
    const token = cancellation.token;
    this.publisher.setScanning(true);
    const progress = await this.createProgress(() => cancellation.cancel());
    progress.begin('Pinning Audit', 0, 'Looking for files…', true);
    // Only what was shown before this scan may be stale; a watcher may publish new files meanwhile.
    const shownBefore = new Set(this.publisher.keys());
    try {
      const work: { file: WalkedFile; settings: ScopeSettings; cache: ScanCache<CachedOutcome> | undefined }[] = [];
      const caches: ScanCache<CachedOutcome>[] = [];
      const warn = (line: string) => this.connection.console.warn(line);
      for (const folder of this.folders.all()) {
        const settings = await this.settings.get(folder.uri);
        if (!settings.enable) continue;
        // Results of the last scan of this folder, kept in the client's storage: unchanged files are not parsed again.
        const cache = this.storage.open(folder.path, settings, warn);
        if (cache) caches.push(cache);
        // The size limit is checked as each file is read, with the same skip line.
        for (const file of walkAuditedFilesLazily(
          { root: folder.path, exclude: settings.excludeGlobs },
          (skip) => this.connection.console.info(`Skipped ${skip.path}: ${skip.reason}`),
        )) {
          if (token.isCancellationRequested) return undefined;
          work.push({ file, settings, cache });
          if (work.length % 500 === 0) {
            progress.report(`Looking for files… ${work.length} found`);
            await yieldToEventLoop();
          }
        }
      }

      const seen = new Set<string>();
      const counts = { audited: 0, cached: 0, parsed: 0 };
      let sliceStart = Date.now();
      for (const [index, { file, settings, cache }] of work.entries()) {
        if (token.isCancellationRequested) return undefined;
        const key = pathKey(file.path);
        seen.add(key);
        if (this.documents.isOpen(key)) {
          // An open document is audited from the editor's text as it changes, never from the cache.
          counts.audited++;
          cache?.keep(file);
        } else {
          const audit = await this.auditor.auditFileOnDisk(file.path, undefined, settings, cache);
          if (audit !== 'not audited') counts.audited++;
          if (audit === 'from cache') counts.cached++;
          if (audit === 'parsed') counts.parsed++;
        }
        if (Date.now() - sliceStart > SLICE_MS) {
          progress.report(Math.round(((index + 1) * 100) / work.length), `${index + 1}/${work.length} files`);
          await yieldToEventLoop();
          sliceStart = Date.now();
        }
      }
      if (token.isCancellationRequested) return undefined;

      // Files deleted, excluded or turned off since they were published, that no watcher told us about.
      for (const key of shownBefore) {
        if (!seen.has(key) && !this.documents.isOpen(key)) this.publisher.clear(key);
      }
      // Once per finished scan (a cancelled one saw only part of the files).
      for (const cache of caches) cache.save(warn);
      this.connection.console.info(`Workspace scan: ${counts.audited} files audited, ${counts.cached} of them from the scan cache, ${counts.parsed} parsed.`);
      const result: ScanWorkspace.Result = { files: counts.audited, findings: this.publisher.total };
      return caches.length > 0 ? { ...result, cached: counts.cached, parsed: counts.parsed } : result;
    } finally {
      progress.done();
      this.publisher.setScanning(false);
    }
  }

  private async createProgress(onCancel: () => void): Promise<WorkDoneProgressReporter> {
    try {
      const progress = await this.connection.window.createWorkDoneProgress();
      progress.token.onCancellationRequested(onCancel);
      return progress;
    } catch (error) {
      // The client refused a progress token: scan without a progress bar.
      this.connection.console.warn(`No scan progress: ${String(error)}`);
      return { begin() {}, report() {}, done() {} };
    }
  }
}

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
