/**
 * `pinning-audit scan --fix`: applies the preferred fixes that need no input (as the editor's
 * "Fix All" does) to the files on disk. A file is rewritten atomically (a temporary file beside
 * it, then a rename) and only when the fixed text parses with no ERROR or MISSING node.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Engine } from '../engine/analyze';
import { crypto } from '../engine/node-builtins';
import { auditedFiles, looksBinary } from '../engine/scan';
import type { RuleSettings } from '../engine/types';
import { fixAll, type AppliedFix } from '../fixes/fix-all';
import { displayPath } from './display-path';

export interface FixFilesOptions {
  root: string;
  paths?: string[];
  exclude?: string[];
  maxFileSizeKb?: number;
  rules?: RuleSettings;
}

export interface FixedFile {
  path: string;
  applied: AppliedFix[];
}

export interface FixReport {
  /** Files rewritten, with the fixes applied to each. */
  fixed: FixedFile[];
  /** Files left as they were, and why (the fixed text would not parse, the write failed…). */
  untouched: { path: string; reason: string }[];
}

const BOM = '\uFEFF';

export async function fixFiles(options: FixFilesOptions, engine: Engine): Promise<FixReport> {
  const report: FixReport = { fixed: [], untouched: [] };
  const root = path.resolve(options.root);
  const seen = new Set<string>();
  const walk = auditedFiles({ root, paths: options.paths, exclude: options.exclude, maxFileSizeKb: options.maxFileSizeKb });
  for await (const file of walk) {
    if (seen.has(file.path)) continue;
    seen.add(file.path);
    let original: string;
    let stat: fs.Stats;
    try {
      stat = await fs.promises.stat(file.path);
      original = await fs.promises.readFile(file.path, 'utf8');
    } catch {
      continue; // the scan that follows reports unreadable files
    }
    if (looksBinary(original)) continue;
    // Editors drop the byte-order mark; so do fixes, and the file gets it back.
    const bom = original.startsWith(BOM) ? BOM : '';
    const text = original.slice(bom.length);
    const result = fixAll(engine, { id: file.path, relativePath: file.relativePath, grammar: file.grammar, text }, { rules: options.rules });
    if (result.applied.length === 0) continue;
    if (!result.parsesCleanly) {
      report.untouched.push({ path: file.path, reason: 'not fixed: the fixed text would not parse (the file may have a syntax error already)' });
      continue;
    }
    try {
      writeAtomically(file.path, bom + result.text, stat);
      report.fixed.push({ path: file.path, applied: result.applied });
    } catch (error) {
      report.untouched.push({ path: file.path, reason: `not fixed: ${(error as Error).message}` });
    }
  }
  return report;
}

/**
 * Writes `text` to a temporary file in the target's folder and renames it over the target: a
 * reader sees the old file or the new one, never half of it. A symbolic link stays a link (its
 * target is replaced), the file keeps its mode, and a file changed since it was read is left alone.
 */
export function writeAtomically(file: string, text: string, readStat: fs.Stats): void {
  const target = fs.realpathSync(file);
  const temporary = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.${crypto().randomBytes(4).toString('hex')}.pinning-audit.tmp`);
  const mode = readStat.mode & 0o7777;
  const fd = fs.openSync(temporary, 'wx', mode);
  try {
    try {
      fs.writeFileSync(fd, text, 'utf8');
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.chmodSync(temporary, mode); // the umask may have narrowed it
    try {
      fs.chownSync(temporary, readStat.uid, readStat.gid); // run as root on someone else's file: keep the owner
    } catch {
      // Not permitted for an ordinary user, whose new file is theirs anyway.
    }
    const now = fs.statSync(target);
    if (now.mtimeMs !== readStat.mtimeMs || now.size !== readStat.size) throw new Error('the file changed while it was being fixed');
    fs.renameSync(temporary, target);
  } catch (error) {
    fs.rmSync(temporary, { force: true });
    throw error;
  }
}

/** One line per file, then the count: `src/http.ts: fixed 2 findings (trust-all-certificates)`. */
export function formatFixReport(report: FixReport, cwd: string): string {
  const lines: string[] = [];
  for (const file of report.fixed) {
    const rules = [...new Set(file.applied.map((a) => a.ruleId))].join(', ');
    const count = file.applied.length;
    lines.push(`${displayPath(file.path, cwd)}: fixed ${count} finding${count === 1 ? '' : 's'} (${rules})`);
  }
  for (const file of report.untouched) lines.push(`${displayPath(file.path, cwd)}: ${file.reason}`);
  const total = report.fixed.reduce((n, f) => n + f.applied.length, 0);
  const files = report.fixed.length;
  lines.push(`Fixed ${total} finding${total === 1 ? '' : 's'} in ${files} file${files === 1 ? '' : 's'}${report.untouched.length ? `; ${report.untouched.length} file${report.untouched.length === 1 ? '' : 's'} left untouched` : ''}.`);
  return lines.join('\n') + '\n';
}
