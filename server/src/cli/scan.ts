import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Engine } from '../engine/analyze';
import { grammarForPath } from '../engine/languages';
import type { Rule } from '../engine/rule';
import type { SkippedFile } from '../engine/scan';
import type { Finding, RuleSettings } from '../engine/types';
import { walkAuditedFiles } from '../engine/walk';
import { ALL_RULES } from '../rules';
import { auditFile, type FileAuditSettings, type FileOutcome } from './audit-file';
import { ScanWorkerPool, scanWorkersAvailable } from './scan-workers';

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
      outcomes = await pool.audit(toAudit);
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

