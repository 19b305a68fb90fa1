/**
 * The command-line grammar every command shares (`--opt value`, `--opt=value`, short aliases,
 * `--` ends options), and the option values several commands read alike. Each throws the
 * calling command's usage error, so its message and exit code stay the command's own.
 */

import { EXIT_OK, EXIT_USAGE } from './exit-codes';
import type { CliIo } from './io';

export type UsageErrorClass = new (message: string) => Error;

/**
 * A subcommand's arguments, parsed; or, when they are wrong or ask for help, the exit code after
 * printing the error (with the pointer to `--help`) or the help.
 */
export function commandArguments<T extends { help: boolean }>(
  command: string,
  args: readonly string[],
  parse: (args: readonly string[]) => T,
  Usage: UsageErrorClass,
  help: string,
  io: CliIo,
): T | number {
  let parsed: T;
  try {
    parsed = parse(args);
  } catch (error) {
    if (!(error instanceof Usage)) throw error;
    io.stderr(`pinning-audit: ${error.message}\nRun 'pinning-audit ${command} --help' for usage.\n`);
    return EXIT_USAGE;
  }
  if (!parsed.help) return parsed;
  io.stdout(help);
  return EXIT_OK;
}

export interface OptionGrammar {
  /** Options followed by a value. */
  values: readonly string[];
  /** Options that take none. */
  flags: readonly string[];
  /** Short forms: `-f` → `--format`. */
  aliases?: Readonly<Record<string, string>>;
  /** The message for an option that is neither. */
  unknown: (name: string) => string;
  Usage: UsageErrorClass;
}

/**
 * Walks a command's arguments: each option with its value (undefined for a flag) to `option`,
 * everything else to `positional`, in order.
 */
export function readArguments(
  args: readonly string[],
  grammar: OptionGrammar,
  option: (name: string, value: string | undefined) => void,
  positional: (arg: string) => void,
): void {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--') {
      args.slice(i + 1).forEach(positional);
      return;
    }
    if (!arg.startsWith('-') || arg === '-') {
      positional(arg);
      continue;
    }
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const name = grammar.aliases?.[arg] ?? (eq > 0 ? arg.slice(0, eq) : arg);
    if (grammar.flags.includes(name)) {
      if (eq > 0) throw new grammar.Usage(`option ${name} takes no value`);
      option(name, undefined);
    } else if (grammar.values.includes(name)) {
      if (eq > 0) option(name, arg.slice(eq + 1));
      else if (i + 1 < args.length) option(name, args[++i]);
      else throw new grammar.Usage(`option ${name} needs a value`);
    } else {
      throw new grammar.Usage(grammar.unknown(name));
    }
  }
}

export const MAX_TIMEOUT_MS = 600_000;

export function timeoutMsOption(value: string, Usage: UsageErrorClass): number {
  const ms = /^\d+$/.test(value) ? Number(value) : NaN;
  if (!(ms >= 1 && ms <= MAX_TIMEOUT_MS)) throw new Usage(`--timeout must be a whole number of milliseconds from 1 to ${MAX_TIMEOUT_MS}`);
  return ms;
}

export function textOrJsonOption(value: string, Usage: UsageErrorClass): 'text' | 'json' {
  if (value !== 'text' && value !== 'json') throw new Usage(`--format must be text or json, not '${value}'`);
  return value;
}
