/**
 * The certificate and key code the pin commands use, loaded on first use (`await import('./certificates')`):
 * the X.509 stack takes ~200 ms to load, which activation should not pay.
 */
export { readCertificateFile, roleOf } from '../../common/certs/certificate-info';
export { fetchChain } from '../../common/certs/fetch-chain';
export { hostCheckFromError, hostCheckFromFetch } from '../../common/pins/host-check';
export { BackupKeyExistsError, createBackupKey, defaultKeyName } from '../../common/keys/backup-key';
