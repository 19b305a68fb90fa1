/**
 * A CLI scan thread (bundled to dist/scan-worker.js): starts the parser runtime, then parses and
 * audits the files the main thread sends (read already, with the rules their trigger words call
 * for; each grammar loads with the first file that needs it) and posts back one outcome per file.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { Engine } from '../engine/analyze';
import { auditReadFile, type FileAuditSettings, type FileOutcome } from './audit-file';
import { ReadAheadReader } from './read-ahead';
import type { ReadAheadMessage, ScanBatch, ScanBatchResult, ThreadExit } from './scan-workers';

if (!parentPort) throw new Error('scan-worker.js runs as a worker thread of the pinning-audit CLI');
const port = parentPort;
const settings = workerData as FileAuditSettings;
const engine = Engine.create();

/** Files read between two looks at this thread's messages: a batch that arrives waits for no more (a read takes 10-30 microseconds). */
const READ_AHEAD_STEP = 16;

/** Reads files for the main thread (read-ahead.ts) whenever this thread has no batch to work on. */
function readAhead(reader: ReadAheadReader): void {
  const next = () => readAhead(reader);
  const step = reader.read(READ_AHEAD_STEP);
  if (step === 'more') setImmediate(next);
  else if (step === 'wait') void reader.moved().then(next);
}

port.on('message', (batch: ScanBatch | ThreadExit | ReadAheadMessage) => {
  // The pool's close when this thread writes its code cache as it exits (scan-workers.ts).
  if (batch === 'exit') process.exit(0);
  if ('readAhead' in batch) return void setImmediate(readAhead, new ReadAheadReader(batch.readAhead));
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
