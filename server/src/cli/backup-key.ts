import * as path from 'node:path';
import { isCertificateName } from '../../../common/host-name';
import {
  BACKUP_KEY_TYPES,
  BackupKeyExistsError,
  createBackupKey,
  DEFAULT_BACKUP_KEY_TYPE,
  isBackupKeyName,
  parseBackupKeyType,
  type BackupKey,
  type BackupKeyType,
} from '../../../common/keys/backup-key';
import { displayPath } from './display-path';
import { EXIT_OK, EXIT_USAGE } from './exit-codes';
import type { CliIo } from './io';
import { commandArguments, readArguments, textOrJsonOption, type OptionGrammar } from './options';

const TYPE_NAMES = BACKUP_KEY_TYPES.map((entry) => entry.type).join('|');

export const BACKUP_KEY_HELP = `Usage: pinning-audit backup-key --out DIR [options]

Makes a backup key pair for pin rotation: a new private key, a certificate
signing request (CSR) for it, and its SPKI pin. Ship the pin next to the live
one now; at rotation, send the CSR to the CA and deploy the new certificate
with this key. Keep the key offline until then.

Writes DIR/NAME.key.pem (PKCS#8, mode 0600) and DIR/NAME.csr.pem. Existing
files are never overwritten.

Options:
      --out DIR              Folder for the key and the CSR (made if missing)
      --type TYPE            ${TYPE_NAMES}
                             (default: ${DEFAULT_BACKUP_KEY_TYPE}; ed25519 is for Node.js clients only)
      --host NAME            DNS name for the CSR: the first is its subject CN,
                             each is a subject alternative name. Repeatable.
      --name NAME            File name stem (default: HOST-backup-YYYY-MM-DD,
                             or backup-YYYY-MM-DD without --host)
  -f, --format text|json     Output format (default: text)
  -h, --help                 Show this help

Exit codes: 0 key and CSR written, 2 usage error, a target file exists
(nothing written) or the files cannot be written.
`;

interface BackupKeyArgs {
  type: BackupKeyType;
  out?: string;
  hosts: string[];
  name?: string;
  format: 'text' | 'json';
  help: boolean;
}

/** What `--format json` prints. The private key is never printed: only where it was written. */
export interface BackupKeyReport {
  type: BackupKeyType;
  keyPath: string;
  csrPath: string;
  /** base64, without the `sha256/` prefix */
  pin: string;
  createdOn: string;
}

class BackupKeyUsageError extends Error {}

/** `pinning-audit backup-key ARGS…` (ARGS after `backup-key`); returns the exit code. */
export async function runBackupKey(args: readonly string[], io: CliIo): Promise<number> {
  const options = commandArguments('backup-key', args, parseBackupKeyArgs, BackupKeyUsageError, BACKUP_KEY_HELP, io);
  if (typeof options === 'number') return options;

  let key: BackupKey;
  try {
    key = await createBackupKey({
      type: options.type,
      dir: path.resolve(io.cwd, options.out!), // required in parseBackupKeyArgs
      hosts: options.hosts,
      name: options.name,
    });
  } catch (error) {
    const message =
      error instanceof BackupKeyExistsError
        ? `${displayPath(error.path, io.cwd)} already exists; nothing was written (another --name or --out makes a new pair)`
        : `cannot write the backup key: ${(error as Error).message}`;
    io.stderr(`pinning-audit: ${message}\n`);
    return EXIT_USAGE;
  }

  if (options.format === 'json') {
    const report: BackupKeyReport = { type: key.type, keyPath: key.keyPath, csrPath: key.csrPath, pin: key.spkiSha256, createdOn: key.createdOn };
    io.stdout(`${JSON.stringify(report, null, 2)}\n`);
  } else {
    io.stdout(formatBackupKeyText(key, io.cwd));
  }
  return EXIT_OK;
}

export function formatBackupKeyText(key: BackupKey, cwd: string): string {
  const label = BACKUP_KEY_TYPES.find((entry) => entry.type === key.type)?.label ?? key.type;
  return [
    `key: ${displayPath(key.keyPath, cwd)} (${label}, private)`,
    `csr: ${displayPath(key.csrPath, cwd)}`,
    `pin: sha256/${key.spkiSha256}`,
    'Keep the key offline (not on the server, not in the repository) and pin it as the backup next to the live pin.',
    '',
  ].join('\n');
}

const BACKUP_KEY_OPTIONS: OptionGrammar = {
  values: ['--type', '--out', '--host', '--name', '--format'],
  flags: ['--help'],
  aliases: { '-f': '--format', '-h': '--help' },
  unknown: (name) => `unknown option ${name} for backup-key`,
  Usage: BackupKeyUsageError,
};

function parseBackupKeyArgs(args: readonly string[]): BackupKeyArgs {
  const parsed: BackupKeyArgs = { type: DEFAULT_BACKUP_KEY_TYPE, hosts: [], format: 'text', help: false };
  readArguments(args, BACKUP_KEY_OPTIONS, (name, value = '') => {
    switch (name) {
      case '--type': {
        const type = parseBackupKeyType(value);
        if (!type) throw new BackupKeyUsageError(`--type must be one of ${TYPE_NAMES}, not '${value}'`);
        parsed.type = type;
        break;
      }
      case '--out':
        if (value === '') throw new BackupKeyUsageError('--out needs a folder');
        parsed.out = value;
        break;
      case '--host':
        if (!isCertificateName(value)) throw new BackupKeyUsageError(`--host '${value}' is not a host name`);
        if (!parsed.hosts.includes(value)) parsed.hosts.push(value);
        break;
      case '--name':
        if (!isBackupKeyName(value)) throw new BackupKeyUsageError(`--name '${value}' cannot be a file name (no '/' or '\\')`);
        parsed.name = value;
        break;
      case '--format':
        parsed.format = textOrJsonOption(value, BackupKeyUsageError);
        break;
      case '--help':
        parsed.help = true;
        break;
    }
  }, (arg) => {
    throw new BackupKeyUsageError(`unexpected argument '${arg}' (the folder goes after --out)`);
  });
  if (parsed.help) return parsed;
  if (parsed.out === undefined) throw new BackupKeyUsageError('missing --out DIR: the folder for the key and the CSR');
  return parsed;
}
