import * as fs from 'node:fs';
import * as path from 'node:path';
import { fetchChain, formatTarget } from '../../../common/certs/fetch-chain';
import { hostCheckFromError, hostCheckFromFetch, type HostCheck } from '../../../common/pins/host-check';
import { Parsers } from '../engine/parser';
import { DEFAULT_MAX_FILE_SIZE_KB, walkAuditedFiles } from '../engine/scan';
import { decoder, readSourceFile } from '../engine/source-bytes';
import type { Finding } from '../engine/types';
import type { PinSet } from '../engine/workspace';
import { TriggerSet } from '../engine/trigger-set';
import { pinSetTriggers } from '../facts/pin-sets';
import { familyOf, type Family } from '../engine/languages';
import { fetchKey, hostTies, type HostTie } from '../pins/host-ties';
import { withParsedPinFile } from '../pins/parsed-pin-file';
import { verifyPinSet, type PinSetVerificationResult, type RotationState } from '../pins/verify-pins';
import { displayPath } from './display-path';
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE } from './exit-codes';
import type { CliIo } from './io';
import { commandArguments, readArguments, textOrJsonOption, timeoutMsOption, type OptionGrammar } from './options';

export const VERIFY_HELP = `Usage: pinning-audit verify [PATH...] [options]

Checks pins against the hosts they are for. Finds the pin sets tied to a host
(entries of maps keyed by host name, and sets named with --host) under each
PATH (default: the current folder), connects to each host once (a TLS
handshake only: no request is sent) and compares the pins with the chain the
host serves.

Options:
      --host NAME=HOST[:PORT]    Tie the pin set NAME, or the map entry for host
                                 NAME, to a host or https:// URL (like the
                                 pinningAudit.hosts setting). Repeatable.
      --ca FILE                  Also trust the CA certificates in this PEM file
                                 when checking the chain. Repeatable.
      --rotation-warning-days N  Warn when a pinned certificate expires within
                                 N days (default: 30)
      --timeout MS               Give up on a host after MS milliseconds
                                 (default: 10000)
  -f, --format text|json         Output format (default: text)
  -h, --help                     Show this help

Reported: no-pin-matches-host (error) for a set none of whose pins the host
serves, stale-pin (warning) for a pin matching nothing served, and
pinned-certificate-expiring (warning). A host that cannot be reached is
reported and does not change the exit code.

Exit codes: 0 every reachable host matches a pin of each of its sets, 1 a pin
set has no pin matching its live host, 2 usage error or unreadable PATH.
`;

/** `verify` fails (exit 1) when a pin set has no pin that matches its host. */
const EXIT_NO_MATCH = EXIT_FINDINGS;
/** Hosts checked at the same time. */
const PARALLEL_FETCHES = 4;

interface VerifyArgs {
  paths: string[];
  hosts: Record<string, string>;
  caFiles: string[];
  rotationWarningDays: number;
  timeoutMs: number;
  format: 'text' | 'json';
  help: boolean;
}

class VerifyUsageError extends Error {}

interface CheckedSet {
  tie: HostTie;
  check: HostCheck;
  result: PinSetVerificationResult;
}

/** What `--format json` prints. */
export interface VerifyReport {
  pinSets: Array<{
    path: string;
    line: number;
    column: number;
    name?: string;
    host: string;
    target: string;
    status: PinSetVerificationResult['status'];
    matched: number;
    total: number;
    leafExpiresInDays?: number;
    /** Live, backup and stale pins (absent when the host could not be reached). */
    rotation?: Record<RotationState, number>;
    /** Days until the set's own expiration date, when it has one. */
    pinSetExpiresInDays?: number;
    verified?: boolean;
    error?: string;
    summary: string;
    findings: Array<{ ruleId: string; level: string; message: string; path: string; line: number; column: number; endLine: number; endColumn: number }>;
  }>;
  skipped: Array<{ name: string; path?: string; reason: string }>;
  summary: { pinSets: number; hosts: number; ok: number; noMatch: number; unreachable: number };
}

