import { createHash } from 'node:crypto';
import type { PeerCertificate } from 'node:tls';

const PINS = ['aM0uY9vY6cVz2pO2weQ2lh61WLUvXkg7iFdb+5tC60Q=', 'QIvl5wnKRcNRTn+mHSTvLUlT1nAPbcagd3H0VF7OutM='];

export function isPinned(cert: PeerCertificate): boolean {
  const hash = createHash('sha256').update(cert.pubkey).digest('base64');
  return PINS.includes(hash);
}
