/**
 * A backup key pair for pin rotation: a new private key (kept offline) with its CSR, and the
 * SPKI pin to ship next to the live one before the key is ever deployed. Shared by the VS Code
 * command and `pinning-audit backup-key`.
 */

import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import * as x509 from '../certs/x509';
import { isCertificateName } from '../host-name';
import { isoDay } from '../iso-day';
import type { BackupKeyType } from './key-types';

export { BACKUP_KEY_TYPES, DEFAULT_BACKUP_KEY_TYPE, parseBackupKeyType, type BackupKeyType } from './key-types';

export interface BackupKeyOptions {
  type: BackupKeyType;
  dir: string;
  /** file name stem; default from defaultKeyName */
  name?: string;
  /** DNS names for the CSR subject CN (first) and SANs; may be empty */
  hosts?: readonly string[];
  now?: Date;
}

/** What was written. The private key itself is never returned: only where it is. */
export interface BackupKey {
  type: BackupKeyType;
  keyPath: string;
  csrPath: string;
  /** base64 SHA-256 of the DER SPKI, as openssl computes it */
  spkiSha256: string;
  /** YYYY-MM-DD (UTC) */
  createdOn: string;
}

/** A target file is already there: nothing was written, so no key is ever overwritten. */
export class BackupKeyExistsError extends Error {
  constructor(readonly path: string) {
    super(`${path} already exists`);
    this.name = 'BackupKeyExistsError';
  }
}

/** e.g. `api.example.com-backup-2026-12-04`, or `backup-2026-12-04` without hosts. */
export function defaultKeyName(hosts: readonly string[], now: Date = new Date()): string {
  const stem = `backup-${isoDay(now)}`;
  return hosts.length ? `${hosts[0]}-${stem}` : stem;
}

/** A file name stem that stays inside its folder: no separators, not `.` or `..`, no control characters. */
export function isBackupKeyName(name: string): boolean {
  return name.length > 0 && name.length <= 200 && name !== '.' && name !== '..' && !/[/\\\u0000-\u001f]/.test(name);
}

/** How node:crypto makes each key, how WebCrypto imports it, and what the CSR is signed with. */
interface KeyRecipe {
  generate: () => Promise<crypto.KeyPairKeyObjectResult>;
  importAs: crypto.webcrypto.AlgorithmIdentifier | crypto.webcrypto.EcKeyImportParams | crypto.webcrypto.RsaHashedImportParams;
  signWith: crypto.webcrypto.AlgorithmIdentifier | crypto.webcrypto.EcdsaParams;
}

const generateKeyPair = promisify(crypto.generateKeyPair);

function ecRecipe(namedCurve: 'P-256' | 'P-384', hash: 'SHA-256' | 'SHA-384'): KeyRecipe {
  return {
    generate: () => generateKeyPair('ec', { namedCurve }),
    importAs: { name: 'ECDSA', namedCurve },
    signWith: { name: 'ECDSA', hash },
  };
}

function rsaRecipe(modulusLength: number): KeyRecipe {
  const algorithm = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
  return {
    generate: () => generateKeyPair('rsa', { modulusLength, publicExponent: 65537 }),
    importAs: algorithm,
    signWith: algorithm,
  };
}

const RECIPES: Record<BackupKeyType, KeyRecipe> = {
  'ec-p256': ecRecipe('P-256', 'SHA-256'),
  'ec-p384': ecRecipe('P-384', 'SHA-384'),
  'rsa-2048': rsaRecipe(2048),
  'rsa-3072': rsaRecipe(3072),
  'rsa-4096': rsaRecipe(4096),
  ed25519: {
    generate: () => generateKeyPair('ed25519', {}),
    importAs: { name: 'Ed25519' },
    signWith: { name: 'Ed25519' },
  },
};

// @peculiar/x509's DOM-typed WebCrypto names, taken from its own signatures (no DOM lib here).
type X509Crypto = NonNullable<Parameters<typeof x509.Pkcs10CertificateRequestGenerator.create>[1]>;
type RequestParams = x509.Pkcs10CertificateRequestCreateParams;

let providerSet = false;

/** @peculiar/x509 signs through WebCrypto; Node's is set once, on first use. */
function useNodeWebCrypto(): void {
  if (providerSet) return;
  x509.cryptoProvider.set(crypto.webcrypto as unknown as X509Crypto);
  providerSet = true;
}

