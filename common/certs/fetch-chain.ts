import { isIP } from 'node:net';
import { performance } from 'node:perf_hooks';
import * as tls from 'node:tls';
import { certificateInfoFromDer, type CertificateInfo } from './certificate-info';
import { formatTarget } from './target';
import { describeConnectError, describeVerifyError } from './tls-errors';

export { parseTarget, formatTarget, type TlsTarget } from './target';

/** How long a finished connection may wait for the server to close its side. */
const CLOSE_GRACE_MS = 1000;

export interface FetchChainOptions {
  host: string;
  /** Default 443. */
  port?: number;
  /** Name sent in SNI and checked against the certificate; default `host`. No SNI for IP literals. */
  servername?: string;
  /** Limit for DNS, TCP connect and TLS handshake together; default 10000. */
  timeoutMs?: number;
  /** Extra trusted CA certificates (PEM), added to Node's bundled roots. */
  ca?: string[];
  signal?: AbortSignal;
}

export interface FetchChainResult {
  /** `host:port` as connected (`[::1]:8443` for IPv6). */
  target: string;
  /** Leaf first. */
  chain: CertificateInfo[];
  /** Chain trusted and hostname matching. */
  verified: boolean;
  /** Why `verified` is false, one line; null when verified. */
  verifyError: string | null;
  hostnameMatches: boolean;
  elapsedMs: number;
}

/**
 * Completes a TLS handshake with the host, records the certificates it sent and closes the
 * connection at once (close_notify) without sending application data. Rejects with a
 * one-line Error when the host cannot be reached, is not a TLS server, stalls past
 * `timeoutMs` or is cancelled.
 */
export function fetchChain(options: FetchChainOptions): Promise<FetchChainResult> {
  const { host, port = 443, timeoutMs = 10_000, signal } = options;
  const target = formatTarget(host, port);
  const identity = options.servername ?? host;
  // SNI carries host names only (RFC 6066), and tls.connect sends none unless told a name.
  const sniName = isIP(identity) === 0 ? identity : undefined;
  if (signal?.aborted) return Promise.reject(cancelled(target));
  const started = performance.now();

  return new Promise<FetchChainResult>((resolve, reject) => {
    let settled = false;
    let tcpConnected = false;
    const socket = tls.connect({
      host,
      port,
      servername: sniName,
      // On purpose: the audit must see any chain, trusted or not. Trust is judged below from
      // socket.authorized, and no application data ever crosses this connection.
      rejectUnauthorized: false,
      ca: options.ca?.length ? [...tls.rootCertificates, ...options.ca] : undefined,
      // Keeps socket.authorized about the chain alone; the name is checked in inspect().
      checkServerIdentity: () => undefined,
    });

    const settle = (outcome: () => void, handshakeDone = false): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      if (handshakeDone) closeQuietly(socket);
      else socket.destroy();
      outcome();
    };
    const fail = (error: Error): void => settle(() => reject(error));
    const onAbort = (): void => fail(cancelled(target));

    const timer = setTimeout(() => {
      const stage = tcpConnected ? 'no TLS handshake from' : 'no TCP connection to';
      fail(new Error(`${stage} ${target} within ${timeoutMs} ms`));
    }, timeoutMs);
    signal?.addEventListener('abort', onAbort, { once: true });

    socket.once('connect', () => {
      tcpConnected = true;
    });
    socket.once('secureConnect', () => {
      let result: FetchChainResult;
      try {
        result = inspect(socket, target, identity, performance.now() - started);
      } catch (error) {
        fail(new Error(`cannot read the certificates ${target} sent: ${(error as Error).message}`));
        return;
      }
      settle(() => resolve(result), true);
    });
    // Errors after settling (e.g. from destroy) have nowhere to go; the listener stays so they
    // never become uncaught exceptions.
    socket.on('error', (error) => fail(describeConnectError(error, host, port)));
    socket.once('close', () => fail(new Error(`${target} closed the connection during the TLS handshake`)));
  });
}

/**
 * Ends a finished handshake without sending application data. end() rather than destroy():
 * destroy() can drop the client's last handshake flight still in the write queue, and the
 * server then logs a failed handshake. Nothing the server sends is read (the socket stays
 * paused: a server streaming data got hundreds of MB read in the grace second), and a server
 * that never closes its side is cut off after a second.
 */
function closeQuietly(socket: tls.TLSSocket): void {
  socket.end();
  setTimeout(() => socket.destroy(), CLOSE_GRACE_MS).unref();
}

function inspect(socket: tls.TLSSocket, target: string, identity: string, elapsedMs: number): FetchChainResult {
  const peer = socket.getPeerCertificate(true);
  const chain = sentChain(peer);
  if (chain.length === 0) throw new Error('the server sent no certificate');

  const identityError = tls.checkServerIdentity(identity, peer);
  const hostnameMatches = identityError === undefined;
  // Both problems are reported when the chain is untrusted and the name does not match.
  const reasons: string[] = [];
  if (!socket.authorized) reasons.push(describeVerifyError(socket.authorizationError as unknown as string | null));
  if (identityError) reasons.push(identityError.message.replace(/\s*\n\s*/g, ' '));
  const verifyError = reasons.length ? reasons.join('; ') : null;
  return { target, chain, verified: verifyError === null, verifyError, hostnameMatches, elapsedMs };
}

/**
 * Walks `issuerCertificate` from the leaf until a certificate names itself. Node builds this
 * list from what the server sent, ordered by issuer, and may end it with the issuing root from
 * the trust store when the server left that out.
 */
function sentChain(peer: tls.DetailedPeerCertificate): CertificateInfo[] {
  const chain: CertificateInfo[] = [];
  const seen = new Set<string>();
  for (let cert: tls.DetailedPeerCertificate | undefined = peer; cert?.raw; cert = cert.issuerCertificate) {
    if (seen.has(cert.fingerprint256)) break; // guards against a cycle that is not a plain self-reference
    seen.add(cert.fingerprint256);
    chain.push(certificateInfoFromDer(cert.raw));
    if (cert.issuerCertificate === cert) break;
  }
  return chain;
}

/** Named `AbortError`, as Node names its own cancellations, so callers can tell it apart. */
function cancelled(target: string): Error {
  const error = new Error(`certificate fetch from ${target} was cancelled`);
  error.name = 'AbortError';
  return error;
}