/** `pinning-audit verify ARGS…`; returns the exit code. */
export async function runVerify(args: readonly string[], io: CliIo): Promise<number> {
  const options = commandArguments('verify', args, parseVerifyArgs, VerifyUsageError, VERIFY_HELP, io);
  if (typeof options === 'number') return options;

  const paths = (options.paths.length ? options.paths : ['.']).map((p) => path.resolve(io.cwd, p));
  for (const p of paths) {
    if (!fs.existsSync(p)) {
      io.stderr(`pinning-audit: ${displayPath(p, io.cwd)}: no such file or folder\n`);
      return EXIT_USAGE;
    }
  }
  const ca: string[] = [];
  for (const file of options.caFiles) {
    let pem: string;
    try {
      pem = fs.readFileSync(path.resolve(io.cwd, file), 'utf8');
    } catch (error) {
      io.stderr(`pinning-audit: cannot read --ca ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}\n`);
      return EXIT_USAGE;
    }
    if (!pem.includes('-----BEGIN CERTIFICATE-----')) {
      io.stderr(`pinning-audit: --ca ${file} holds no PEM certificate\n`);
      return EXIT_USAGE;
    }
    ca.push(pem);
  }

  const root = paths.length === 1 && fs.statSync(paths[0]).isDirectory() ? paths[0] : io.cwd;
  const sets = await collectPinSets(root, paths);
  const { ties, skipped } = hostTies(sets, options.hosts);

  // One handshake per target and SNI name, a few at a time.
  const targets = new Map<string, HostTie>();
  for (const tie of ties) if (!targets.has(fetchKey(tie))) targets.set(fetchKey(tie), tie);
  const checks = new Map<string, HostCheck>();
  await forEachLimited([...targets], PARALLEL_FETCHES, async ([key, tie]) => {
    const { host, port } = tie.target;
    try {
      const result = await fetchChain({ host, port, servername: tie.servername, timeoutMs: options.timeoutMs, ca });
      checks.set(key, hostCheckFromFetch(result, tie.servername, new Date()));
    } catch (error) {
      checks.set(key, hostCheckFromError(formatTarget(host, port), tie.servername, error, new Date()));
    }
  });
  const now = new Date();
  const checked: CheckedSet[] = ties.map((tie) => {
    const check = checks.get(fetchKey(tie))!;
    return { tie, check, result: verifyPinSet(tie.set, tie.host, check, { now, rotationWarningDays: options.rotationWarningDays }) };
  });

  const report = buildReport(checked, skipped, checks.size, io.cwd);
  io.stdout(options.format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : formatVerifyText(report));
  return report.summary.noMatch > 0 ? EXIT_NO_MATCH : EXIT_OK;
}

/** Every pin set in the Dart, Swift, TS/JS and platform config files under `paths`. */
async function collectPinSets(root: string, paths: string[]): Promise<PinSet[]> {
  const parsers = await Parsers.load();
  const triggers = new Map<Family, TriggerSet>();
  const triggersOf = (family: Family) => triggers.get(family) ?? triggers.set(family, TriggerSet.compile([pinSetTriggers(family)])).get(family)!;
  const sets: PinSet[] = [];
  const seen = new Set<string>();
  for (const file of walkAuditedFiles({ root, paths })) {
    if (seen.has(file.path)) continue;
    seen.add(file.path);
    // The scan command reports files it cannot read (too large, binary, unreadable); verify only needs the others.
    const source = readSourceFile(file.path, DEFAULT_MAX_FILE_SIZE_KB * 1024);
    if ('reason' in source) continue;
    const decode = decoder(source);
    if (!triggersOf(familyOf(file.grammar)).matchBytes(source.bytes, decode)[0]) continue;
    try {
      sets.push(...withParsedPinFile(parsers, { id: file.path, relativePath: file.relativePath, grammar: file.grammar, text: decode() }, (parsed) => parsed.pinSets));
    } catch {
      // Too broken to parse in time (the scan command reports it): it holds no pin set we can check.
    }
  }
  return sets;
}

