/**
 * TrustKit (Swift): the configuration dictionary handed to `TrustKit.initSharedInstance(withConfiguration:)`
 * or `TrustKit(configuration:)`, written with the `kTSK…` constants or their string values
 * (`"TSKPinnedDomains"`):
 *
 *     kTSKPinnedDomains: ["api.example.com": [kTSKPublicKeyHashes: ["…=", "…="], kTSKEnforcePinning: true]]
 *
 * - Each domain's `kTSKPublicKeyHashes` is a pin set tied to that domain (base64 SPKI SHA-256).
 *   TrustKit refuses to start with fewer than two: it raises at initialisation.
 * - `kTSKEnforcePinning: false` → pins are only reported (to `kTSKReportUris`), never enforced.
 */
import type { Node } from 'web-tree-sitter';
import type { SourceFile } from '../engine/source-file';
import { looksLikeHost, stringConstant } from '../facts/pin-sets';
import { descendantsAround, stringValue } from '../facts/tree';
import type { LibraryModel, PinSetClaim, TrustOption } from './model';
import { setOption } from './option-fixes';
import { TRUSTKIT_SINGLE_PIN_NOTE } from '../platform/info-plist';

const HASHES = ['kTSKPublicKeyHashes', 'TSKPublicKeyHashes'];
const ENFORCE = ['kTSKEnforcePinning', 'TSKEnforcePinning'];
const EXPIRATION = ['kTSKExpirationDate', 'TSKExpirationDate'];


export const trustkit: LibraryModel = {
  id: 'trustkit',
  name: 'TrustKit',
  family: 'swift',
  // Case-insensitive substrings: `TSKPublicKeyHashes` finds the constant and the string key.
  triggers: ['TSKPublicKeyHashes', 'TSKEnforcePinning', 'TSKExpirationDate'],
  effects: ['pinsNotEnforced'],
  trustOptions,
  pinSets,
};

/** The `key: value` entries of the file's dictionaries whose key is one of `keys`. */
function entries(file: SourceFile, keys: readonly string[]): { key: Node; value: Node; dictionary: Node }[] {
  const found: { key: Node; value: Node; dictionary: Node }[] = [];
  for (const dictionary of descendantsAround(file.root, file.text, ['dictionary_literal'], keys)) {
    const children = dictionary.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment');
    for (let i = 0; i + 1 < children.length; i += 2) {
      if (keys.includes(keyName(children[i]) ?? '')) found.push({ key: children[i], value: children[i + 1], dictionary });
    }
  }
  return found;
}

/** `kTSKPublicKeyHashes` or `"TSKPublicKeyHashes"`. */
function keyName(key: Node): string | undefined {
  if (key.type === 'simple_identifier') return key.text;
  return key.type === 'line_string_literal' ? stringValue(key) : undefined;
}

/**
 * The domain whose settings `dictionary` is: its key in the `kTSKPinnedDomains` dictionary, a
 * string or a same-file string constant (`baseDomain: [...]`). `label` names the entry when the
 * key is a name we cannot resolve.
 */
function domainOf(file: SourceFile, dictionary: Node): { host?: string; label?: string } {
  const parent = dictionary.parent;
  if (parent?.type !== 'dictionary_literal') return {};
  let key = dictionary.previousNamedSibling;
  while (key?.type === 'comment') key = key.previousNamedSibling;
  if (!key) return {};
  const value = key.type === 'line_string_literal' ? stringValue(key)
    : key.type === 'simple_identifier' ? stringConstant(file, key.text)?.value : undefined;
  if (value && looksLikeHost(value)) return { host: value };
  return { label: key.type === 'simple_identifier' ? key.text : undefined };
}

/** `false`, `NSNumber(value: false)`, `NSNumber(booleanLiteral: false)`, `false as NSNumber`. */
function isFalse(value: Node): boolean {
  return /^(false|NSNumber\((value|booleanLiteral):\s*false\)|false\s+as\s+NSNumber)$/.test(value.text.trim());
}

function pinSets(file: SourceFile): PinSetClaim[] {
  return entries(file, HASHES).flatMap(({ value, dictionary }) => {
    if (value.type !== 'array_literal') return [];
    const { host, label } = domainOf(file, dictionary);
    return [{
      node: value,
      library: trustkit.id,
      host,
      name: host ? undefined : label ? `kTSKPinnedDomains[${label}]` : 'kTSKPublicKeyHashes',
      format: { kind: 'spki-sha256' },
      singlePinNote: TRUSTKIT_SINGLE_PIN_NOTE,
      ...expirationOf(dictionary),
    }];
  });
}

/** `kTSKExpirationDate: "2027-06-01"` beside the hashes: after it TrustKit stops enforcing them. */
function expirationOf(dictionary: Node): Pick<PinSetClaim, 'expires'> {
  const children = dictionary.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment');
  for (let i = 0; i + 1 < children.length; i += 2) {
    if (!EXPIRATION.includes(keyName(children[i]) ?? '')) continue;
    const date = children[i + 1].type === 'line_string_literal' ? stringValue(children[i + 1]) : undefined;
    // A plain `"…"` literal: the date is between its quotes.
    if (date !== undefined) return { expires: { date, start: children[i + 1].startIndex + 1, end: children[i + 1].endIndex - 1 } };
  }
  return {};
}

function trustOptions(file: SourceFile): TrustOption[] {
  return entries(file, ENFORCE).flatMap(({ key, value, dictionary }): TrustOption[] => {
    if (!isFalse(value)) return [];
    const { host } = domainOf(file, dictionary);
    return [{
      effect: 'pinsNotEnforced',
      library: trustkit.id,
      node: key,
      message: `kTSKEnforcePinning is false${host ? ` for ${host}` : ''}: TrustKit only reports a pin mismatch and lets the connection through, so any certificate the system trusts — a proxy's, a mis-issued one — is accepted.`,
      // `NSNumber(value: false)` keeps its box: `NSNumber(value: true)`.
      fix: setOption(value, 'kTSKEnforcePinning', value.text.replace('false', 'true')),
    }];
  });
}

