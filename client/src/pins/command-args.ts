/**
 * The programmatic arguments of the pin commands (tests and code actions run them without UI),
 * checked here so a bad call fails with a clear message. Pure: no `vscode` import.
 */
import { isCertificateName } from '../../../common/host-name';
import { BACKUP_KEY_TYPES, parseBackupKeyType, type BackupKeyType } from '../../../common/keys/key-types';
import type { PinSetSelector } from '../../../common/protocol';
import type { PinAction } from './certificate-items';

export interface PinCommandArgs {
  certificateIndex?: number;
  action?: PinAction;
  pinSet?: PinSetSelector;
  createPinsFileIfMissing?: boolean;
  /** Replace the pin at this position (a quick fix on an invalid or stale pin) instead of adding one. */
  replace?: { file: string; range: Range };
}

export interface FetchPinsArgs extends PinCommandArgs {
  /** `host[:port]`, `https://…` or `wss://…`. */
  target?: string;
  servername?: string;
}

export interface CertificateFileArgs extends PinCommandArgs {
  /** Path of a PEM bundle or DER certificate. */
  file?: string;
}

/** "Create Backup Key…": each given value skips its prompt (tests, scripts, the quick fix's pin set). */
export interface BackupKeyArgs {
  pinSet?: PinSetSelector;
  type?: BackupKeyType;
  /** Folder for the key and CSR; relative paths resolve against the first workspace folder. */
  dir?: string;
  /** DNS names for the CSR; `[]` for none. */
  hosts?: string[];
  /** File name stem (`<name>.key.pem`, `<name>.csr.pem`). */
  name?: string;
  /** A scripted call must say so to save inside the workspace or a git repository. */
  saveInsideWorkspace?: boolean;
}

/** What "Create Backup Key…" returns; never the private key. */
export interface BackupKeyCommandResult {
  pin: string;
  type: BackupKeyType;
  keyPath: string;
  csrPath: string;
  inserted: boolean;
  /** File the pin went into. */
  file?: string;
}

export interface VerifyPinsArgs {
  /** Pin set name (or map host) → host, over `pinningAudit.hosts`. */
  hosts?: Record<string, string>;
  /** Only the set at this position (the CodeLens passes it). */
  pinSet?: { file: string; range: Range };
}

/** What the fetch and file commands return: the pin, and whether (and where) it was inserted. */
export interface PinCommandResult {
  pin: string;
  action: PinAction;
  inserted: boolean;
  /** Set when the set already held the pin. */
  alreadyPresent?: boolean;
  /** File the pin went into (or already was in), as a path. */
  file?: string;
}

type Range = { start: { line: number; character: number }; end: { line: number; character: number } };

const ACTIONS: readonly PinAction[] = ['insert', 'copy', 'copySha256'];

export function parseFetchPinsArgs(raw: unknown): FetchPinsArgs {
  const value = object(raw, 'fetchPins');
  const args: FetchPinsArgs = commonArgs(value, 'fetchPins');
  if (value.target !== undefined) args.target = string(value.target, 'target');
  if (value.servername !== undefined) args.servername = string(value.servername, 'servername');
  return args;
}

export function parseCertificateFileArgs(raw: unknown): CertificateFileArgs {
  const value = object(raw, 'pinFromCertificateFile');
  const args: CertificateFileArgs = commonArgs(value, 'pinFromCertificateFile');
  if (value.file !== undefined) args.file = string(value.file, 'file');
  return args;
}

