import { readFileSync } from 'node:fs';
import { X509Certificate } from 'node:crypto';

const PIN = 'AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99';

export function bundledCertificateIsPinned(path: string): boolean {
  const certificate = new X509Certificate(readFileSync(path));
  return certificate.fingerprint256 === PIN;
}
