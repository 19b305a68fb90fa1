import * as path from 'node:path';
import { cutIntoParts, Engine } from '../engine/analyze';
import { familyOf, grammarForPath } from '../engine/languages';
import { isFile } from '../engine/path-kind';
import { os } from '../engine/node-builtins';
import type { Rule } from '../engine/rule';
import type { RuleSettings } from '../engine/types';
import { DEFAULT_MAX_FILE_SIZE_KB, walkAuditedFilesLazily, type SkippedFile, type WalkedFile } from '../engine/scan';
import { decoder, ReadBuffer, sourceOfBytes } from '../engine/source-bytes';
import { RuleTriggers } from '../engine/trigger-set';
import { trigramSetOf } from '../engine/word-scanner';
import { knownPinSetNames } from '../facts/pin-set-evidence';
import { ALL_RULES } from '../rules';
import { openCliCache } from './cache-location';
import { auditReadFile, readForAudit, type CliScanCache, type FileAuditSettings, type FileOutcome, type FingerprintedFinding, type ReadFile } from './audit-file';
import { ReadAhead } from './read-ahead';
import { ScanWorkerPool, scanWorkersAvailable } from './scan-workers';

export interface WorkspaceScanOptions {
  /** Absolute folder that relative paths in the report (and exclude globs) are relative to. */
  root: string;
  /** Absolute files or folders to audit; defaults to the root. */
  paths?: string[];
  exclude?: string[];
  maxFileSizeKb?: number;
  rotationWarningDays?: number;
  /** Attach each finding's preferred fix (SARIF's `fixes`). */
  fixes?: boolean;
  rules?: RuleSettings;
  /** Threads that audit files; 1 audits on the calling thread. Default: one per core. */
  jobs?: number;
  /** The cache file to reuse and update (`--cache`): files whose content it holds are not parsed again. */
  cacheFile?: string;
  /** How the cache file is named in warnings (default: its path). */
  cacheLabel?: string;
  /** One line per problem that does not stop the scan (an ignored or unwritable cache). */
  warn?: (line: string) => void;
}

export interface ReportedFinding extends FingerprintedFinding {
  /** In the `--baseline` given: reported apart, and never fails the scan. */
  baselined?: true;
  /** Absolute path of the file. */
  path: string;
  /** Relative to the report's root, `/`-separated. */
  relativePath: string;
}

export interface ScanReport {
  root: string;
  /** How many files were read and analyzed (skipped files not included). */
  files: number;
  /** All findings, suppressed ones included, in file then position order. */
  findings: ReportedFinding[];
  skipped: SkippedFile[];
  durationMs: number;
  /** The engine's rules (for SARIF's rule list) and the settings the scan ran with. */
  rules: readonly Rule[];
  ruleSettings: RuleSettings;
  /** How many threads audited the files: 1 when the calling thread did. */
  threads?: number;
  /** Files this scan parsed (in no report format: it differs between a cold and a warm run). */
  parsedFiles?: number;
  /** Files whose outcome came from the cache (`cacheFile`). */
  cachedFiles?: number;
}

/** Below this many files per thread, starting threads costs more than it saves. */
const MIN_FILES_PER_THREAD = 16;

/**
 * Audits every Dart, Swift and TS/JS file under the given paths. With `jobs` > 1 (the default
 * on a multi-core machine) the files are audited on worker threads; the report is the same.
 * A given `engine` (tests, custom rules) audits on the calling thread.
 */
