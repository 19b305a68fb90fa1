import type { HostCheck, ServedCertificate } from '../../../common/pins/host-check';
import type { Finding } from '../engine/types';
import type { PinSet } from '../engine/workspace';
import { hexToBase64, pinDigest } from './pin-value';
import { VERIFICATION_DIAGNOSTICS } from './verification-ids';
import { parseIsoDay } from '../../../common/iso-day';
import { daysUntil as daysUntilDay } from '../rules/pin-set-expired';

const DAY_MS = 86_400_000;

export interface VerifyOptions {
  now: Date;
  /** A matched certificate expiring within this many days is reported. */
  rotationWarningDays: number;
}

export interface PinMatch {
  value: string;
  range: PinSet['pins'][number]['range'];
  /** The served certificate whose key (or, for a full-certificate pin, whole DER) the pin matches. */
  certificate?: ServedCertificate;
  /**
   * Where the pin stands in a rotation: `live` matches the served chain, `backup` matches none
   * and is recorded as a backup key's, `stale` matches none and is not.
   */
  state: RotationState;
}

export type RotationState = 'live' | 'backup' | 'stale';

export interface PinSetVerificationResult {
  status: 'ok' | 'noMatch' | 'unreachable';
  matched: number;
  total: number;
  leafExpiresInDays?: number;
  /** How many pins are live, backups, stale (unreachable: none judged). */
  rotation?: Record<RotationState, number>;
  /** Days until the set's own expiration date (Android `expiration`, TrustKit `TSKExpirationDate`), when it has one. */
  pinSetExpiresInDays?: number;
  pins: PinMatch[];
  /** Shaped like rule findings, so they become diagnostics (and CLI lines) the same way. */
  findings: Finding[];
  /** One line: `2/2 pins match api.example.com: 1 live, 1 backup · leaf expires in 64 days`. */
  summary: string;
}