/**
 * Generates a key pair and writes `<dir>/<name>.key.pem` (PKCS#8, mode 0600) and
 * `<dir>/<name>.csr.pem` (PKCS#10, signed by the new key). Rejects with BackupKeyExistsError,
 * having written nothing, when either file is already there.
 */
export async function createBackupKey(options: BackupKeyOptions): Promise<BackupKey> {
  const recipe = RECIPES[options.type];
  if (!recipe) throw new TypeError(`unknown backup key type '${options.type}'`);
  const hosts = options.hosts ?? [];
  const badHost = hosts.find((host) => !isCertificateName(host));
  if (badHost !== undefined) throw new TypeError(`'${badHost}' is not a host name`);
  const now = options.now ?? new Date();
  const name = options.name ?? defaultKeyName(hosts, now);
  if (!isBackupKeyName(name)) throw new TypeError(`'${name}' cannot be a file name`);

  const dir = path.resolve(options.dir);
  const keyPath = path.join(dir, `${name}.key.pem`);
  const csrPath = path.join(dir, `${name}.csr.pem`);
  // Both checked before anything is made, so an existing CSR never leaves a stray new key behind.
  for (const target of [keyPath, csrPath]) {
    if (await exists(target)) throw new BackupKeyExistsError(target);
  }

  const { privateKey, publicKey } = await recipe.generate();
  const spkiDer = publicKey.export({ type: 'spki', format: 'der' });
  const csrPem = await certificateRequestPem(recipe, privateKey, spkiDer, hosts.length ? hosts[0] : name, hosts);

  await fs.promises.mkdir(dir, { recursive: true, mode: 0o700 });
  await writeNewFile(keyPath, privateKey.export({ type: 'pkcs8', format: 'pem' }) as string, 0o600);
  try {
    await writeNewFile(csrPath, csrPem, 0o644);
  } catch (error) {
    // A key without its CSR is of no use, and must not be mistaken for one that has been pinned.
    await fs.promises.rm(keyPath, { force: true });
    throw error;
  }

  return {
    type: options.type,
    keyPath,
    csrPath,
    spkiSha256: crypto.createHash('sha256').update(spkiDer).digest('base64'),
    createdOn: isoDay(now),
  };
}

async function certificateRequestPem(
  recipe: KeyRecipe,
  privateKey: crypto.KeyObject,
  spkiDer: Buffer,
  commonName: string,
  hosts: readonly string[],
): Promise<string> {
  useNodeWebCrypto();
  const { subtle } = crypto.webcrypto;
  const pkcs8Der = privateKey.export({ type: 'pkcs8', format: 'der' });
  const keys = {
    // Not extractable: the CSR only needs it to sign.
    privateKey: (await subtle.importKey('pkcs8', pkcs8Der, recipe.importAs, false, ['sign'])),
    publicKey: (await subtle.importKey('spki', spkiDer, recipe.importAs, true, ['verify'])),
  } as unknown as RequestParams['keys'];
  const extensions = hosts.length
    ? [new x509.SubjectAlternativeNameExtension(hosts.map((host) => ({ type: 'dns' as const, value: host })))]
    : [];
  const csr = await x509.Pkcs10CertificateRequestGenerator.create({
    // The JSON form, so that a name with commas or '=' is one CN value rather than DN syntax.
    name: [{ CN: [commonName] }],
    extensions,
    signingAlgorithm: recipe.signWith as RequestParams['signingAlgorithm'],
    keys,
  });
  const pem = csr.toString('pem');
  return pem.endsWith('\n') ? pem : `${pem}\n`;
}

/** Whether anything, even a dangling symlink, is at `file`. */
async function exists(file: string): Promise<boolean> {
  try {
    await fs.promises.lstat(file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}

/** Creates `file` ('wx': never over an existing one) and removes it again if the write fails. */
async function writeNewFile(file: string, text: string, mode: number): Promise<void> {
  let handle: fs.promises.FileHandle;
  try {
    handle = await fs.promises.open(file, 'wx', mode);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw new BackupKeyExistsError(file);
    throw error;
  }
  try {
    await handle.writeFile(text);
    await handle.close();
  } catch (error) {
    await handle.close().catch(() => undefined);
    await fs.promises.rm(file, { force: true });
    throw error;
  }
}
