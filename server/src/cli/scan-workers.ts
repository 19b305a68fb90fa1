import * as fs from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { WalkedFile } from '../engine/walk';
import type { FileAuditSettings, FileOutcome } from './audit-file';

export interface ScanBatch {
  id: number;
  files: WalkedFile[];
}

export type ScanBatchResult = { id: number; outcomes: FileOutcome[] } | { id: number; error: string };

/** Files per message: enough to make messaging cheap, few enough to keep the threads evenly busy. */
const BATCH_FILES = 24;
/** Batches each thread holds: the next one is already there when it finishes one. */
const BATCHES_IN_FLIGHT = 2;

/** Beside this module: dist/scan-worker.js in the bundle, out/server/src/cli/scan-worker.js from tsc. */
export const SCAN_WORKER_SCRIPT = path.join(__dirname, 'scan-worker.js');

export function scanWorkersAvailable(): boolean {
  return fs.existsSync(SCAN_WORKER_SCRIPT);
}

/**
 * Worker threads that audit files, each with its own engine (grammars load once per thread).
 * Start them early — they load while the main thread walks the tree.
 */
export class ScanWorkerPool {
  private readonly workers: Worker[];

  constructor(count: number, settings: FileAuditSettings) {
    this.workers = Array.from({ length: count }, () => new Worker(SCAN_WORKER_SCRIPT, { workerData: settings }));
  }

  /** One outcome per file, in the files' order; batches go to whichever thread is free. */
  audit(files: readonly WalkedFile[]): Promise<FileOutcome[]> {
    const outcomes: FileOutcome[] = new Array(files.length);
    const batchCount = Math.ceil(files.length / BATCH_FILES);
    let nextBatch = 0;
    let done = 0;
    return new Promise((resolve, reject) => {
      if (batchCount === 0) return resolve(outcomes);
      const cleanups: (() => void)[] = [];
      const finish = (error?: Error) => {
        for (const cleanup of cleanups) cleanup();
        if (error) reject(error);
        else resolve(outcomes);
      };
      const send = (worker: Worker) => {
        if (nextBatch >= batchCount) return;
        const id = nextBatch++;
        worker.postMessage({ id, files: files.slice(id * BATCH_FILES, (id + 1) * BATCH_FILES) } satisfies ScanBatch);
      };
      for (const worker of this.workers) {
        const onMessage = (result: ScanBatchResult) => {
          if ('error' in result) return finish(new Error(`a scan thread failed: ${result.error}`));
          for (let i = 0; i < result.outcomes.length; i++) outcomes[result.id * BATCH_FILES + i] = result.outcomes[i];
          if (++done === batchCount) return finish();
          send(worker);
        };
        const onError = (error: Error) => finish(error);
        const onExit = (code: number) => finish(new Error(`a scan thread stopped (exit code ${code})`));
        worker.on('message', onMessage);
        worker.on('error', onError);
        worker.on('exit', onExit);
        cleanups.push(() => {
          worker.off('message', onMessage);
          worker.off('error', onError);
          worker.off('exit', onExit);
        });
        for (let i = 0; i < BATCHES_IN_FLIGHT; i++) send(worker);
      }
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
