import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Engine } from '../engine/analyze';
import { grammarForPath } from '../engine/languages';
import type { Rule } from '../engine/rule';
import type { SkippedFile } from '../engine/scan';
import type { Finding, RuleSettings } from '../engine/types';
import { walkAuditedFiles, type WalkedFile } from '../engine/walk';
import { RuleTriggers } from '../engine/trigger-set';
import { ALL_RULES } from '../rules';
import { auditFile, decoder, readSourceFile, type FileAuditSettings, type FileOutcome } from './audit-file';
import { ScanWorkerPool, scanWorkersAvailable, type ScanItem } from './scan-workers';

export interface WorkspaceScanOptions {
  /** Absolute folder that relative paths in the report (and exclude globs) are relative to. */
  root: string;
  /** Absolute files or folders to audit; defaults to the root. */
  paths?: string[];
  exclude?: string[];
  maxFileSizeKb?: number;
  rules?: RuleSettings;
  /** Threads that audit files; 1 audits on the calling thread. Default: one per core. */
  jobs?: number;
}

export interface ReportedFinding extends Finding {
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
}

/** Below this many files per thread, starting threads costs more than it saves. */
const MIN_FILES_PER_THREAD = 16;

/**
 * Audits every Dart, Swift and TS/JS file under the given paths. With `jobs` > 1 (the default
 * on a multi-core machine) the files are audited on worker threads; the report is the same.
 * A given `engine` (tests, custom rules) audits on the calling thread.
 */
export async function scanWorkspace(options: WorkspaceScanOptions, engine?: Engine): Promise<ScanReport> {
  const started = performance.now();
  const root = path.resolve(options.root);
  const ruleSettings = options.rules ?? {};
  const settings: FileAuditSettings = { rules: ruleSettings, maxBytes: (options.maxFileSizeKb ?? 1024) * 1024 };
  const skipped: SkippedFile[] = [];
  let files = 0;
  let threads = 1;
  const findings: ReportedFinding[] = [];

  // The walk ignores explicit files it has no grammar for; a user who named one should hear why.
  const paths = unique((options.paths?.length ? options.paths : [root]).map((p) => path.resolve(root, p)));
  for (const p of paths) {
    if (!grammarForPath(p) && isFile(p)) skipped.push({ path: p, reason: 'not a Dart, Swift or TypeScript/JavaScript file' });
  }

  const jobs = engine ? 1 : Math.max(1, Math.floor(options.jobs ?? os.availableParallelism()));
  // Threads load their grammars while this thread walks the tree; only a folder can hold enough files for them.
  let pool = jobs > 1 && scanWorkersAvailable() && paths.some(isDirectory) ? new ScanWorkerPool(jobs, settings) : undefined;
  try {
    const walked = walkAuditedFiles({ root, paths, exclude: options.exclude }, (skip) => skipped.push(skip));
    // A file named both directly and through its folder is audited once.
    const seen = new Set<string>();
    const toAudit = walked.filter((f) => !seen.has(f.path) && seen.add(f.path));
    if (pool && toAudit.length < MIN_FILES_PER_THREAD * 2) {
      await pool.close();
      pool = undefined;
    }
    let outcomes: FileOutcome[];
    if (pool) {
      outcomes = await sortOnThisThread(toAudit, settings, pool);
      threads = jobs;
    } else {
      const onThisThread = engine ?? (await Engine.create());
      outcomes = toAudit.map((file) => auditFile(onThisThread, file, settings));
    }
    toAudit.forEach((file, i) => {
      const outcome = outcomes[i];
      if (!outcome.audited) return void skipped.push({ path: file.path, reason: outcome.reason });
      files++;
      for (const f of outcome.findings) findings.push({ ...f, path: file.path, relativePath: file.relativePath });
    });
  } finally {
    await pool?.close();
  }

  return {
    root,
    files,
    findings,
    // By path: the same order however the work was spread.
    skipped: skipped.map((s) => ({ path: path.resolve(root, s.path), reason: s.reason })).sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)),
    durationMs: performance.now() - started,
    rules: engine?.rules ?? ALL_RULES,
    ruleSettings,
    threads,
  };
}

/** Bytes of files with trigger words per message to a thread: a few files, so that parsing starts early. */
const BATCH_BYTES = 32 * 1024;

/**
 * Reads every file and looks for trigger words on this thread, and sends only the files that
 * have some to the threads, as they are found: they parse while this thread reads on. Most
 * files have none, and are done here.
 */
async function sortOnThisThread(files: readonly WalkedFile[], settings: FileAuditSettings, pool: ScanWorkerPool): Promise<FileOutcome[]> {
  const triggers = new RuleTriggers(ALL_RULES);
  const outcomes: FileOutcome[] = new Array(files.length);
  const sent: Promise<void>[] = [];
  let batch: { index: number; item: ScanItem }[] = [];
  let batchBytes = 0;
  const send = () => {
    const items = batch;
    batch = [];
    batchBytes = 0;
    sent.push(pool.audit(items.map((b) => b.item)).then((results) => results.forEach((outcome, k) => (outcomes[items[k].index] = outcome))));
  };
  files.forEach((file, index) => {
    const source = readSourceFile(file, settings.maxBytes);
    if ('reason' in source) {
      outcomes[index] = source;
    } else if (triggers.inBytes(file.grammar, source.bytes, decoder(source), settings.rules).rules.length === 0) {
      outcomes[index] = { audited: true, findings: [], pinSets: [] };
    } else {
      batch.push({ index, item: { file, source } });
      batchBytes += source.bytes.length;
      if (batchBytes >= BATCH_BYTES) send();
    }
  });
  if (batch.length > 0) send();
  await Promise.all(sent);
  return outcomes;
}

function isFile(p: string): boolean {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}

function isDirectory(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

function unique(paths: string[]): string[] {
  return [...new Set(paths)];
}

