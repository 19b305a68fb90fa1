/**
 * iOS App Transport Security pins written in JavaScript: an Expo app config's `ios.infoPlist`, or
 * a config plugin that sets `modResults.NSAppTransportSecurity` (what React Native apps ship
 * instead of editing Info.plist):
 *
 *     NSAppTransportSecurity: { NSPinnedDomains: { 'api.example.com': {
 *       NSPinnedLeafIdentities: [{ 'SPKI-SHA256-BASE64': '...=' }, { 'SPKI-SHA256-BASE64': '...=' }],
 *     } } }
 *
 * As in an Info.plist (platform/info-plist.ts), each identity list of a host is a pin set for it:
 * its pins are the `SPKI-SHA256-BASE64` values of the list's dictionaries. A list whose values the
 * file does not hold (`process.env.PIN`) is no set we can read.
 */
import type { Node } from 'web-tree-sitter';
import type { SourceFile } from '../engine/source-file';
import { looksLikeHost } from '../facts/pin-sets';
import { tsConstantValue, tsPropertyName } from '../facts/ts';
import { descendantsAround } from '../facts/tree';
import { ATS_IDENTITY_LISTS, ATS_PIN_KEY } from '../platform/info-plist';
import type { LibraryModel, PinSetClaim } from './model';

const PINNED_DOMAINS = 'NSPinnedDomains';

export const iosAtsConfig: LibraryModel = {
  id: 'ios-ats-config',
  name: 'iOS App Transport Security pins in JS (Expo `ios.infoPlist`, config plugins)',
  family: 'ts',
  triggers: [PINNED_DOMAINS],
  effects: [],
  pinSets,
};

function pinSets(file: SourceFile): PinSetClaim[] {
  const claims: PinSetClaim[] = [];
  for (const property of descendantsAround(file.root, file.text, ['pair'], ATS_IDENTITY_LISTS)) {
    const listKey = tsPropertyName(property);
    const list = property.childForFieldName('value');
    if (!listKey || !ATS_IDENTITY_LISTS.includes(listKey) || list?.type !== 'array') continue;
    const host = pinnedDomainOf(property);
    const pins = identityValues(file, list);
    if (!host || !pins) continue;
    claims.push({ node: list, library: iosAtsConfig.id, host, name: `${host} ${listKey}`, format: { kind: 'spki-sha256' }, pins });
  }
  return claims;
}

/** The host whose options hold `property`, when they are an entry of `NSPinnedDomains`. */
function pinnedDomainOf(property: Node): string | undefined {
  const options = property.parent;
  const entry = options?.type === 'object' ? options.parent : undefined;
  const domains = entry?.type === 'pair' ? entry.parent : undefined;
  const owner = domains?.type === 'object' ? domains.parent : undefined;
  if (entry?.type !== 'pair' || owner?.type !== 'pair' || tsPropertyName(owner) !== PINNED_DOMAINS) return undefined;
  const host = tsPropertyName(entry);
  return host && looksLikeHost(host) ? host : undefined;
}

/** The `SPKI-SHA256-BASE64` value of each dictionary in `list`; undefined when an element is anything else. */
function identityValues(file: SourceFile, list: Node): Node[] | undefined {
  const values: Node[] = [];
  for (const element of list.namedChildren) {
    if (!element || element.type === 'comment') continue;
    const identity = element.type === 'identifier' ? tsConstantValue(file, element) : element;
    const pair = identity?.type === 'object' ? identity.namedChildren.find((p) => p?.type === 'pair' && tsPropertyName(p) === ATS_PIN_KEY) : undefined;
    const value = pair?.childForFieldName('value');
    if (!value) return undefined;
    values.push(value);
  }
  return values;
}
