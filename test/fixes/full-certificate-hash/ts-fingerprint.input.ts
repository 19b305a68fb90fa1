import * as tls from 'node:tls';

const PINS = new Set(['aM0uY9vY6cVz2pO2weQ2lh61WLUvXkg7iFdb+5tC60Q=', 'QIvl5wnKRcNRTn+mHSTvLUlT1nAPbcagd3H0VF7OutM=']);

export const options: tls.ConnectionOptions = {
  host: 'api.example.com',
  checkServerIdentity(host, cert) {
    const err = tls.checkServerIdentity(host, cert);
    if (err) return err;
    if (!PINS.has(cert.fingerprint256.replace(/:/g, '').toLowerCase())) return new Error(`unexpected certificate for ${host}`);
    return undefined;
  },
};
