import { ALL_RULES } from '../rules';
import { LEVELS, type Level, type RuleSetting, type RuleSettings } from '../engine/types';
import { readArguments, type OptionGrammar } from './options';

export type OutputFormat = 'text' | 'json' | 'sarif' | 'gitlab';
export type FailOn = Level | 'none';

export const FORMATS: readonly OutputFormat[] = ['text', 'json', 'sarif', 'gitlab'];
export const FAIL_ON: readonly FailOn[] = [...LEVELS, 'none'];

export interface ScanArgs {
  paths: string[];
  format: OutputFormat;
  output?: string;
  failOn: FailOn;
  exclude: string[];
  maxFileSizeKb?: number;
  /** Days before a pin set's expiry that pin-set-expired warns (--rotation-warning-days). */
  rotationWarningDays?: number;
  /** Report and fail only on findings this earlier JSON or SARIF report does not hold. */
  baseline?: string;
  /** Write the scan's JSON report here, to serve as a baseline later. */
  writeBaseline?: string;
  /** Report only findings on lines changed since this git ref (pull requests). */
  diffBase?: string;
  /** Threads to audit with (--jobs); undefined: one per core. */
  jobs?: number;
  /** Reuse and update the results of earlier scans (--cache). */
  cache: boolean;
  /** Where the cache is (--cache-location): a file, or a folder to hold one; default .pinningauditcache. */
  cacheLocation?: string;
  rules: RuleSettings;
  quiet: boolean;
  /** Apply the preferred fixes that need no input to the files before scanning them. */
  fix: boolean;
  /** False when --no-color was given; whether to color also depends on the terminal. */
  color: boolean;
  help: boolean;
  version: boolean;
}

/** A mistake in the command line: reported on stderr with exit code 2. */
export class UsageError extends Error {}

const SCAN_OPTIONS: OptionGrammar = {
  values: ['--format', '--output', '--fail-on', '--exclude', '--max-file-size-kb', '--rotation-warning-days', '--jobs', '--rule', '--baseline', '--write-baseline', '--diff-base', '--cache-location'],
  flags: ['--quiet', '--fix', '--cache', '--no-color', '--help', '--version'],
  aliases: { '-f': '--format', '-o': '--output', '-q': '--quiet', '-h': '--help', '-v': '--version' },
  unknown: (name) => `unknown option ${name}`,
  Usage: UsageError,
};

/** Parses the arguments after `scan`. Accepts `--opt value` and `--opt=value`; `--` ends options. */
export function parseScanArgs(args: readonly string[]): ScanArgs {
  const parsed: ScanArgs = {
    paths: [],
    format: 'text',
    failOn: 'error',
    exclude: [],
    rules: {},
    cache: false,
    quiet: false,
    fix: false,
    color: true,
    help: false,
    version: false,
  };
  readArguments(args, SCAN_OPTIONS, (name, value) => {
    switch (name) {
      case '--format':
        parsed.format = oneOf(value!, FORMATS, '--format');
        break;
      case '--output':
        if (value === '') throw new UsageError('--output needs a file name');
        parsed.output = value;
        break;
      case '--fail-on':
        parsed.failOn = oneOf(value!, FAIL_ON, '--fail-on');
        break;
      case '--exclude':
        if (value === '') throw new UsageError('--exclude needs a glob');
        parsed.exclude.push(value!);
        break;
      case '--max-file-size-kb':
        parsed.maxFileSizeKb = positiveNumber(value!, '--max-file-size-kb');
        break;
      case '--rotation-warning-days': {
        const days = Number(value);
        if (value!.trim() === '' || !Number.isInteger(days) || days < 0) throw new UsageError(`--rotation-warning-days must be a whole number of days (got '${value}')`);
        parsed.rotationWarningDays = days;
        break;
      }
      case '--diff-base':
        if (value === '') throw new UsageError('--diff-base needs a git ref');
        parsed.diffBase = value;
        break;
      case '--baseline':
      case '--write-baseline':
        if (value === '') throw new UsageError(`${name} needs a file name`);
        if (name === '--baseline') parsed.baseline = value;
        else parsed.writeBaseline = value;
        break;
      case '--jobs':
        parsed.jobs = positiveNumber(value!, '--jobs');
        if (!Number.isInteger(parsed.jobs)) throw new UsageError(`--jobs must be a whole number (got '${value}')`);
        break;
      case '--rule': {
        const [id, setting] = ruleSetting(value!);
        parsed.rules[id] = setting;
        break;
      }
      case '--cache':
        parsed.cache = true;
        break;
      case '--cache-location':
        if (value === '') throw new UsageError('--cache-location needs a file or folder name');
        parsed.cacheLocation = value;
        break;
      case '--quiet':
        parsed.quiet = true;
        break;
      case '--fix':
        parsed.fix = true;
        break;
      case '--no-color':
        parsed.color = false;
        break;
      case '--help':
        parsed.help = true;
        break;
      case '--version':
        parsed.version = true;
        break;
    }
  }, (path) => parsed.paths.push(path));
  if (parsed.cacheLocation !== undefined && !parsed.cache) throw new UsageError('--cache-location is only read with --cache');
  return parsed;
}

function oneOf<T extends string>(value: string, allowed: readonly T[], option: string): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`${option} must be one of ${allowed.join(', ')} (got '${value}')`);
}

function positiveNumber(value: string, option: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n <= 0) throw new UsageError(`${option} must be a positive number (got '${value}')`);
  return n;
}

/** `id=off|error|warning|note`, for a rule that exists: a typo must not silently do nothing. */
function ruleSetting(value: string): [string, RuleSetting] {
  const eq = value.indexOf('=');
  if (eq <= 0) throw new UsageError(`--rule expects id=off|error|warning|note (got '${value}')`);
  const id = value.slice(0, eq).trim();
  const setting = value.slice(eq + 1).trim();
  if (!ALL_RULES.some((r) => r.meta.id === id)) {
    throw new UsageError(`unknown rule '${id}' (rules: ${ALL_RULES.map((r) => r.meta.id).join(', ')})`);
  }
  return [id, oneOf(setting, ['off', ...LEVELS] as const, `--rule ${id}`)];
}
