import * as fs from 'node:fs';
import * as path from 'node:path';
import { setFlagsFromString } from 'node:v8';
import type { Worker } from 'node:worker_threads';
import { workerThreads } from '../engine/node-builtins';
import { Parsers } from '../engine/parser';
import type { FileAuditSettings, FileOutcome, ReadFile } from './audit-file';
import type { SharedReads } from './read-ahead';

export interface ScanBatch {
  id: number;
  items: ReadFile[];
}

/**
 * Batches a thread holds at once, so that it never waits for the next one: the main thread hands
 * out more only between two slices of files it sorts or two files it audits itself (a large one
 * takes 50 ms). With two batches of 32 KB a thread sat idle for a third of an app-shape scan.
 */
const BATCHES_PER_THREAD = 4;

export type ScanBatchResult = { id: number; outcomes: FileOutcome[] } | { id: number; error: string };

/**
 * V8's interrupt budget while a scan parses on threads (V8's own: 67,584 bytes of bytecode run
 * before a function is considered for optimization). A scan of thousands of files warms hundreds
 * of functions, and TurboFan compiled each on the same two cores as the scan: about 1 s of an
 * app-shape scan's 3.8 s of CPU. With six times the budget, cold scans took 5-9 % less CPU and
 * 4-8 % less time (bench/README.md, round 12). Not among the bundle's flags (common/v8-flags.json):
 * a warm scan, whose files all come from the cache, starts no threads and was 15 % slower with it
 * (its few loops ran unoptimized longer); the language server, which reads those flags too,
 * gained nothing on edits.
 */
const SCAN_INTERRUPT_BUDGET = 400_000;

/** Beside this module: dist/scan-worker.js in the bundle, out/server/src/cli/scan-worker.js from tsc. */
export const SCAN_WORKER_SCRIPT = path.join(__dirname, 'scan-worker.js');

/**
 * The bundle loader (bin/load-bundle.js), which the build copies into dist/: a thread loads its
 * script through it from the V8 code cache the build wrote beside it (`scan-worker.js.v8-cache`),
 * instead of compiling 640 KB of JavaScript and then each function at its first call: ~0.1 s
 * less CPU for the thread of an app-shape scan (bench/README.md, round 19). tsc's out/ has no
 * loader: the script is run as it is.
 */
const BUNDLE_LOADER = path.join(__dirname, 'load-bundle.js');

/**
 * Set by the build (scripts/build.mjs) for the one scan that writes the threads' code cache: its
 * thread writes the cache as it exits, holding every function it compiled.
 */
const WRITE_THREAD_CACHE_VARIABLE = 'PINNING_AUDIT_WRITE_THREAD_CACHE';

export function scanWorkersAvailable(): boolean {
  return fs.existsSync(SCAN_WORKER_SCRIPT);
}

/**
 * Worker threads that parse and audit the files the main thread sends them, each with its own
 * engine (each grammar loads once per thread, with the first file that needs it). Started once
 * the walk has found files enough to share, they start while the main thread reads them; they
 * parse only the few files with trigger words, a couple of batches at a time, and read files
 * for the main thread while they wait for those (`readAhead`).
 */
export class ScanWorkerPool {
  private readonly workers: Worker[];
  /** Batches each thread holds: the next one goes to the thread with the fewest. */
  private readonly inFlight: number[];
  private readonly pending = new Map<number, { resolve: (outcomes: FileOutcome[]) => void; reject: (error: Error) => void }>();
  private nextId = 0;
  private failure: Error | undefined;

  /** This scan's threads write their code cache as they exit (`WRITE_THREAD_CACHE_VARIABLE`). */
  private readonly writeCache = process.env[WRITE_THREAD_CACHE_VARIABLE] === '1';

