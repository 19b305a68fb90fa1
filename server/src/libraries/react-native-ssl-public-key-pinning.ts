/**
 * react-native-ssl-public-key-pinning (npm, frw): one call pins every `fetch`/`XMLHttpRequest` of
 * the app, OkHttp's CertificatePinner on Android and TrustKit on iOS:
 *
 *     initializeSslPinning({
 *       'api.example.com': { includeSubdomains: true, publicKeyHashes: ['…=', '…='], expirationDate: '2027-01-01' },
 *     });
 *
 * - Each domain's `publicKeyHashes` is a pin set tied to that domain (base64 SPKI SHA-256,
 *   without the `sha256/` prefix). TrustKit refuses fewer than two: `initializeSslPinning`
 *   throws on iOS.
 * - The configuration is read where it is written: in the call, in a same-file constant passed
 *   to it, or in any `{ 'host': { publicKeyHashes: [...] } }` object (a config module that
 *   another file hands to the call).
 */
import type { Node } from 'web-tree-sitter';
import type { SourceFile } from '../engine/source-file';
import { looksLikeHost } from '../facts/pin-sets';
import { tsConstantValue, tsPropertyName } from '../facts/ts';
import { descendantsAround, stringValue } from '../facts/tree';
import type { LibraryModel, PinSetClaim } from './model';

const PUBLIC_KEY_HASHES = 'publicKeyHashes';

export const reactNativeSslPublicKeyPinning: LibraryModel = {
  id: 'react-native-ssl-public-key-pinning',
  name: 'react-native-ssl-public-key-pinning',
  family: 'ts',
  triggers: [PUBLIC_KEY_HASHES],
  effects: [],
  pinSets,
};

function pinSets(file: SourceFile): PinSetClaim[] {
  const claims: PinSetClaim[] = [];
  for (const property of descendantsAround(file.root, file.text, ['pair', 'shorthand_property_identifier'], [PUBLIC_KEY_HASHES])) {
    if (tsPropertyName(property) !== PUBLIC_KEY_HASHES) continue;
    const value = property.type === 'pair' ? property.childForFieldName('value') : property;
    const hashes = value && arrayLiteral(file, value);
    const domainOptions = property.parent;
    if (!hashes || domainOptions?.type !== 'object') continue;
    const host = domainOf(file, domainOptions);
    claims.push({
      node: hashes,
      library: reactNativeSslPublicKeyPinning.id,
      host,
      name: host ? undefined : PUBLIC_KEY_HASHES,
      format: { kind: 'spki-sha256' },
      singlePinNote: 'On iOS the library pins through TrustKit, which refuses fewer than two pins for a domain: initializeSslPinning throws.',
    });
  }
  return claims;
}

/** `publicKeyHashes: [...]` or `publicKeyHashes: HASHES` (a same-file constant). */
function arrayLiteral(file: SourceFile, value: Node): Node | undefined {
  const resolved = value.type === 'identifier' || value.type === 'shorthand_property_identifier' ? tsConstantValue(file, value) : value;
  return resolved?.type === 'array' ? resolved : undefined;
}

/** The domain whose options `domainOptions` is: its key in the pinning options (`'api.example.com': {…}`). */
function domainOf(file: SourceFile, domainOptions: Node): string | undefined {
  const pair = domainOptions.parent;
  if (pair?.type !== 'pair' || pair.childForFieldName('value')?.id !== domainOptions.id) return undefined;
  const key = computedKey(file, pair) ?? tsPropertyName(pair);
  return key && looksLikeHost(key) ? key : undefined;
}

/** `[API_HOST]: {…}` with `const API_HOST = 'api.example.com'`. */
function computedKey(file: SourceFile, pair: Node): string | undefined {
  const key = pair.childForFieldName('key');
  const name = key?.type === 'computed_property_name' ? key.namedChildren[0] : undefined;
  const value = name?.type === 'identifier' ? tsConstantValue(file, name) : undefined;
  return value?.type === 'string' ? stringValue(value) : undefined;
}