export function parseBackupKeyArgs(raw: unknown): BackupKeyArgs {
  const value = object(raw, 'createBackupKey');
  const args: BackupKeyArgs = {};
  if (value.pinSet !== undefined) args.pinSet = pinSetSelector(value.pinSet);
  if (value.type !== undefined) {
    const type = parseBackupKeyType(string(value.type, 'type'));
    if (!type) throw new Error(`createBackupKey: type must be one of ${BACKUP_KEY_TYPES.map((t) => t.type).join(', ')}`);
    args.type = type;
  }
  if (value.dir !== undefined) args.dir = string(value.dir, 'dir');
  if (value.name !== undefined) args.name = string(value.name, 'name');
  if (value.hosts !== undefined) {
    if (!Array.isArray(value.hosts) || !value.hosts.every((h) => typeof h === 'string' && isCertificateName(h))) {
      throw new Error('createBackupKey: hosts must be a list of host names');
    }
    args.hosts = value.hosts as string[];
  }
  if (value.saveInsideWorkspace !== undefined) {
    if (typeof value.saveInsideWorkspace !== 'boolean') throw new Error('createBackupKey: saveInsideWorkspace must be true or false');
    args.saveInsideWorkspace = value.saveInsideWorkspace;
  }
  return args;
}

export function parseVerifyPinsArgs(raw: unknown): VerifyPinsArgs {
  const value = object(raw, 'verifyPins');
  const args: VerifyPinsArgs = {};
  if (value.hosts !== undefined) {
    const hosts = object(value.hosts, 'verifyPins hosts');
    args.hosts = Object.fromEntries(Object.entries(hosts).map(([name, host]) => [name, string(host, `hosts.${name}`)]));
  }
  if (value.pinSet !== undefined) {
    const selector = pinSetSelector(value.pinSet);
    if (!('file' in selector)) throw new Error('verifyPins: pinSet must be {file, range}');
    args.pinSet = selector;
  }
  return args;
}

function commonArgs(value: Record<string, unknown>, command: string): PinCommandArgs {
  const args: PinCommandArgs = {};
  if (value.certificateIndex !== undefined) {
    if (!Number.isInteger(value.certificateIndex) || (value.certificateIndex as number) < 0) {
      throw new Error(`${command}: certificateIndex must be a whole number from 0`);
    }
    args.certificateIndex = value.certificateIndex as number;
  }
  if (value.action !== undefined) {
    if (!ACTIONS.includes(value.action as PinAction)) throw new Error(`${command}: action must be one of ${ACTIONS.join(', ')}`);
    args.action = value.action as PinAction;
  }
  if (value.pinSet !== undefined) args.pinSet = pinSetSelector(value.pinSet);
  if (value.replace !== undefined) {
    const replace = pinSetSelector(value.replace);
    if (!('file' in replace)) throw new Error(`${command}: replace must be {file, range}`);
    args.replace = replace;
  }
  if (value.createPinsFileIfMissing !== undefined) {
    if (typeof value.createPinsFileIfMissing !== 'boolean') throw new Error(`${command}: createPinsFileIfMissing must be true or false`);
    args.createPinsFileIfMissing = value.createPinsFileIfMissing;
  }
  return args;
}

function pinSetSelector(raw: unknown): PinSetSelector {
  const value = object(raw, 'pinSet');
  if (typeof value.name === 'string') return { name: value.name };
  if (typeof value.host === 'string') return { host: value.host };
  if (typeof value.file === 'string' && isRange(value.range)) return { file: value.file, range: value.range };
  throw new Error('pinSet must be {file, range}, {name} or {host}');
}

function isRange(value: unknown): value is Range {
  const position = (p: unknown) => typeof p === 'object' && p !== null &&
    Number.isInteger((p as { line: unknown }).line) && Number.isInteger((p as { character: unknown }).character);
  return typeof value === 'object' && value !== null && position((value as Range).start) && position((value as Range).end);
}

/** Undefined (no arguments) reads as `{}`; a VS Code command may also pass other things first. */
function object(raw: unknown, what: string): Record<string, unknown> {
  if (raw === undefined || raw === null) return {};
  if (typeof raw !== 'object' || Array.isArray(raw)) throw new Error(`${what}: expected an object argument`);
  return raw as Record<string, unknown>;
}

function string(raw: unknown, what: string): string {
  if (typeof raw !== 'string' || raw.trim() === '') throw new Error(`${what} must be a non-empty string`);
  return raw.trim();
}
