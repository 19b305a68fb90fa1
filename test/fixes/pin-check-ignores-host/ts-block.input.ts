import * as tls from 'node:tls';
import { createHash } from 'node:crypto';

const PINS = ['aM0uY9vY6cVz2pO2weQ2lh61WLUvXkg7iFdb+5tC60Q=', 'QIvl5wnKRcNRTn+mHSTvLUlT1nAPbcagd3H0VF7OutM='];

export const options: tls.ConnectionOptions = {
  host: 'api.example.com',
  checkServerIdentity: (hostname: string, peer: tls.PeerCertificate) => {
    const pin = createHash('sha256').update(peer.pubkey).digest('base64');
    if (!PINS.includes(pin)) return new Error('certificate key is not pinned');
    return undefined;
  },
};
