/**
 * SARIF's versionControlProvenance for a scan of a git work tree: the remote, the commit and the
 * branch, read with local git commands only. Credentials in a remote URL never reach the report.
 */
import { execFileSync } from 'node:child_process';
import type { SarifContext } from './format-sarif';

export function gitProvenance(root: string): SarifContext['provenance'] | undefined {
  const git = (...args: string[]) => {
    try {
      return execFileSync('git', args, { cwd: root, stdio: ['ignore', 'pipe', 'ignore'], encoding: 'utf8', timeout: 5000 }).trim() || undefined;
    } catch {
      return undefined; // no git, not a work tree, no such value
    }
  };
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
