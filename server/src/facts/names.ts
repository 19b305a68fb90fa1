/** `SslPins` → ssl, pins; `fingerprint256` → fingerprint256; `SPKIHashes` → spki, hashes; `kPin` → k, pin. */
export function nameWords(name: string): string[] {
  return (name.match(/[A-Z]+(?![a-z])\d*|[A-Z]?[a-z]+\d*|\d+/g) ?? []).map((w) => w.toLowerCase());
}

/** Words that say a name holds pins (whole words: `spinner` and `shipping` do not count). */
const PIN_SET_WORD = /^(pins?|pinned|pinning|pinsets?|spkis?|hash(es)?|fingerprints?|fingerprint\d+|certs?|certificates?)$/;

/** Whether `name` mentions pin, spki, fingerprint, hash or cert as a word of its own. */
export function isPinSetName(name: string): boolean {
  return nameWords(name).some((w) => PIN_SET_WORD.test(w));
}
