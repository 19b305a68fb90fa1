/** Pins as written in code (base64, `sha256/` base64, hex, colon hex) reduced to one comparable digest. */

const SHA256_PREFIX = 'sha256/';
// The final "=" optional: Android reads a pin without it (android.util.Base64), and it names the same key.
const BASE64_DIGEST = /^[A-Za-z0-9+/]{43}=?$/;
const HEX_DIGEST = /^[0-9a-fA-F]{64}$/;
const COLON_HEX_DIGEST = /^[0-9a-fA-F]{2}(?::[0-9a-fA-F]{2}){31}$/;

/** The 32 bytes `body` holds as base64, its final "=" written or not (as android.util.Base64 reads it). */
function base64DigestBytes(body: string): Buffer | undefined {
  if (!BASE64_DIGEST.test(body)) return undefined;
  const bytes = Buffer.from(body, 'base64');
  return bytes.length === 32 ? bytes : undefined;
}

/** Whether `body` is base64 of 32 bytes, its final "=" written or not. */
export function isBase64Digest(body: string): boolean {
  return base64DigestBytes(body) !== undefined;
}

/** The base64 form of the 32-byte digest a pin holds, or undefined when it is not a SHA-256 value. */
export function pinDigest(value: string): string | undefined {
  const body = value.startsWith(SHA256_PREFIX) ? value.slice(SHA256_PREFIX.length) : value;
  const base64 = base64DigestBytes(body);
  if (base64) return base64.toString('base64');
  if (HEX_DIGEST.test(body)) return Buffer.from(body, 'hex').toString('base64');
  if (COLON_HEX_DIGEST.test(body)) return Buffer.from(body.replace(/:/g, ''), 'hex').toString('base64');
  return undefined;
}

/** Base64 of a hex digest (how `certSha256` compares with pins). */
export function hexToBase64(hex: string): string {
  return Buffer.from(hex, 'hex').toString('base64');
}

/**
 * `spkiSha256` (base64) written like the pins already in the set: with the `sha256/` prefix when
 * any has it, else in hex or colon hex (same letter case) when the set is written that way.
 */
export function formatPinLike(existing: readonly string[], spkiSha256: string): string {
  if (existing.some((v) => v.startsWith(SHA256_PREFIX))) return SHA256_PREFIX + spkiSha256;
  const sample = existing.find((v) => pinDigest(v) !== undefined);
  if (sample === undefined || BASE64_DIGEST.test(sample)) return spkiSha256;
  const hex = Buffer.from(spkiSha256, 'base64').toString('hex');
  const upper = /[A-F]/.test(sample) && !/[a-f]/.test(sample);
  const cased = upper ? hex.toUpperCase() : hex;
  return COLON_HEX_DIGEST.test(sample) ? cased.match(/../g)!.join(':') : cased;
}
