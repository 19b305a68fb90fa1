import { createHash, createPublicKey, X509Certificate as NodeX509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import {
  BasicConstraintsExtension,
  PemConverter,
  SubjectAlternativeNameExtension,
  X509Certificate,
} from './x509';

/** What a pin audit needs to know about one certificate. */
export interface CertificateInfo {
  /** Distinguished name as text, e.g. `CN=example.com, O=Example`. */
  subject: string;
  /** The subject's first common name, '' when there is none. */
  subjectCN: string;
  /** Subject alternative names with their kind, e.g. `DNS:example.com`, `IP:127.0.0.1`. */
  sans: string[];
  issuer: string;
  notBefore: Date;
  notAfter: Date;
  /** Algorithm and size: `RSA 2048`, `EC P-256`, `Ed25519`, `Ed448`, ... */
  keyType: string;
  /** Base64 SHA-256 of the DER SubjectPublicKeyInfo: the value of an HPKP-style `sha256/` pin. */
  spkiSha256: string;
  /** Hex SHA-256 of the whole DER certificate (what full-certificate pinning compares). */
  certSha256: string;
  /** Issued by itself: its issuer name is its subject and its own key verifies its signature. */
  selfSigned: boolean;
  /** Basic constraints say CA:TRUE. */
  isCA: boolean;
  der: Uint8Array;
}

export type ChainRole = 'leaf' | 'intermediate' | 'root';

const NAMED_CURVES: Record<string, string> = {
  prime256v1: 'P-256',
  secp384r1: 'P-384',
  secp521r1: 'P-521',
};

const SAN_PREFIXES: Record<string, string> = {
  dns: 'DNS',
  ip: 'IP',
  email: 'email',
  url: 'URI',
  dn: 'DirName',
  upn: 'UPN',
  guid: 'GUID',
  id: 'RID',
};

/** Parses one DER certificate. Throws when the bytes are not an X.509 certificate. */
export function certificateInfoFromDer(der: Uint8Array): CertificateInfo {
  const bytes = new Uint8Array(der); // own copy: callers may reuse their buffer
  const cert = new X509Certificate(bytes);
  const spkiDer = new Uint8Array(cert.publicKey.rawData);
  return {
    subject: cert.subject,
    subjectCN: cert.subjectName.getField('CN')[0] ?? '',
    sans: subjectAltNames(cert),
    issuer: cert.issuer,
    notBefore: cert.notBefore,
    notAfter: cert.notAfter,
    keyType: keyTypeOf(spkiDer, cert),
    spkiSha256: createHash('sha256').update(spkiDer).digest('base64'),
    certSha256: createHash('sha256').update(bytes).digest('hex'),
    selfSigned: isSelfSigned(bytes),
    isCA: cert.getExtension(BasicConstraintsExtension)?.ca ?? false,
    der: bytes,
  };
}

/**
 * Every certificate in a PEM text (a bundle of CERTIFICATE blocks; other blocks such as keys
 * are skipped) or in a single DER certificate, in file order.
 */
export function parseCertificates(data: Uint8Array | string): CertificateInfo[] {
  const text = typeof data === 'string' ? data : Buffer.from(data).toString('latin1');
  if (text.includes('-----BEGIN')) {
    const blocks = PemConverter.decodeWithHeaders(text).filter((block) => block.type === 'CERTIFICATE');
    return blocks.map((block, index) => {
      try {
        return certificateInfoFromDer(new Uint8Array(block.rawData));
      } catch (error) {
        throw new Error(`certificate #${index + 1} cannot be parsed: ${oneLine(error)}`);
      }
    });
  }
  if (typeof data === 'string') return [];
  try {
    return [certificateInfoFromDer(data)];
  } catch {
    return []; // not DER either: the caller reports "no certificate"
  }
}

/**
 * Reads a PEM bundle or DER file. Rejects with a one-line message, naming the file as
 * `displayName`, when it cannot be read or holds no certificate.
 */
export async function readCertificateFile(file: string, displayName = file): Promise<CertificateInfo[]> {
  let data: Buffer;
  try {
    data = await readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a folder' : oneLine(error);
    throw new Error(`cannot read ${displayName}: ${reason}`);
  }
  let certificates: CertificateInfo[];
  try {
    certificates = parseCertificates(data);
  } catch (error) {
    throw new Error(`${displayName}: ${oneLine(error)}`);
  }
  if (certificates.length === 0) throw new Error(`${displayName} holds no certificate (expected PEM or DER)`);
  return certificates;
}

/**
 * The role of `chain[index]` in a chain ordered leaf first: the first certificate is the leaf
 * (what the server presents, self-signed or not), a later self-signed one is a root, and the
 * rest are intermediates.
 */
export function roleOf(index: number, chain: readonly CertificateInfo[]): ChainRole {
  if (index === 0) return 'leaf';
  return chain[index]?.selfSigned ? 'root' : 'intermediate';
}

/** `RSA 2048`, `EC P-384`, `Ed25519`...; sizes come from node:crypto's view of the SPKI. */
export function keyTypeOf(spkiDer: Uint8Array, cert?: X509Certificate): string {
  try {
    const key = createPublicKey({ key: Buffer.from(spkiDer), format: 'der', type: 'spki' });
    const details = key.asymmetricKeyDetails ?? {};
    switch (key.asymmetricKeyType) {
      case 'rsa':
        return `RSA ${details.modulusLength}`;
      case 'rsa-pss':
        return `RSA-PSS ${details.modulusLength}`;
      case 'dsa':
        return `DSA ${details.modulusLength}`;
      case 'ec': {
        const curve = details.namedCurve ?? 'unknown curve';
        return `EC ${NAMED_CURVES[curve] ?? curve}`;
      }
      case 'ed25519':
        return 'Ed25519';
      case 'ed448':
        return 'Ed448';
      case 'x25519':
        return 'X25519';
      case 'x448':
        return 'X448';
      default:
        return key.asymmetricKeyType ?? 'unknown';
    }
  } catch {
    // A key type node:crypto does not know (e.g. post-quantum): name what the certificate says.
    return cert?.publicKey.algorithm.name ?? 'unknown';
  }
}

function subjectAltNames(cert: X509Certificate): string[] {
  try {
    const extension = cert.getExtension(SubjectAlternativeNameExtension);
    return (extension?.names.items ?? []).map((name) => `${SAN_PREFIXES[name.type] ?? name.type}:${name.value}`);
  } catch {
    return []; // otherName and friends have no text form in @peculiar/x509; a pin does not need them
  }
}

/** Signature check through node:crypto because it is synchronous; @peculiar/x509's is async. */
function isSelfSigned(der: Uint8Array): boolean {
  try {
    const cert = new NodeX509Certificate(der);
    return cert.checkIssued(cert) && cert.verify(cert.publicKey);
  } catch {
    return false;
  }
}

function oneLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/\s*\n\s*/g, ' ').trim();
}
