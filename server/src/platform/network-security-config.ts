/**
 * Android's Network Security Configuration (res/xml/network_security_config.xml, API 24+):
 *
 *     <network-security-config>
 *       <base-config><trust-anchors><certificates src="system"/></trust-anchors></base-config>
 *       <domain-config>
 *         <domain includeSubdomains="true">api.example.com</domain>
 *         <pin-set expiration="2027-06-01"><pin digest="SHA-256">…=</pin></pin-set>
 *       </domain-config>
 *       <debug-overrides>…</debug-overrides>
 *     </network-security-config>
 *
 * - Each `<pin-set>` is a pin set for each `<domain>` of its `<domain-config>`; a nested
 *   domain-config without a pin-set of its own inherits its parent's, so that set is its too.
 * - After `expiration` Android stops checking the pins: every trusted CA is accepted.
 * - `<certificates src="user"/>` trusts CAs the device's user installed; `overridePins="true"`
 *   lets an anchor's certificates pass without matching a pin.
 * - `<debug-overrides>` applies only when `android:debuggable` is true: nothing there is reported.
 */
import type { SourceFile } from '../engine/source-file';
import type { PinSet } from '../engine/workspace';
import { attribute, childElements, elementPin, type XmlAttribute, type XmlElement } from './xml';

export const NSC_ROOT = 'network-security-config';
export const NSC_LIBRARY = 'android-nsc';

/** A `<certificates>` trust anchor outside `<debug-overrides>`. */
export interface TrustAnchor {
  element: XmlElement;
  src: string;
  overridePins: XmlAttribute | undefined;
  /** `base-config`, or the domain-config's first domain. */
  scope: { kind: 'base-config' } | { kind: 'domain-config'; domain?: string };
  /** The `<trust-anchors>` element holding it. */
  trustAnchors: XmlElement;
}

export function isNetworkSecurityConfig(file: SourceFile): boolean {
  return file.xml?.root.name === NSC_ROOT;
}

export function nscPinSets(file: SourceFile): PinSet[] {
  const root = file.xml!.root;
  const sets: PinSet[] = [];
  for (const config of domainConfigs(root)) {
    const pinSet = ownOrInheritedPinSet(config);
    if (!pinSet) continue;
    const pins = childElements(pinSet, 'pin').map((pin) => {
      const digest = attribute(pin, 'digest');
      return {
        ...elementPin(file, pin),
        // Android requires the attribute; only "SHA-256" is defined.
        digest: digest ? { name: digest.value, range: file.rangeAt(digest.start, digest.end) } : { name: '', range: file.rangeAt(pin.start, pin.openEnd) },
      };
    });
    const expiration = attribute(pinSet, 'expiration');
    const base = {
      file: file.id,
      kind: 'collection' as const,
      range: file.rangeAt(pinSet.start, pinSet.end),
      pins,
      usesSha256Prefix: false,
      library: NSC_LIBRARY,
      ...(expiration ? { expires: { date: expiration.value, range: file.rangeAt(expiration.valueStart, expiration.valueEnd) } } : {}),
    };
    const domains = domainNames(config);
    if (domains.length === 0) sets.push({ ...base, name: 'domain-config' });
    for (const domain of domains) sets.push({ ...base, host: domain, name: domain });
  }
  return sets;
}

/** The host names a `<domain-config>`'s `<domain>` elements give (none for another element). */
export function domainNames(config: XmlElement): string[] {
  return childElements(config, 'domain').map((d) => d.text.trim()).filter(Boolean);
}

/**
 * `<pin>` elements written straight in a `<domain-config>` (or `<base-config>`, or the root):
 * Android's parser skips any element it does not expect there (`XmlUtils.skipCurrentTag` in
 * `XmlConfigSource.parseConfigEntry`), so they pin nothing. Only a `<pin-set>` holds pins.
 */
export function strayPins(root: XmlElement): { config: XmlElement; pins: XmlElement[]; pinSet: XmlElement | undefined }[] {
  const configs = [root, ...childElements(root, 'base-config'), ...domainConfigs(root)];
  return configs.flatMap((config) => {
    const pins = childElements(config, 'pin');
    return pins.length === 0 ? [] : [{ config, pins, pinSet: config.name === 'domain-config' ? ownOrInheritedPinSet(config) : undefined }];
  });
}

function ownOrInheritedPinSet(config: XmlElement): XmlElement | undefined {
  for (let c: XmlElement | undefined = config; c?.name === 'domain-config'; c = c.parent) {
    const own = childElements(c, 'pin-set')[0];
    if (own) return own;
  }
  return undefined;
}

/** Every `<domain-config>`, nested ones included (they may hold pin-sets of their own). */
export function domainConfigs(root: XmlElement): XmlElement[] {
  const found: XmlElement[] = [];
  const visit = (element: XmlElement) => {
    for (const config of childElements(element, 'domain-config')) {
      found.push(config);
      visit(config);
    }
  };
  visit(root);
  return found;
}

export function trustAnchors(file: SourceFile): TrustAnchor[] {
  const root = file.xml!.root;
  const anchors: TrustAnchor[] = [];
  const collect = (owner: XmlElement, scope: TrustAnchor['scope']) => {
    for (const trust of childElements(owner, 'trust-anchors')) {
      for (const element of childElements(trust, 'certificates')) {
        anchors.push({ element, src: attribute(element, 'src')?.value ?? '', overridePins: attribute(element, 'overridePins'), scope, trustAnchors: trust });
      }
    }
  };
  for (const base of childElements(root, 'base-config')) collect(base, { kind: 'base-config' });
  for (const config of domainConfigs(root)) collect(config, { kind: 'domain-config', domain: childElements(config, 'domain')[0]?.text.trim() });
  return anchors;
}

