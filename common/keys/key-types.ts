/**
 * The key types a backup key can have, and where a certificate with each works. Apart from the
 * key code (backup-key.ts loads the X.509 stack) so the client can list them at activation.
 */
export type BackupKeyType = 'ec-p256' | 'ec-p384' | 'rsa-2048' | 'rsa-3072' | 'rsa-4096' | 'ed25519';

/** In picker order, the default first; `platforms` says where a certificate with this key works (one short sentence). */
export const BACKUP_KEY_TYPES: readonly { type: BackupKeyType; label: string; platforms: string }[] = [
  { type: 'ec-p256', label: 'EC P-256', platforms: 'Every platform: Android, iOS, Dart, Node; what public CAs issue most' },
  { type: 'ec-p384', label: 'EC P-384', platforms: 'Every platform; public CAs issue it' },
  { type: 'rsa-2048', label: 'RSA 2048', platforms: 'Every platform; slower handshakes than EC' },
  { type: 'rsa-3072', label: 'RSA 3072', platforms: 'Every platform; slower handshakes than EC' },
  { type: 'rsa-4096', label: 'RSA 4096', platforms: 'Every platform; slower handshakes than EC' },
  {
    type: 'ed25519',
    label: 'Ed25519',
    platforms:
      "Node.js (OpenSSL) clients only: public CAs do not issue Ed25519 certificates, and Android, iOS and Dart's TLS do not accept them",
  },
];

export const DEFAULT_BACKUP_KEY_TYPE: BackupKeyType = 'ec-p256';

export function parseBackupKeyType(value: string): BackupKeyType | undefined {
  return BACKUP_KEY_TYPES.find((entry) => entry.type === value)?.type;
}