function buildReport(checked: CheckedSet[], skipped: ReturnType<typeof hostTies>['skipped'], hosts: number, cwd: string): VerifyReport {
  const toPath = (file: string) => displayPath(file, cwd).split(path.sep).join('/');
  const toJson = (f: Finding, file: string) => ({
    ruleId: f.ruleId,
    level: f.level,
    message: f.message,
    path: toPath(file),
    line: f.range.start.line + 1,
    column: f.range.start.character + 1,
    endLine: f.range.end.line + 1,
    endColumn: f.range.end.character + 1,
  });
  return {
    pinSets: checked.map(({ tie, check, result }) => ({
      path: toPath(tie.set.file),
      line: tie.set.range.start.line + 1,
      column: tie.set.range.start.character + 1,
      ...(tie.set.name !== undefined ? { name: tie.set.name } : {}),
      host: tie.host,
      target: check.target,
      status: result.status,
      matched: result.matched,
      total: result.total,
      ...(result.leafExpiresInDays !== undefined ? { leafExpiresInDays: result.leafExpiresInDays } : {}),
      ...(result.rotation ? { rotation: result.rotation } : {}),
      ...(result.pinSetExpiresInDays !== undefined ? { pinSetExpiresInDays: result.pinSetExpiresInDays } : {}),
      ...(check.verified !== undefined ? { verified: check.verified } : {}),
      ...(check.error !== undefined ? { error: check.error } : {}),
      summary: result.summary,
      findings: result.findings.map((f) => toJson(f, tie.set.file)),
    })),
    skipped: skipped.map((s) => ({ name: s.name, ...(s.set ? { path: toPath(s.set.file) } : {}), reason: s.reason })),
    summary: {
      pinSets: checked.length,
      hosts,
      ok: checked.filter((c) => c.result.status === 'ok').length,
      noMatch: checked.filter((c) => c.result.status === 'noMatch').length,
      unreachable: checked.filter((c) => c.result.status === 'unreachable').length,
    },
  };
}

/** Per set: `path:line:col name: summary`, its findings indented below, then skipped entries and a count line. */
export function formatVerifyText(report: VerifyReport): string {
  const lines: string[] = [];
  for (const set of report.pinSets) {
    lines.push(`${set.path}:${set.line}:${set.column} ${set.name ?? '(pin set)'}: ${set.summary}`);
    for (const f of set.findings) lines.push(`  ${f.path}:${f.line}:${f.column} ${f.level} ${f.ruleId} ${f.message}`);
  }
  for (const skip of report.skipped) lines.push(`skipped ${skip.name}${skip.path ? ` (${skip.path})` : ''}: ${skip.reason}`);
  const { pinSets, hosts, ok, noMatch, unreachable } = report.summary;
  if (pinSets === 0) {
    lines.push('No pin set is tied to a host: key a map by host name, or name a set with --host NAME=HOST.');
  } else {
    lines.push('', `${pinSets} pin set${pinSets === 1 ? '' : 's'} checked against ${hosts} host${hosts === 1 ? '' : 's'}: ` +
      `${ok} matching, ${noMatch} with no matching pin, ${unreachable} not reachable`);
  }
  return `${lines.join('\n')}\n`;
}

async function forEachLimited<T>(items: readonly T[], limit: number, run: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await run(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

const VERIFY_OPTIONS: OptionGrammar = {
  values: ['--host', '--ca', '--rotation-warning-days', '--timeout', '--format'],
  flags: ['--help'],
  aliases: { '-f': '--format', '-h': '--help' },
  unknown: (name) => `unknown option ${name} for verify`,
  Usage: VerifyUsageError,
};

function parseVerifyArgs(args: readonly string[]): VerifyArgs {
  const parsed: VerifyArgs = { paths: [], hosts: {}, caFiles: [], rotationWarningDays: 30, timeoutMs: 10_000, format: 'text', help: false };
  readArguments(args, VERIFY_OPTIONS, (name, value = '') => {
    switch (name) {
      case '--host': {
        const split = value.indexOf('=');
        if (split <= 0 || split === value.length - 1) throw new VerifyUsageError(`--host needs NAME=HOST[:PORT], not '${value}'`);
        parsed.hosts[value.slice(0, split)] = value.slice(split + 1);
        break;
      }
      case '--ca':
        parsed.caFiles.push(value);
        break;
      case '--rotation-warning-days': {
        const days = /^\d+$/.test(value) ? Number(value) : NaN;
        if (!(days >= 0 && days <= 3650)) throw new VerifyUsageError('--rotation-warning-days must be a whole number of days from 0 to 3650');
        parsed.rotationWarningDays = days;
        break;
      }
      case '--timeout':
        parsed.timeoutMs = timeoutMsOption(value, VerifyUsageError);
        break;
      case '--format':
        parsed.format = textOrJsonOption(value, VerifyUsageError);
        break;
      case '--help':
        parsed.help = true;
        break;
    }
  }, (arg) => parsed.paths.push(arg));
  return parsed;
}
