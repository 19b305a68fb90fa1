import * as tls from 'node:tls';
import { createHash } from 'node:crypto';

const PINS = new Set(['aM0uY9vY6cVz2pO2weQ2lh61WLUvXkg7iFdb+5tC60Q=', 'QIvl5wnKRcNRTn+mHSTvLUlT1nAPbcagd3H0VF7OutM=']);

export const options: tls.ConnectionOptions = {
  host: 'api.example.com',
  checkServerIdentity(host, cert) {
    const err = tls.checkServerIdentity(host, cert);
    if (err) return err;
    if (!PINS.has(createHash('sha256').update(cert.pubkey).digest('base64'))) return new Error(`unexpected certificate for ${host}`);
    return undefined;
  },
};
