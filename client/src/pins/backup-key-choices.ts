/**
 * The choices of "Create Backup Key…", as pure functions (no `vscode` import): which key types
 * the pin set's platform accepts, where the files go by default, and whether a folder is one a
 * private key must not land in unasked (the workspace, or a git repository).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BACKUP_KEY_TYPES, type BackupKeyType } from '../../../common/keys/key-types';
import type { PinSetSummary } from '../../../common/protocol';

export interface KeyTypeChoice {
  label: string;
  description: string;
  type: BackupKeyType;
}

/**
 * Every key type a certificate for this pin set's clients can carry: Ed25519 only for TS/JS
 * (Node's OpenSSL); Android, iOS and Dart's TLS take EC and RSA keys. An unknown set gets all.
 */
export function keyTypeChoices(language: PinSetSummary['language'] | undefined): KeyTypeChoice[] {
  return BACKUP_KEY_TYPES
    .filter((t) => t.type !== 'ed25519' || language === undefined || language === 'ts')
    .map((t) => ({ label: t.label, description: t.platforms, type: t.type }));
}

/** `~/.pinning-audit/keys/<workspace folder name>`: outside every workspace and repository. */
export function defaultKeyFolder(workspaceName: string | undefined, home = os.homedir()): string {
  return path.join(home, '.pinning-audit', 'keys', (workspaceName ?? 'workspace').replace(/[^\w.-]+/g, '-'));
}

/** Why a key must not be saved in `dir` without a second confirmation, or undefined. */
export function riskyKeyFolder(dir: string, workspaceFolders: readonly string[]): string | undefined {
  const resolved = path.resolve(dir);
  const inside = (parent: string) => {
    const relative = path.relative(path.resolve(parent), resolved);
    return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
  };
  const folder = workspaceFolders.find(inside);
  if (folder) return `${resolved} is inside the workspace folder ${folder}`;
  for (let at = resolved; ; at = path.dirname(at)) {
    if (fs.existsSync(path.join(at, '.git'))) return `${resolved} is inside the git repository ${at}`;
    if (path.dirname(at) === at) return undefined;
  }
}

/** The comment recorded after the pin: the key file (home as `~`) and the day it was made. */
export function backupNote(keyPath: string, createdOn: string, home = os.homedir()): string {
  const shown = keyPath.startsWith(home + path.sep) ? `~${keyPath.slice(home.length)}` : keyPath;
  return `backup key ${shown}, created ${createdOn}`;
}
