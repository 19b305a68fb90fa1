/**
 * What a live host served, in the form that crosses the wire (client → server) and that the CLI
 * and the server judge pins against. Dates are ISO strings so the value survives JSON.
 */
import { roleOf, type CertificateInfo, type ChainRole } from '../certs/certificate-info';
import type { FetchChainResult } from '../certs/fetch-chain';

export interface ServedCertificate {
  role: ChainRole;
  subject: string;
  subjectCN: string;
  keyType: string;
  /** ISO 8601. */
  notAfter: string;
  /** Base64 SHA-256 of the SubjectPublicKeyInfo. */
  spkiSha256: string;
  /** Hex SHA-256 of the DER certificate (what a full-certificate pin holds). */
  certSha256: string;
}

/** The outcome of one TLS handshake with a host: its chain, or why there is none. */
export interface HostCheck {
  /** `host:port` as connected. */
  target: string;
  /** SNI name sent, when it differs from the host. */
  servername?: string;
  /** ISO 8601 time of the handshake. */
  checkedAt: string;
  /** Leaf first; absent when the host could not be reached. */
  chain?: ServedCertificate[];
  /** Chain trusted (system and configured CAs) and name matching. */
  verified?: boolean;
  verifyError?: string | null;
  hostnameMatches?: boolean;
  /** One line: why no chain was fetched. */
  error?: string;
}

export function servedCertificates(chain: readonly CertificateInfo[]): ServedCertificate[] {
  return chain.map((cert, index) => ({
    role: roleOf(index, chain),
    subject: cert.subject,
    subjectCN: cert.subjectCN,
    keyType: cert.keyType,
    notAfter: cert.notAfter.toISOString(),
    spkiSha256: cert.spkiSha256,
    certSha256: cert.certSha256,
  }));
}

export function hostCheckFromFetch(result: FetchChainResult, servername: string | undefined, checkedAt: Date): HostCheck {
  return {
    target: result.target,
    ...(servername ? { servername } : {}),
    checkedAt: checkedAt.toISOString(),
    chain: servedCertificates(result.chain),
    verified: result.verified,
    verifyError: result.verifyError,
    hostnameMatches: result.hostnameMatches,
  };
}

export function hostCheckFromError(target: string, servername: string | undefined, error: unknown, checkedAt: Date): HostCheck {
  const message = error instanceof Error ? error.message : String(error);
  return {
    target,
    ...(servername ? { servername } : {}),
    checkedAt: checkedAt.toISOString(),
    error: message.replace(/\s*\n\s*/g, ' ').trim(),
  };
}
