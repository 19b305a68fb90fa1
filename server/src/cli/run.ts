import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Level } from '../engine/types';
import { parseScanArgs, UsageError, type FailOn, type ScanArgs } from './args';
import { Engine } from '../engine/analyze';
import { displayPath } from './display-path';
import { fixFiles, formatFixReport } from './fix';
import { GENERAL_HELP, SCAN_HELP } from './help';
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE } from './exit-codes';
import type { CliIo } from './io';
import { formatGitlab } from './format-gitlab';
import { formatJson } from './format-json';
import { formatSarif } from './format-sarif';
import { applyBaseline, BaselineError, readBaseline } from './baseline';
import { formatSkipped, formatText } from './format-text';
import { scanWorkspace, type ScanReport } from './scan';
import { cacheFilePath } from './cache-location';
import { toolVersion } from './version';

/** Entry point for `pinning-audit ARGS…`; returns the exit code. */
export async function runCli(args: readonly string[], io: CliIo): Promise<number> {
  const [command, ...rest] = args;
  switch (command) {
    case undefined:
      io.stderr(GENERAL_HELP);
      return EXIT_USAGE;
    case '--help':
    case '-h':
    case 'help':
      io.stdout(GENERAL_HELP);
      return EXIT_OK;
    case '--version':
    case '-v':
      io.stdout(`${toolVersion()}\n`);
      return EXIT_OK;
    case 'scan':
      return runScan(rest, io);
    case 'spki': {
      // Loaded on demand: the X.509 code is not needed to scan, and scans should start fast.
      const { runSpki } = await import('./spki.js');
      return runSpki(rest, io);
    }
    case 'verify': {
      const { runVerify } = await import('./verify.js');
      return runVerify(rest, io);
    }
    case 'backup-key': {
      const { runBackupKey } = await import('./backup-key.js');
      return runBackupKey(rest, io);
    }
    default:
      return usageError(
        io,
        command.startsWith('-') ? `unknown option ${command} (options go after the command)` : `unknown command '${command}'`,
      );
  }
}

async function runScan(args: readonly string[], io: CliIo): Promise<number> {
  let options: ScanArgs;
  try {
    options = parseScanArgs(args);
  } catch (error) {
    if (error instanceof UsageError) return usageError(io, error.message, 'scan');
    throw error;
  }
  if (options.help) {
    io.stdout(SCAN_HELP());
    return EXIT_OK;
  }
  if (options.version) {
    io.stdout(`${toolVersion()}\n`);
    return EXIT_OK;
  }

  const paths = (options.paths.length ? options.paths : ['.']).map((p) => path.resolve(io.cwd, p));
  for (const p of paths) {
    const problem = unreadable(p);
    if (problem) {
      io.stderr(`pinning-audit: ${displayPath(p, io.cwd)}: ${problem}\n`);
      return EXIT_USAGE;
    }
  }
  // SARIF URIs and exclude globs are relative to the scanned folder when there is exactly one.
  const root = paths.length === 1 && fs.statSync(paths[0]).isDirectory() ? paths[0] : io.cwd;

  if (options.fix) {
    // Only the fixes need grammars on this thread: the scan loads its own, on worker threads.
    const engine = await Engine.create();
    const fixed = await fixFiles({ root, paths, exclude: options.exclude, maxFileSizeKb: options.maxFileSizeKb, rules: options.rules }, engine);
    io.stderr(formatFixReport(fixed, io.cwd));
  }
  const cacheFile = options.cache ? cacheFilePath(options.cacheLocation, io.cwd) : undefined;
  const report = await scanWorkspace({
    root,
    paths,
    exclude: options.exclude,
    maxFileSizeKb: options.maxFileSizeKb,
    rotationWarningDays: options.rotationWarningDays,
    rules: options.rules,
    jobs: options.jobs,
    fixes: options.format === 'sarif',
    ...(cacheFile ? { cacheFile, cacheLabel: displayPath(cacheFile, io.cwd) } : {}),
    warn: (line) => io.stderr(`pinning-audit: ${line}\n`),
  });
  if (cacheFile && io.env?.[DEBUG_VARIABLE]?.split(',').includes('cache')) {
    io.stderr(`pinning-audit: cache: ${report.cachedFiles} of ${report.files} files from ${displayPath(cacheFile, io.cwd)}, ${report.parsedFiles} parsed\n`);
  }

  if (options.diffBase) {
    // git.ts (and child_process) only for the options that run git: other scans start without them.
    const { changedLinesSince, GitDiffError, isChangedLine } = await import('./git.js');
    try {
      const changed = changedLinesSince(root, options.diffBase);
      report.findings = report.findings.filter((f) => isChangedLine(changed, f.path, f.range.start.line + 1));
    } catch (error) {
      if (!(error instanceof GitDiffError)) throw error;
      io.stderr(`pinning-audit: --diff-base: ${error.message}\n`);
      return EXIT_USAGE;
    }
  }
  if (options.baseline) {
    try {
      applyBaseline(report, readBaseline(path.resolve(io.cwd, options.baseline)));
    } catch (error) {
      if (!(error instanceof BaselineError)) throw error;
      io.stderr(`pinning-audit: ${error.message}\n`);
      return EXIT_USAGE;
    }
  }
  if (options.writeBaseline) {
    try {
      fs.writeFileSync(path.resolve(io.cwd, options.writeBaseline), formatJson(report, io.cwd));
    } catch (error) {
      io.stderr(`pinning-audit: cannot write ${options.writeBaseline}: ${(error as Error).message}\n`);
      return EXIT_USAGE;
    }
  }

  const formatted = await format(report, options, io.cwd, useColor(options, io));
  if (options.format === 'text') io.stderr(formatSkipped(report.skipped, io.cwd));
  if (options.output) {
    const target = path.resolve(io.cwd, options.output);
    try {
      fs.writeFileSync(target, formatted);
    } catch (error) {
      io.stderr(`pinning-audit: cannot write ${options.output}: ${(error as Error).message}\n`);
      return EXIT_USAGE;
    }
  } else {
    io.stdout(formatted);
  }
  return fails(report, options.failOn) ? EXIT_FINDINGS : EXIT_OK;
}