export async function scanWorkspace(options: WorkspaceScanOptions, engine?: Engine): Promise<ScanReport> {
  // Not performance.now(): its first use loads perf_hooks (2-4 ms of a 150 ms empty-folder scan).
  const started = process.hrtime.bigint();
  const root = path.resolve(options.root);
  const ruleSettings = options.rules ?? {};
  const settings: FileAuditSettings = {
    rules: ruleSettings,
    maxBytes: (options.maxFileSizeKb ?? DEFAULT_MAX_FILE_SIZE_KB) * 1024,
    ...(options.rotationWarningDays !== undefined ? { rotationWarningDays: options.rotationWarningDays } : {}),
    ...(options.fixes ? { fixes: true } : {}),
  };
  const skipped: SkippedFile[] = [];
  let files = 0;
  let parsedFiles = 0;
  let threads = 1;
  const findings: ReportedFinding[] = [];
  const warn = options.warn ?? (() => {});
  const cache = options.cacheFile ? openCliCache(options.cacheFile, settings, root, warn, options.cacheLabel) : undefined;

  // The walk ignores explicit files it has no grammar for; a user who named one should hear why.
  const paths = unique((options.paths?.length ? options.paths : [root]).map((p) => path.resolve(root, p)));
  for (const p of paths) {
    if (!grammarForPath(p) && isFile(p)) skipped.push({ path: p, reason: 'not a Dart, Swift, TypeScript/JavaScript, XML or plist file' });
  }

  // A function: node:os (a millisecond of an empty-folder scan) loads only when there are files to share.
  const jobs = () => (engine ? 1 : Math.max(1, Math.floor(options.jobs ?? os().availableParallelism())));
  let pool: ScanWorkerPool | undefined;
  try {
    // Threads only once there are files enough to share (starting one costs what auditing a few
    // files does). Cold, they start as soon as the walk has found that many, and load while it
    // goes on and this thread reads the files (a mono scan's walk takes 120 ms); with a cache
    // that holds entries most files need no parse, so they start only once the reading shows
    // enough do.
    const warm = cache !== undefined && cache.size > 0;
    let canShare: boolean | undefined;
    const enough = (n: number) => n >= MIN_FILES_PER_THREAD * 2 && (canShare ??= jobs() > 1 && scanWorkersAvailable());
    const toAudit: WalkedFile[] = [];
    // A file named both directly and through its folder is audited once. One path is walked
    // once (its folders' real paths are never entered twice): no set of 10,000 paths to hash.
    const seen = paths.length > 1 ? new Set<string>() : undefined;
    for (const file of walkAuditedFilesLazily({ root, paths, exclude: options.exclude }, (skip) => skipped.push(skip))) {
      if (seen?.has(file.path)) continue;
      seen?.add(file.path);
      toAudit.push(file);
      if (!pool && !warm && enough(toAudit.length)) pool = new ScanWorkerPool(jobs() - 1, settings);
    }
    const triggers = engine?.triggers ?? new RuleTriggers(ALL_RULES);
    const readBuffer = new ReadBuffer();
    // Without a cache (which reads each file's stamp), the threads read ahead of this one while they wait.
    const readAhead = pool && !cache ? new ReadAhead(toAudit.map((f) => f.path), settings.maxBytes) : undefined;
    if (readAhead) pool!.readAhead(readAhead.shared);
    const triage = (file: WalkedFile, index: number) => triageFile(file, settings, triggers, cache, readBuffer, readAhead?.take(index));
    const triaged = pool ? undefined : toAudit.map(triage);
    if (triaged && enough(triaged.filter((t) => !('audited' in t)).length)) pool = new ScanWorkerPool(jobs() - 1, settings);
    let outcomes: FileOutcome[];
    if (pool) {
      outcomes = await auditWithThreads(toAudit.length, (i) => triaged?.[i] ?? triage(toAudit[i], i), pool);
      if (readAhead) debug('scan: %d of %d files read ahead by the threads', readAhead.readByThreads, toAudit.length);
      threads = jobs();
    } else {
      // Grammars load only when a file needs a parse.
      let onThisThread = engine;
      outcomes = [];
      for (const t of triaged!) {
        if ('audited' in t) outcomes.push(t);
        else outcomes.push(auditReadFile((onThisThread ??= await Engine.create()), t, settings));
      }
    }
    toAudit.forEach((file, i) => {
      const outcome = outcomes[i];
      if (!outcome.audited) return void skipped.push({ path: file.path, reason: outcome.reason });
      files++;
      if (outcome.parsed) parsedFiles++;
      cache?.record(file, { findings: outcome.findings, pinSets: outcome.pinSets, ...(outcome.fixed ? { fixed: true } : {}) }, outcome.datedToday);
      for (const f of outcome.findings) findings.push({ ...f, path: file.path, relativePath: file.relativePath });
    });
  } finally {
    await pool?.close();
  }
  cache?.save(warn);

  return {
    root,
    files,
    findings,
    // By path: the same order however the work was spread.
    skipped: skipped.map((s) => ({ path: path.resolve(root, s.path), reason: s.reason })).sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)),
    durationMs: Number(process.hrtime.bigint() - started) / 1e6,
    rules: engine?.rules ?? ALL_RULES,
    ruleSettings,
    threads,
    parsedFiles,
    cachedFiles: cache?.fromCache ?? 0,
  };
}

/** Bytes of files with trigger words per message to a thread at most: what has been found so far goes at once. */
const BATCH_BYTES = 128 * 1024;
/** Files this thread sorts between two looks at the threads' results (and their need for more work). */
const SORT_SLICE = 64;

/**
 * This thread looks for trigger words in every file; most files have none, and are done here.
 * The files with some are cut into the parts to parse first (`cutIntoParts`) and parsed and
 * audited by the threads, handed out as they ask for more with the rules their words call for:
 * no file is searched twice. This thread parses nothing, and reads every file but those a thread
 * has read for it while it waited for files to parse (read-ahead.ts). Measured on the bench's
 * shapes: given files to read and sort whenever they asked, the threads were left with more to
 * parse than this thread had to read; with an engine of its own (a second parser runtime,
 * grammars and rules compiled again) this thread used 0.4 s more CPU on an app-shape scan for no
 * shorter one.
 */
