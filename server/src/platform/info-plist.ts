/**
 * Pins in an iOS app's Info.plist (XML plists only):
 *
 * - App Transport Security (iOS 14+): `NSAppTransportSecurity → NSPinnedDomains → <host> →
 *   NSPinnedLeafIdentities | NSPinnedCAIdentities → [{SPKI-SHA256-BASE64: …}]`. Each identity
 *   list is a pin set for the host; the system fails the connection when no certificate of the
 *   chain (of the leaf, or of the CAs) matches one.
 * - TrustKit: `TSKConfiguration → TSKPinnedDomains → <host> → TSKPublicKeyHashes → [string]`,
 *   with `TSKEnforcePinning` (default true) and `TSKExpirationDate` (`YYYY-MM-DD`) per host.
 *   TrustKit reads this key at launch when the app calls `TrustKit.initSharedInstance` with it,
 *   or by itself when `TSKSwizzleNetworkDelegates` is set.
 */
import type { SourceFile } from '../engine/source-file';
import type { PinSet } from '../engine/workspace';
import { entryOf, plistRoot, valueAt, type PlistEntry, type PlistValue } from './plist';
import { elementPin, trimmedContent, type XmlElement } from './xml';

export const ATS_LIBRARY = 'ios-ats';
export const TRUSTKIT_PLIST_LIBRARY = 'trustkit';
export const ATS_IDENTITY_LISTS = ['NSPinnedLeafIdentities', 'NSPinnedCAIdentities'];
export const ATS_PIN_KEY = 'SPKI-SHA256-BASE64';

/** What TrustKit does with fewer than two pins, in plists as in code (its Swift model says it too). */
export const TRUSTKIT_SINGLE_PIN_NOTE = 'TrustKit also refuses to start with fewer than two pins for a domain: it raises an exception at initialisation.';

/** A host entry of NSPinnedDomains or TSKPinnedDomains. */
export interface PlistHost {
  host: string;
  entry: PlistEntry;
  /** The pinned-domains dict the entry belongs to. */
  domains: PlistValue & { kind: 'dict' };
}

export function plistPinSets(file: SourceFile): PinSet[] {
  const root = plistRoot(file.xml!);
  if (!root) return [];
  return [...atsPinSets(file, root), ...trustKitPinSets(file, root)];
}

export function atsHosts(root: PlistValue): PlistHost[] {
  return hostsOf(valueAt(root, 'NSAppTransportSecurity', 'NSPinnedDomains'));
}

export function trustKitHosts(root: PlistValue): PlistHost[] {
  return hostsOf(valueAt(root, 'TSKConfiguration', 'TSKPinnedDomains'));
}

function hostsOf(domains: PlistValue | undefined): PlistHost[] {
  if (domains?.kind !== 'dict') return [];
  return domains.entries.filter((e) => e.value.kind === 'dict').map((entry) => ({ host: entry.key, entry, domains }));
}

function atsPinSets(file: SourceFile, root: PlistValue): PinSet[] {
  return atsHosts(root).flatMap(({ host, entry }) =>
    ATS_IDENTITY_LISTS.flatMap((listKey) => {
      const list = entryOf(entry.value, listKey)?.value;
      if (list?.kind !== 'array') return [];
      const pins = list.items.flatMap((identity) => {
        const value = entryOf(identity, ATS_PIN_KEY)?.value;
        return value && value.kind !== 'dict' && value.kind !== 'array' ? [elementPin(file, value.element)] : [];
      });
      return [pinSet(file, list.element, host, `${host} ${listKey}`, pins, ATS_LIBRARY)];
    }));
}

function trustKitPinSets(file: SourceFile, root: PlistValue): PinSet[] {
  return trustKitHosts(root).flatMap(({ host, entry }) => {
    const list = entryOf(entry.value, 'TSKPublicKeyHashes')?.value;
    if (list?.kind !== 'array') return [];
    const pins = list.items.filter((v) => v.kind === 'string').map((v) => elementPin(file, v.element));
    const set = pinSet(file, list.element, host, host, pins, TRUSTKIT_PLIST_LIBRARY);
    const expiration = entryOf(entry.value, 'TSKExpirationDate')?.value;
    if (expiration && (expiration.kind === 'string' || expiration.kind === 'date')) {
      const content = trimmedContent(file.text, expiration.element);
      set.expires = { date: expiration.text, range: file.rangeAt(content.start, content.end) };
    }
    set.singlePinNote = TRUSTKIT_SINGLE_PIN_NOTE;
    return [set];
  });
}

function pinSet(file: SourceFile, list: XmlElement, host: string, name: string, pins: PinSet['pins'], library: string): PinSet {
  return { file: file.id, kind: 'collection', range: file.rangeAt(list.start, list.end), host, name, pins, usesSha256Prefix: false, library };
}



/** `<key>TSKEnforcePinning</key><false/>` of a TrustKit host: TrustKit then only reports a mismatch. */
export function unenforcedTrustKitHosts(file: SourceFile): { host: string; value: XmlElement }[] {
  const root = plistRoot(file.xml!);
  if (!root) return [];
  return trustKitHosts(root).flatMap(({ host, entry }) => {
    const enforce = entryOf(entry.value, 'TSKEnforcePinning')?.value;
    return enforce?.kind === 'bool' && !enforce.value ? [{ host, value: enforce.element }] : [];
  });
}
