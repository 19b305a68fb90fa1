import { createHash } from 'node:crypto';
import * as https from 'node:https';
import * as tls from 'node:tls';
import axios from 'axios';

import { PINS } from './security/pins';

// Pins the whole certificate and forgets the host name check.
export const pinnedAgent = new https.Agent({
  checkServerIdentity: (hostname: string, cert: tls.PeerCertificate) => {
    const pins = Object.values(PINS).flat();
    if (!pins.includes(`sha256/${cert.fingerprint256}`)) return new Error('pin mismatch');
    return undefined;
  },
});

// "Temporary" workaround for a staging certificate.
export const staging = axios.create({
  baseURL: 'https://staging.example.com',
  httpsAgent: new https.Agent({ rejectUnauthorized: false }),
});

export function spki(cert: tls.PeerCertificate): string {
  return createHash('sha256').update(cert.pubkey).digest('base64');
}