async function auditWithThreads(count: number, triaged: (index: number) => FileOutcome | ReadFile, pool: ScanWorkerPool): Promise<FileOutcome[]> {
  const outcomes: FileOutcome[] = new Array(count);
  const queue: { index: number; item: ReadFile }[] = [];
  const inFlight: Promise<void>[] = [];
  const started = process.hrtime.bigint();
  let lastSent = started;
  const send = (batch: typeof queue) => {
    lastSent = process.hrtime.bigint();
    // The indices alone wait for the results: the texts, copied into the message, are garbage
    // from here on, not kept until the thread answers.
    const indices = batch.map((b) => b.index);
    const audited = pool.audit(batch.map((b) => b.item)).then((results) => {
      results.forEach((outcome, k) => (outcomes[indices[k]] = outcome));
      handOut();
    });
    // Awaited below; if this thread fails first, the pool's closing rejects it with no one waiting.
    audited.catch(() => {});
    inFlight.push(audited);
  };
  const handOut = () => {
    while (queue.length > 0 && pool.hasRoom()) {
      const batch: typeof queue = [];
      let bytes = 0;
      while (queue.length > 0 && bytes < BATCH_BYTES) {
        const next = queue.shift()!;
        batch.push(next);
        bytes += next.item.text.length;
      }
      send(batch);
    }
  };
  for (let start = 0; start < count; start += SORT_SLICE) {
    const end = Math.min(count, start + SORT_SLICE);
    for (let index = start; index < end; index++) {
      const item = triaged(index);
      if ('audited' in item) outcomes[index] = item;
      else queue.push({ index, item });
    }
    handOut();
    await nextTurn();
  }
  const allRead = process.hrtime.bigint();
  const waiting = queue.length;
  while (inFlight.length > 0) await Promise.all(inFlight.splice(0));
  // Which thread the scan waited for: files still waiting for a thread when all are read say the
  // threads have more to do than this one (bench/README.md, round 20).
  const ms = (at: bigint) => Math.round(Number(at - started) / 1e6);
  debug('scan: every file read after %d ms, %d files with trigger words then waiting for a thread; the last handed out after %d ms, the last results after %d ms', ms(allRead), waiting, ms(lastSent), ms(process.hrtime.bigint()));
  // Files left only when a thread stopped between two batches: the pool's rejection says why.
  if (queue.length > 0) await pool.audit([]);
  return outcomes;
}

/**
 * Reads a file (unless the cache vouches for it) and looks for trigger words: its outcome when
 * that settles it (most files), or what a thread needs to parse and audit it (its text,
 * decoded before the next file is read into the same buffer). `readAhead`: its bytes, when a
 * thread has read them for this one.
 */
function triageFile(file: WalkedFile, settings: FileAuditSettings, triggers: RuleTriggers, cache: CliScanCache | undefined, into: ReadBuffer, readAhead?: Buffer): FileOutcome | ReadFile {
  const source = readAhead ? sourceOfBytes(readAhead) : readForAudit(file, settings.maxBytes, cache, into);
  if (!('bytes' in source)) return source;
  const decode = decoder(source);
  const { rules, pinSets } = triggers.inBytes(file.grammar, source.bytes, decode, settings.rules);
  if (rules.length === 0) return { audited: true, findings: [], pinSets: [] };
  const text = decode();
  const utf8 = source.bytes.subarray(source.bom);
  // Cut here, with the bytes at hand: the threads have more to do than this one.
  const parts = cutIntoParts(triggers, file.grammar, text, { rules, pinSets }, undefined, utf8)?.toParts() ?? null;
  // The names the confirmation of its trigger words found, sent: the thread that parses it does not search for them again.
  const pinSetNames = knownPinSetNames(text, familyOf(file.grammar));
  // Made here from the bytes, in half the time the thread that parses the file took to make it from its text.
  const trigrams = trigramSetOf(utf8);
  return { file, text, triggered: { rules: rules.map((r) => r.meta.id), pinSets }, parts, trigrams, ...(pinSetNames ? { pinSetNames } : {}) };
}

/** `NODE_DEBUG=pinning-audit` lines (node:util loads only when a scan starts threads). */
function debug(format: string, ...values: unknown[]): void {
  (require('node:util') as typeof import('node:util')).debuglog('pinning-audit')(format, ...values);
}

/** Lets the event loop deliver the threads' messages. */
function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

function unique(paths: string[]): string[] {
  return [...new Set(paths)];
}

