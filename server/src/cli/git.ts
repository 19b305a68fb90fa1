/**
 * What the CLI asks git, with local commands only (none contacts a remote): SARIF's
 * versionControlProvenance, and the lines changed since a ref for `scan --diff-base`.
 * Credentials in a remote URL never reach the report.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { SarifContext } from './format-sarif';

/** A git command's output, or undefined when git, the work tree or the value is missing. */
function gitOutput(cwd: string, args: string[]): string | undefined {
  try {
    // No external diff or text conversion programs, no pager: only git itself runs.
    return execFileSync('git', ['-c', 'core.quotepath=off', ...args], { cwd, stdio: ['ignore', 'pipe', 'ignore'], encoding: 'utf8', timeout: 30_000, maxBuffer: 256 * 1024 * 1024 });
  } catch {
    return undefined;
  }
}

export function gitProvenance(root: string): SarifContext['provenance'] | undefined {
  const git = (...args: string[]) => gitOutput(root, args)?.trim() || undefined;
  const remote = git('config', '--get', 'remote.origin.url');
  const repositoryUri = remote && repositoryUriOf(remote);
  if (!repositoryUri) return undefined;
  const revisionId = git('rev-parse', 'HEAD');
  const branch = git('rev-parse', '--abbrev-ref', 'HEAD');
  return { repositoryUri, ...(revisionId ? { revisionId } : {}), ...(branch && branch !== 'HEAD' ? { branch } : {}) };
}

/** A remote as a URI without user or password: `git@host:owner/repo.git` → `ssh://host/owner/repo.git`. */
export function repositoryUriOf(remote: string): string | undefined {
  const scp = /^(?:[^@/]+@)?([^:/]+):(?!\/)(.+)$/.exec(remote);
  if (scp) return `ssh://${scp[1]}/${scp[2]}`;
  try {
    const url = new URL(remote);
    url.username = '';
    url.password = '';
    return url.href;
  } catch {
    return undefined;
  }
}

/** Per absolute file path, the 1-based lines added or changed since `ref`; files new since then (untracked ones too) as `all`. */
export type ChangedLines = Map<string, Set<number> | 'all'>;

export class GitDiffError extends Error {}

/** The lines `git diff <ref>` shows as added in the work tree under `root`, and the untracked files. */
export function changedLinesSince(root: string, ref: string): ChangedLines {
  const shown = gitOutput(root, ['rev-parse', '--show-toplevel'])?.trim();
  if (!shown) throw new GitDiffError(`${root} is not in a git work tree`);
  const top = fs.realpathSync(shown);
  if (gitOutput(root, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]) === undefined) throw new GitDiffError(`'${ref}' is not a commit of this repository`);
  const diff = gitOutput(top, ['diff', '--no-ext-diff', '--no-textconv', '--no-color', '--unified=0', ref, '--']);
  if (diff === undefined) throw new GitDiffError(`git diff ${ref} failed`);
  const changed: ChangedLines = new Map();
  let file: string | undefined;
  for (const line of diff.split('\n')) {
    if (line.startsWith('+++ ')) {
      file = line === '+++ /dev/null' ? undefined : path.join(top, line.slice(line.startsWith('+++ b/') ? 6 : 4));
      continue;
    }
    const hunk = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@/.exec(line);
    if (!hunk || !file) continue;
    const start = Number(hunk[1]);
    const count = hunk[2] === undefined ? 1 : Number(hunk[2]);
    let lines = changed.get(file);
    if (lines === 'all') continue;
    if (!lines) changed.set(file, (lines = new Set()));
    for (let n = start; n < start + count; n++) lines.add(n);
  }
  for (const untracked of (gitOutput(top, ['ls-files', '--others', '--exclude-standard']) ?? '').split('\n').filter(Boolean)) {
    changed.set(path.join(top, untracked), 'all');
  }
  return changed;
}

/** Whether the 1-based `line` of `file` is among the changed lines (paths compared after resolving links, as git reports them). */
export function isChangedLine(changed: ChangedLines, file: string, line: number): boolean {
  let real = file;
  try {
    real = fs.realpathSync(file);
  } catch {
    // gone since the scan: compared as written
  }
  const lines = changed.get(real) ?? changed.get(file);
  return lines === 'all' || (lines !== undefined && lines.has(line));
}
