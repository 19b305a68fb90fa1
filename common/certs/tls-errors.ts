import { formatTarget } from './target';

/** Node reports verification failures as OpenSSL's codes; these are the readable forms. */
const VERIFY_ERRORS: Record<string, string> = {
  DEPTH_ZERO_SELF_SIGNED_CERT: 'self-signed certificate',
  SELF_SIGNED_CERT_IN_CHAIN: 'self-signed certificate in certificate chain',
  UNABLE_TO_GET_ISSUER_CERT: 'unable to get issuer certificate',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'unable to get local issuer certificate',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'unable to verify the first certificate',
  CERT_HAS_EXPIRED: 'certificate has expired',
  CERT_NOT_YET_VALID: 'certificate is not yet valid',
  CERT_SIGNATURE_FAILURE: 'certificate signature failure',
  CERT_REVOKED: 'certificate revoked',
  CERT_UNTRUSTED: 'certificate not trusted',
  CERT_REJECTED: 'certificate rejected',
  INVALID_CA: 'invalid CA certificate',
  PATH_LENGTH_EXCEEDED: 'path length constraint exceeded',
  INVALID_PURPOSE: 'unsupported certificate purpose',
  ERROR_IN_CERT_NOT_BEFORE_FIELD: "format error in certificate's notBefore field",
  ERROR_IN_CERT_NOT_AFTER_FIELD: "format error in certificate's notAfter field",
};

/** One line for `socket.authorizationError`, which Node sets to an OpenSSL code string. */
export function describeVerifyError(error: Error | string | null | undefined): string {
  if (!error) return 'certificate chain not trusted';
  const code = typeof error === 'string' ? error : ((error as NodeJS.ErrnoException).code ?? error.message);
  const text = VERIFY_ERRORS[code];
  return text ? `${text} (${code})` : oneLine(typeof error === 'string' ? error : error.message);
}

/** Turns a socket error from connect or handshake into a one-line message naming the peer. */
export function describeConnectError(error: Error, host: string, port: number): Error {
  const err = error as NodeJS.ErrnoException & { address?: string; port?: number; reason?: string };
  const target = formatTarget(host, port);
  const message = oneLine(err.message);
  const reason = oneLine(err.reason ?? message);
  switch (err.code) {
    case 'ENOTFOUND':
      return new Error(`cannot resolve host ${host} (no such host)`);
    case 'EAI_AGAIN':
      return new Error(`cannot resolve host ${host} (DNS lookup failed, EAI_AGAIN)`);
    case 'ECONNREFUSED':
      return new Error(`connection refused by ${formatTarget(err.address ?? host, err.port ?? port)}`);
    case 'ECONNRESET':
      // Node's wording when the peer closed cleanly before the handshake finished.
      if (/disconnected before secure TLS connection/.test(message)) {
        return new Error(`${target} closed the connection during the TLS handshake`);
      }
      return new Error(`connection reset by ${target} during the TLS handshake`);
    case 'ETIMEDOUT':
      return new Error(`TCP connection to ${target} timed out`);
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'EADDRNOTAVAIL':
      return new Error(`${target} is unreachable (${err.code})`);
    case 'ERR_SSL_WRONG_VERSION_NUMBER':
    case 'ERR_SSL_PACKET_LENGTH_TOO_LONG':
    case 'ERR_SSL_UNKNOWN_PROTOCOL':
    case 'ERR_SSL_RECORD_LAYER_FAILURE':
      return new Error(`${target} did not answer with TLS (${reason})`);
  }
  if (err.code?.startsWith('ERR_SSL_')) return new Error(`TLS handshake with ${target} failed: ${reason}`);
  return new Error(`cannot fetch certificates from ${target}: ${message}`);
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}
