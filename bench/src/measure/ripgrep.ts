import { execFileSync, spawnSync } from 'node:child_process';
import { median } from '../stats';
import { runCommand, usageMedians, type CommandRun } from './run-command';

export interface RipgrepResult {
  version: string;
  pattern: string;
  runs: number[];
  wallMs: number;
  /** Medians of the runs' CPU time (user + system, all of rg's threads), its system part and page faults (`usageMedians`). */
  cpuMs: number;
  systemMs: number;
  minorFaults: number;
  /** Files holding a trigger word: what a scan has to look at more closely. */
  matchedFiles: number;
}

export const AUDITED_GLOBS = ['*.dart', '*.swift', '*.ts', '*.mts', '*.cts', '*.tsx', '*.js', '*.mjs', '*.cjs', '*.jsx', '!*.d.ts'];

/** rg from Debian's `ripgrep`, installed when missing (the benchmark runs as root on CI machines). */
export function ensureRipgrep(): string {
  const probe = spawnSync('rg', ['--version'], { encoding: 'utf8' });
  if (probe.status === 0) return probe.stdout.split('\n')[0];
  console.error('rg not found: installing Debian ripgrep…');
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
  execFileSync('apt-get', ['install', '-y', '-qq', 'ripgrep'], { stdio: 'inherit' });
  return execFileSync('rg', ['--version'], { encoding: 'utf8' }).split('\n')[0];
}

/**
 * One rg pass over the files the scan audits, for the rules' trigger words (case-insensitive,
 * first match per file, as the scan's own pre-filter): the floor for reading the tree once.
 * `--no-ignore --hidden` because the scan reads hidden folders and ignores no .gitignore; the
 * skipped folders are the scan's own list.
 */
export async function measureRipgrep(workspace: string, pattern: string, skippedFolders: readonly string[], runs: number): Promise<RipgrepResult> {
  const version = ensureRipgrep();
  const args = [
    '--files-with-matches', '--no-ignore', '--hidden', '--ignore-case', '--no-messages',
    ...AUDITED_GLOBS.flatMap((g) => ['--glob', g]),
    ...skippedFolders.flatMap((f) => ['--glob', `!${f}/`]),
    '--regexp', pattern, workspace,
  ];
  const listed = await runCommand('rg', args, { captureStdout: true }); // also warms the page cache
  if (listed.exitCode !== 0 && listed.exitCode !== 1) throw new Error(`rg failed (${listed.exitCode}): ${listed.stderr}`);
  const matchedFiles = listed.stdout.split('\n').filter(Boolean).length;
  const timed: CommandRun[] = [];
  // Output goes to a pipe: rg treats a stdout of /dev/null like --quiet and stops at the first match.
  for (let i = 0; i < runs; i++) timed.push(await runCommand('rg', args, { captureStdout: true }));
  const samples = timed.map((run) => run.wallMs);
  return { version, pattern, runs: samples, wallMs: median(samples), ...usageMedians(timed), matchedFiles };
}