/** Judges `set`'s pins against what `host` served in `check`. */
export function verifyPinSet(set: PinSet, host: string, check: HostCheck, options: VerifyOptions): PinSetVerificationResult {
  const total = set.pins.length;
  if (!check.chain || check.chain.length === 0) {
    return {
      status: 'unreachable',
      matched: 0,
      total,
      pins: set.pins.map((p) => ({ value: p.value, range: p.range, state: p.backup ? 'backup' : 'stale' })),
      findings: [],
      summary: `${host} could not be checked: ${check.error ?? 'no certificate received'}`,
    };
  }
  const chain = check.chain;
  const pins: PinMatch[] = set.pins.map((pin) => {
    const digest = pinDigest(pin.value);
    const certificate = digest === undefined ? undefined
      : chain.find((c) => c.spkiSha256 === digest) ?? chain.find((c) => hexToBase64(c.certSha256) === digest);
    const state: RotationState = certificate ? 'live' : pin.backup ? 'backup' : 'stale';
    return { value: pin.value, range: pin.range, state, ...(certificate ? { certificate } : {}) };
  });
  const matched = pins.filter((p) => p.certificate).length;
  const rotation: Record<RotationState, number> = { live: 0, backup: 0, stale: 0 };
  for (const pin of pins) rotation[pin.state]++;
  const leafExpiresInDays = daysUntil(chain[0].notAfter, options.now);
  const data = { fix: 'fetch-pins', host, target: check.target };
  // `api.example.com (203.0.113.5:8443)` only when the address says more than the host.
  const served = check.target === host || check.target === `${host}:443` ? host : `${host} (${check.target})`;
  const findings: Finding[] = [];

  if (matched === 0) {
    const { id, level } = VERIFICATION_DIAGNOSTICS.noPinMatchesHost;
    const leaf = chain[0];
    findings.push({
      ruleId: id,
      level,
      range: set.range,
      message: `No pin of this set matches the certificates ${served} serves now: a build with these pins cannot connect to it. ` +
        `The leaf (${leaf.subjectCN || leaf.subject}) has pin sha256/${leaf.spkiSha256}.`,
      data,
    });
  } else if (matched === total) {
    const { id, level } = VERIFICATION_DIAGNOSTICS.noBackupPin;
    findings.push({
      ruleId: id,
      level,
      range: set.range,
      message: `Every pin of this set matches a certificate ${served} serves now: none is a backup. If that key must change — a rotation, ` +
        'a compromise, a CA move — every installed build fails to connect until an update ships. Pin a backup key you hold offline ' +
        '("Pinning Audit: Create Backup Key…" or `pinning-audit backup-key`).',
      data,
    });
  } else {
    for (const pin of pins) {
      // Backups match nothing yet, by design; invalid-pin reports the malformed ones.
      if (pin.state !== 'stale' || pinDigest(pin.value) === undefined) continue;
      const { id, level } = VERIFICATION_DIAGNOSTICS.stalePin;
      findings.push({
        ruleId: id,
        level,
        range: pin.range,
        message: `This pin matches no certificate ${served} serves now. ` +
          'Keep it only as the backup key of a planned rotation; otherwise replace it with a pin of the served chain.',
        data: { ...data, pin: pin.value },
      });
    }
  }
  for (const pin of pins) {
    if (!pin.certificate) continue;
    const days = daysUntil(pin.certificate.notAfter, options.now);
    if (days > options.rotationWarningDays) continue;
    const { id, level } = VERIFICATION_DIAGNOSTICS.pinnedCertificateExpiring;
    const name = pin.certificate.subjectCN || pin.certificate.subject;
    const when = days < 0 ? `expired ${-days} day${days === -1 ? '' : 's'} ago` : `expires ${inDays(days)}`;
    findings.push({
      ruleId: id,
      level,
      range: pin.range,
      message: `The ${pin.certificate.role} certificate this pin matches (${name}, served by ${host}) ${when}, on ${pin.certificate.notAfter.slice(0, 10)}. ` +
        'Its renewal must keep this key, or the set needs a pin of the new key before installed builds meet it.',
      data: { ...data, pin: pin.value },
    });
  }

  findings.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
  const leaf = leafExpiresInDays < 0 ? `leaf expired ${-leafExpiresInDays} day${leafExpiresInDays === -1 ? '' : 's'} ago` : `leaf expires ${inDays(leafExpiresInDays)}`;
  const setExpiry = set.expires && parseIsoDay(set.expires.date);
  const pinSetExpiresInDays = setExpiry ? daysUntilDay(setExpiry, options.now) : undefined;
  const setNote = pinSetExpiresInDays === undefined ? ''
    : pinSetExpiresInDays <= 0 ? ` · pin set expired on ${set.expires!.date}: its pins are not checked` : ` · pin set expires ${inDays(pinSetExpiresInDays)}`;
  const summary = matched === 0
    ? `0/${total} pins match ${host}: this build cannot connect · ${leaf}${setNote}`
    : `${matched}/${total} pin${total === 1 ? '' : 's'} match ${host}: ${rotationText(rotation)} · ${leaf}${setNote}`;
  return {
    status: matched === 0 ? 'noMatch' : 'ok', matched, total, leafExpiresInDays, rotation,
    ...(pinSetExpiresInDays !== undefined ? { pinSetExpiresInDays } : {}),
    pins, findings, summary,
  };
}

/** Whole days from `now` until `iso` (rounded down; negative once past). */
export function daysUntil(iso: string, now: Date): number {
  return Math.floor((Date.parse(iso) - now.getTime()) / DAY_MS);
}

/** `1 live, 1 backup`, `2 live, no backup`, `1 live, 1 backup, 1 stale`. */
function rotationText({ live, backup, stale }: Record<RotationState, number>): string {
  return [`${live} live`, backup ? `${backup} backup` : stale ? '' : 'no backup', stale ? `${stale} stale` : ''].filter(Boolean).join(', ');
}

function inDays(days: number): string {
  return days === 0 ? 'today' : `in ${days} day${days === 1 ? '' : 's'}`;
}