  constructor(count: number, settings: FileAuditSettings) {
    // Process-wide, and read as functions first run: set before the threads start and this one reads.
    setFlagsFromString(`--interrupt-budget=${SCAN_INTERRUPT_BUDGET}`);
    this.workers = Array.from({ length: count }, () => startThread(settings, this.writeCache));
    this.inFlight = this.workers.map(() => 0);
    this.workers.forEach((worker, w) => {
      worker.on('message', (result: ScanBatchResult) => {
        this.inFlight[w]--;
        const waiting = this.pending.get(result.id);
        this.pending.delete(result.id);
        if ('error' in result) waiting?.reject(new Error(`a scan thread failed: ${result.error}`));
        else waiting?.resolve(result.outcomes);
      });
      worker.on('error', (error) => this.fail(error));
      worker.on('exit', (code) => this.fail(new Error(`a scan thread stopped (exit code ${code})`)));
    });
  }

  /** Whether a thread could take another batch now: each holds the one it works on and the next. */
  hasRoom(): boolean {
    return !this.failure && this.inFlight.some((n) => n < BATCHES_PER_THREAD);
  }

  /** One outcome per item, in the items' order. */
  audit(items: ReadFile[]): Promise<FileOutcome[]> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    const target = this.inFlight.indexOf(Math.min(...this.inFlight));
    this.inFlight[target]++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.workers[target].postMessage({ id, items } satisfies ScanBatch);
    });
  }

  /** Has the threads read files ahead of this one while they wait for files to parse (read-ahead.ts). */
  readAhead(shared: SharedReads): void {
    for (const worker of this.workers) worker.postMessage({ readAhead: shared } satisfies ReadAheadMessage);
  }

  /** Stops the threads; batches still in flight are rejected. */
  async close(): Promise<void> {
    this.fail(new Error('the scan threads were closed'));
    // A thread that writes its code cache does so as it exits by itself; a terminated one would not.
    if (this.writeCache) await Promise.all(this.workers.map((w) => new Promise((resolve) => w.once('exit', resolve).postMessage(EXIT))));
    else await Promise.all(this.workers.map((w) => w.terminate()));
  }

  private fail(error: Error): void {
    if (this.failure) return;
    this.failure = error;
    for (const waiting of this.pending.values()) waiting.reject(error);
    this.pending.clear();
  }
}

/** The message that gives a thread the files to read ahead of the main thread. */
export interface ReadAheadMessage {
  readAhead: SharedReads;
}

/** The message that asks a thread to exit by itself (scan-worker.ts). */
const EXIT = 'exit';
export type ThreadExit = typeof EXIT;

/**
 * A scan thread: its script loaded through the bundle loader beside it, from its code cache,
 * when there is one (the loader says through `NODE_DEBUG=pinning-audit` whether V8 took it).
 */
function startThread(settings: FileAuditSettings, writeCache: boolean): Worker {
  const { Worker } = workerThreads();
  const limits = { resourceLimits: { maxYoungGenerationSizeMb: SCAN_THREAD_YOUNG_GENERATION_MB } };
  if (!fs.existsSync(BUNDLE_LOADER)) return new Worker(SCAN_WORKER_SCRIPT, { workerData: settings, ...limits });
  const options = writeCache ? { produceCache: true, flagsBeforeCache: Parsers.FLAGS_BEFORE_LOAD } : {};
  const entry = `const taken = require(${JSON.stringify(BUNDLE_LOADER)}).loadBundle(${JSON.stringify(SCAN_WORKER_SCRIPT)}, ${JSON.stringify(options)});
require('node:util').debuglog('pinning-audit')('scan thread: code cache %s', taken ? 'taken' : 'not taken');`;
  return new Worker(entry, { eval: true, workerData: settings, ...limits });
}

/**
 * A scan thread's young generation, in MB: semi-spaces of 8 MB instead of V8's 16 here. The first
 * touch of a page of memory costs about 11 microseconds on the benchmark's machine (a fault its
 * host serves), and a thread's heap grew to about 55 MB on the app shape. With this: about 4,000
 * fewer page faults there, 1,746 -> 1,690 ms (10 interleaved runs); mono the same
 * (bench/README.md, round 21).
 */
const SCAN_THREAD_YOUNG_GENERATION_MB = 24;
