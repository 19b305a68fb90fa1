import { defineRule, type RuleContext } from '../engine/rule';
import { pinSetRuleTriggers, pinSets } from '../facts/pin-sets';
import { NSC_LIBRARY } from '../platform/network-security-config';
import { isBase64Digest } from '../pins/pin-value';

export const invalidPin = defineRule(
  {
    id: 'invalid-pin',
    level: 'error',
    security: { cwe: [295, 322], masvs: ['MASVS-NETWORK-2'], severity: 5.3, precision: 'very-high' },
    families: ['dart', 'swift', 'ts', 'xml'],
    description: 'A pin is not a SHA-256 pin: wrong length, a placeholder, a malformed sha256/ prefix, or a duplicate.',
    triggers: pinSetRuleTriggers(),
  },
  { dart: check, swift: check, ts: check, xml: check },
);

const PLACEHOLDER_WORDS = /your|pin here|placeholder|todo|fixme|replace|changeme|example|insert|<[^>]*>|\.\.\.|^x+$|^(test|dummy|fake)/i;
/** base64 of SHA-256 over zero bytes: what a hash of a failed (empty) key export gives. */
const SHA256_OF_NOTHING = '47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=';
/**
 * Hex digests that are pins as written: SHA-256 (64 digits, colons allowed), and SHA-1 in the
 * colon form Node's `fingerprint` and `openssl x509 -fingerprint` print, compared as such.
 * Hashes of whole certificates both: full-certificate-hash's business, not this rule's.
 */
const HEX_DIGEST = /^([0-9a-fA-F]{64}|[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){31}|[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){19})$/;

/** Why `value` is not a usable SHA-256 pin, or undefined when it is one. */
export function pinProblem(value: string): { reason: string; fix?: string } | undefined {
  const body = value.startsWith('sha256/') ? value.slice('sha256/'.length) : value;
  // A key hash's base64 starts with `/` one time in 64: `sha256//7CF…=` is then a pin, not a typo.
  if (value.startsWith('sha256//') && !isCanonicalSha256Base64(body)) {
    return { reason: 'The prefix is "sha256//" (two slashes): no pin will ever match it; the prefix is "sha256/".', fix: 'repairPrefix' };
  }
  if (HEX_DIGEST.test(body)) return undefined;
  if (PLACEHOLDER_WORDS.test(body) && !isCanonicalSha256Base64(body)) return { reason: `"${shorten(body)}" is a placeholder, not a pin.` };
  if (body === SHA256_OF_NOTHING) return { reason: `"${shorten(body)}" is the SHA-256 of no data at all, not of a key: a hash of an empty key export, or a copied example.` };
  const unpadded = body.replace(/=+$/, '');
  if (/^(.)\1*$/.test(unpadded) || isAllZeroBytes(body)) return { reason: `"${shorten(body)}" is a placeholder (one repeated character), not a real key's hash.` };
  const unit = repeatedUnit(unpadded);
  if (unit) return { reason: `"${shorten(body)}" repeats "${unit}": a placeholder (a dud pin?), not a real key's hash.` };
  if (!isCanonicalSha256Base64(body)) {
    const bytes = /^[A-Za-z0-9+/]+=*$/.test(body) ? Buffer.from(body, 'base64').length : undefined;
    if (bytes === 32) {
      // 32 bytes, yet not a digest's base64: no "=" at the end, or a last character with bits
      // past the 256th set (a hand-edited copy of a pin).
      const reason = isUnpaddedSha256Base64(body) ? 'lacks the final "=" of a SHA-256 pin (base64 of 32 bytes is 44 characters)' : 'is not how base64 writes a 32-byte digest: its last character sets bits past the 256th (an edited copy of a pin?)';
      return { reason: `"${shorten(body)}" ${reason}.` };
    }
    const size = bytes === undefined ? 'is not base64' : `decodes to ${bytes} bytes`;
    return { reason: `"${shorten(body)}" ${size}; a SHA-256 pin is base64 of exactly 32 bytes (44 characters ending in "=").` };
  }
  return undefined;
}

function isCanonicalSha256Base64(body: string): boolean {
  if (!/^[A-Za-z0-9+/]{43}=$/.test(body)) return false;
  const bytes = Buffer.from(body, 'base64');
  return bytes.length === 32 && bytes.toString('base64') === body;
}

/**
 * The 2 to 16 characters `body` repeats from its start to its end, at least twice
 * (`ABCDEFABCDEF…`): a typed dud. A real digest's base64 does so once in 2^160 or more.
 */
function repeatedUnit(body: string): string | undefined {
  for (let n = 2; n <= 16 && 2 * n <= body.length; n++) {
    let i = n;
    while (i < body.length && body[i] === body[i % n]) i++;
    if (i === body.length) return body.slice(0, n);
  }
  return undefined;
}

/** A SHA-256 digest's base64 without its final "=". */
function isUnpaddedSha256Base64(body: string): boolean {
  return body.length === 43 && isCanonicalSha256Base64(`${body}=`);
}

