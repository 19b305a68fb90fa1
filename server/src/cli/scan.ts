import * as fs from 'node:fs';
import * as path from 'node:path';
import { Engine } from '../engine/analyze';
import { grammarForPath } from '../engine/languages';
import type { Rule } from '../engine/rule';
import { auditedFiles, looksBinary, type AuditedFile, type SkippedFile } from '../engine/scan';
import type { Finding, RuleSettings } from '../engine/types';
import { WorkspaceFacts } from '../engine/workspace';

export interface WorkspaceScanOptions {
  /** Absolute folder that relative paths in the report (and exclude globs) are relative to. */
  root: string;
  /** Absolute files or folders to audit; defaults to the root. */
  paths?: string[];
  exclude?: string[];
  maxFileSizeKb?: number;
  rules?: RuleSettings;
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
}

/** Reads run ahead of analysis by this many files so disk waits overlap parsing. */
const READ_AHEAD = 8;

/** Audits every Dart, Swift and TS/JS file under the given paths. */
export async function scanWorkspace(options: WorkspaceScanOptions, engine?: Engine): Promise<ScanReport> {
  const started = performance.now();
  engine ??= await Engine.create();
  const root = path.resolve(options.root);
  const ruleSettings = options.rules ?? {};
  const skipped: SkippedFile[] = [];
  const findings: ReportedFinding[] = [];
  const workspace = new WorkspaceFacts();
  let files = 0;

  // auditedFiles ignores explicit files it has no grammar for; a user who named one should hear why.
  const paths = unique((options.paths?.length ? options.paths : [root]).map((p) => path.resolve(root, p)));
  for (const p of paths) {
    if (!grammarForPath(p) && isFile(p)) skipped.push({ path: p, reason: 'not a Dart, Swift or TypeScript/JavaScript file' });
  }

  const walk = auditedFiles(
    { root, paths, exclude: options.exclude, maxFileSizeKb: options.maxFileSizeKb },
    (skip) => skipped.push(skip),
  );
  const seen = new Set<string>();
  const pending: { file: AuditedFile; text: Promise<string> }[] = [];
  const next = async (): Promise<boolean> => {
    for (;;) {
      const item = await walk.next();
      if (item.done) return false;
      // A file named both directly and through its folder is audited once.
      if (seen.has(item.value.path)) continue;
      seen.add(item.value.path);
      const text = fs.promises.readFile(item.value.path, 'utf8');
      text.catch(() => {}); // handled when its turn comes; avoids an unhandled-rejection warning meanwhile
      pending.push({ file: item.value, text });
      return true;
    }
  };

  let more = true;
  while (more || pending.length > 0) {
    while (more && pending.length < READ_AHEAD) more = await next();
    const entry = pending.shift();
    if (!entry) break;
    const { file } = entry;
    let text: string;
    try {
      text = stripBom(await entry.text);
    } catch (error) {
      const gone = (error as NodeJS.ErrnoException).code === 'ENOENT';
      skipped.push({ path: file.path, reason: gone ? 'deleted during the scan' : `cannot be read: ${(error as Error).message}` });
      continue;
    }
    if (looksBinary(text)) {
      skipped.push({ path: file.path, reason: 'binary file (contains NUL bytes)' });
      continue;
    }
    const result = engine.analyze(
      { id: file.path, relativePath: file.relativePath, grammar: file.grammar, text },
      { rules: ruleSettings, workspace },
    );
    if (result.skipped) {
      skipped.push({ path: file.path, reason: result.skipped });
      continue;
    }
    files++;
    workspace.setPinSets(file.path, result.pinSets);
    for (const f of result.findings) findings.push({ ...f, path: file.path, relativePath: file.relativePath });
  }

  return {
    root,
    files,
    findings,
    skipped: skipped.map((s) => ({ path: path.resolve(root, s.path), reason: s.reason })),
    durationMs: performance.now() - started,
    rules: engine.rules,
    ruleSettings,
  };
}

/** Editors drop a UTF-8 byte-order mark; doing the same keeps CLI columns equal to the editor's. */
function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

function isFile(p: string): boolean {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}

function unique(paths: string[]): string[] {
  return [...new Set(paths)];
}