async function format(report: ScanReport, options: ScanArgs, cwd: string, color: boolean): Promise<string> {
  switch (options.format) {
    case 'json':
      return formatJson(report, cwd);
    case 'sarif': {
      const { gitProvenance } = await import('./git.js');
      return formatSarif(report, toolVersion(), { provenance: gitProvenance(report.root) });
    }
    case 'gitlab':
      return formatGitlab(report, toolVersion());
    case 'text':
      return formatText(report, { cwd, color, quiet: options.quiet });
  }
}

/** `PINNING_AUDIT_DEBUG=cache`: one line on stderr with what `--cache` saved (files from the cache, files parsed). */
export const DEBUG_VARIABLE = 'PINNING_AUDIT_DEBUG';

/** Colors only for a person at a terminal: not into files or pipes, and never when NO_COLOR is set. */
export function useColor(options: Pick<ScanArgs, 'color' | 'output'>, io: CliIo): boolean {
  return options.color && !options.output && io.stdoutIsTty === true && !io.env?.NO_COLOR;
}

const SEVERITY: Record<Level, number> = { error: 3, warning: 2, note: 1 };

/** Whether an unsuppressed finding is at or above the --fail-on level. */
export function fails(report: ScanReport, failOn: FailOn): boolean {
  if (failOn === 'none') return false;
  return report.findings.some((f) => !f.suppressed && !f.baselined && SEVERITY[f.level] >= SEVERITY[failOn]);
}

/** Why `p` cannot be scanned, or undefined when it can. */
function unreadable(p: string): string | undefined {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(p);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return 'no such file or folder';
    return (error as Error).message;
  }
  try {
    fs.accessSync(p, stat.isDirectory() ? fs.constants.R_OK | fs.constants.X_OK : fs.constants.R_OK);
  } catch {
    return 'permission denied';
  }
  return undefined;
}

function usageError(io: CliIo, message: string, command?: string): number {
  const helpHint = command ? `pinning-audit ${command} --help` : 'pinning-audit --help';
  io.stderr(`pinning-audit: ${message}\nRun '${helpHint}' for usage.\n`);
  return EXIT_USAGE;
}