function isAllZeroBytes(body: string): boolean {
  return isCanonicalSha256Base64(body) && Buffer.from(body, 'base64').every((b) => b === 0);
}

function shorten(s: string): string {
  return s.length > 24 ? `${s.slice(0, 21)}…` : s;
}

/** Why `value` is not a hex fingerprint of `bytes` bytes (20 or 32 when the algorithm is not known): `AB CD …`, `AB:CD:…`, `abcd…`. */
export function fingerprintProblem(value: string, bytes?: 20 | 32): { reason: string; fix?: string } | undefined {
  const hex = value.replace(/[\s:]/g, '');
  if (!/^[0-9a-fA-F]*$/.test(hex) || hex.length % 2 !== 0) {
    if (PLACEHOLDER_WORDS.test(value)) return { reason: `"${shorten(value)}" is a placeholder, not a certificate fingerprint.` };
    return { reason: `"${shorten(value)}" is not a hex fingerprint (pairs of hex digits, separated by spaces or colons).` };
  }
  const length = hex.length / 2;
  const expected = bytes ? [bytes] : [20, 32];
  if (!expected.includes(length)) {
    const algorithm = bytes === 20 ? 'a SHA-1 fingerprint is 20 bytes' : bytes === 32 ? 'a SHA-256 fingerprint is 32 bytes' : 'a SHA-1 fingerprint is 20 bytes, a SHA-256 one 32';
    return { reason: `"${shorten(value)}" holds ${length} bytes; ${algorithm}.` };
  }
  if (/^(.)\1*$/.test(hex)) return { reason: `"${shorten(value)}" is a placeholder (one repeated digit), not a real certificate's fingerprint.` };
  return undefined;
}

/**
 * `pinProblem` for a platform config: Android's `<pin>` and iOS's `SPKI-SHA256-BASE64` /
 * TrustKit's hashes are base64 only, without a prefix.
 */
function platformPinProblem(value: string, android: boolean): { reason: string; fix?: string } | undefined {
  // Android's parser throws on a pin that is not base64 of 32 bytes: the whole config fails to
  // load. One that is (a placeholder `AAAA…=`, a dud) loads, and matches no key.
  const effect = !android ? '' : isBase64Digest(value) ? ' Android reads it, and no key matches it.' : ' Android refuses the whole config (the app\'s first connection fails).';
  if (value.startsWith('sha256/')) return { reason: `A pin here is the bare base64 digest, without the "sha256/" prefix.${effect || ' With it, it matches no key.'}` };
  // Android decodes pins with android.util.Base64, which needs no final "=": 43 characters are the same pin.
  const pin = android && isUnpaddedSha256Base64(value) ? `${value}=` : value;
  const problem = pinProblem(pin);
  if (problem) return { ...problem, reason: `${problem.reason}${effect}` };
  if (!isCanonicalSha256Base64(pin)) return { reason: `"${shorten(value)}" is hex; this file reads base64 of the SHA-256 digest (44 characters ending in "=").${effect || ' As written, it matches no key.'}` };
  return undefined;
}

/** Android defines one digest: a pin with another, or none, is rejected when the config is read. */
function digestProblem(digest: { name: string } | undefined): string | undefined {
  // Android compares the name ignoring case.
  if (!digest || digest.name.toUpperCase() === 'SHA-256') return undefined;
  if (digest.name === '') return 'This <pin> has no digest attribute: Android refuses a config without digest="SHA-256".';
  return `digest="${shorten(digest.name)}": Android knows only "SHA-256" and refuses this config. Write the SHA-256 digest of the key with digest="SHA-256".`;
}

function check(context: RuleContext): void {
  const platform = context.file.family === 'xml';
  for (const set of pinSets(context.file)) {
    // File names of bundled certificates are no pins; what they hold is checked elsewhere.
    if (set.format?.kind === 'certificate-file') continue;
    const fingerprint = set.format?.kind === 'certificate-fingerprint' ? set.format : undefined;
    const seen = new Set<string>();
    for (const pin of set.pins) {
      const base64 = pin.value.replace(/^sha256\//, '');
      // An Android pin with and without its final "=" is the same pin.
      const normalized = fingerprint ? pin.value.replace(/[\s:]/g, '').toLowerCase() : set.library === NSC_LIBRARY ? base64.replace(/=$/, '') : base64;
      if (seen.has(normalized)) {
        context.report(pin.range, 'This pin repeats an earlier pin of the same set: it is no backup. Replace it with the hash of your backup key.', {
          data: { fix: 'removeDuplicate' },
        });
        continue;
      }
      seen.add(normalized);
      const digest = digestProblem(pin.digest);
      if (digest) context.report(pin.digest!.range, digest);
      const problem = fingerprint ? fingerprintProblem(pin.value, fingerprint.bytes) : platform ? platformPinProblem(pin.value, set.library === NSC_LIBRARY) : pinProblem(pin.value);
      // A host serves SPKI pins, not the fingerprint format a library may read: no fix then.
      if (problem) context.report(pin.range, problem.reason, fingerprint ? {} : { data: { fix: problem.fix ?? 'replaceFromHost' } });
    }
  }
}
