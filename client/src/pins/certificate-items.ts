/** QuickPick content for certificates (pure: no `vscode` import, unit-tested). */
import type { CertificateInfo, ChainRole } from '../../../common/certs/certificate-info';
import type { PinSetSummary } from '../../../common/protocol';

const DAY_MS = 86_400_000;

export interface CertificateItem {
  label: string;
  description: string;
  detail: string;
  /** Index in the chain (or file). */
  index: number;
  /** Base64 SHA-256 of the SubjectPublicKeyInfo. */
  pin: string;
}

/** Where the certificates came from, for the title line. */
export type CertificateSource =
  | { kind: 'host'; target: string; verified: boolean; verifyError: string | null; hostnameMatches: boolean }
  | { kind: 'file'; name: string };

/**
 * One item per certificate, in chain order (leaf first): role and name, key and expiry, issuer,
 * the SPKI pin and the pin sets that already hold it. `roles` is undefined for a file, whose
 * certificates have no chain position.
 */
export function certificateItems(
  chain: readonly CertificateInfo[],
  roles: readonly ChainRole[] | undefined,
  pinSets: readonly PinSetSummary[],
  now: Date,
  fileName: (uri: string) => string,
): CertificateItem[] {
  return chain.map((cert, index) => {
    const role = roles?.[index];
    const name = cert.subjectCN || cert.subject || '(no subject)';
    const selfSigned = cert.selfSigned && role !== 'root' ? ' (self-signed)' : '';
    const holders = pinSets.filter((s) => s.holds.includes(cert.spkiSha256));
    const held = holders.length
      ? `already in ${holders.map((s) => `${s.name ?? 'a comparison'} (${fileName(s.uri)})`).join(', ')}`
      : 'in no pin set of the workspace';
    return {
      label: `${role ? `${role}: ` : `#${index + 1}: `}${name}${selfSigned}`,
      description: `${cert.keyType} · ${expiry(cert.notBefore, cert.notAfter, now)} · issuer ${cert.issuer}`,
      detail: [`sha256/${cert.spkiSha256}`, ...(cert.sans.length ? [`SANs ${cert.sans.join(', ')}`] : []), held].join(' · '),
      index,
      pin: cert.spkiSha256,
    };
  });
}

/** `expires 2026-03-01 (64 days left)`, `EXPIRED 3 days ago`, `not valid before …`. */
export function expiry(notBefore: Date, notAfter: Date, now: Date): string {
  if (notBefore.getTime() > now.getTime()) return `not valid before ${isoDate(notBefore)}`;
  const date = isoDate(notAfter);
  if (notAfter.getTime() < now.getTime()) {
    const ago = Math.floor((now.getTime() - notAfter.getTime()) / DAY_MS);
    return `EXPIRED ${ago === 0 ? 'today' : `${ago} day${ago === 1 ? '' : 's'} ago`} (${date})`;
  }
  const days = Math.floor((notAfter.getTime() - now.getTime()) / DAY_MS);
  return `expires ${date} (${days} day${days === 1 ? '' : 's'} left)`;
}

/** The QuickPick title: where the certificates come from and whether they are trusted. */
export function sourceLine(source: CertificateSource, count: number): string {
  const certificates = `${count} certificate${count === 1 ? '' : 's'}`;
  if (source.kind === 'file') return `${source.name}: ${certificates} (read from a file: not verified)`;
  const trust = source.verified
    ? 'chain trusted (system and configured CAs), name matches'
    : `NOT verified: ${source.verifyError ?? 'chain not trusted'}${source.hostnameMatches ? ' (name matches)' : ''}`;
  return `${source.target}: ${certificates}, ${trust}`;
}

export type PinAction = 'insert' | 'copy' | 'copySha256';

export const PIN_ACTIONS: readonly { action: PinAction; label: string; description: string }[] = [
  { action: 'insert', label: 'Insert into a pin set…', description: 'appended as the last pin, in the set\'s style' },
  { action: 'copy', label: 'Copy pin', description: 'base64 SHA-256 of the SubjectPublicKeyInfo' },
  { action: 'copySha256', label: 'Copy as sha256/…', description: 'HPKP / OkHttp notation' },
];

/** What the copy actions put on the clipboard. */
export function pinText(action: Exclude<PinAction, 'insert'>, pin: string): string {
  return action === 'copySha256' ? `sha256/${pin}` : pin;
}

function isoDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}
