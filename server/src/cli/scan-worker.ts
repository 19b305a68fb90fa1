/**
 * A CLI scan thread (bundled to dist/scan-worker.js): starts the parser runtime, then parses and
 * audits the files the main thread sends (read already, with the rules their trigger words call
 * for; each grammar loads with the first file that needs it) and posts back one outcome per file.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { Engine } from '../engine/analyze';
import { auditReadFile, type FileAuditSettings, type FileOutcome } from './audit-file';
import type { ScanBatch, ScanBatchResult, ThreadExit } from './scan-workers';

if (!parentPort) throw new Error('scan-worker.js runs as a worker thread of the pinning-audit CLI');
const port = parentPort;
const settings = workerData as FileAuditSettings;
const engine = Engine.create();

port.on('message', (batch: ScanBatch | ThreadExit) => {
  // The pool's close when this thread writes its code cache as it exits (scan-workers.ts).
  if (batch === 'exit') process.exit(0);
  engine.then(
    (e) => {
      let current = '';
      try {
        const outcomes = batch.items.map((item): FileOutcome => {
          current = item.file.path;
          return auditReadFile(e, item, settings);
        });
        port.postMessage({ id: batch.id, outcomes } satisfies ScanBatchResult);
      } catch (error) {
        // As on the main thread: an engine failure stops the scan, naming the file.
        const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
        port.postMessage({ id: batch.id, error: `${current}: ${message}` } satisfies ScanBatchResult);
      }
    },
    (error: unknown) => port.postMessage({ id: batch.id, error: error instanceof Error ? error.message : String(error) } satisfies ScanBatchResult),
  );
});
