import * as tls from 'node:tls';

export function connect(): tls.TLSSocket {
  return tls.connect({
    host: 'api.example.com',
    port: 443,
    checkServerIdentity: (host: string, cert: tls.PeerCertificate) => undefined,
  });
}
