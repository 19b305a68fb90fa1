/**
 * Platform pinning configs: what of an XML file the rules read. Only two kinds of XML file hold
 * pins, Android's network security config and iOS property lists; every other XML file has no
 * pin set and no finding (the trigger words keep it from being parsed at all).
 */
import type { SourceFile } from '../engine/source-file';
import type { TriggerList } from '../engine/types';
import type { PinSet } from '../engine/workspace';
import { plistPinSets } from './info-plist';
import { isNetworkSecurityConfig, NSC_ROOT, nscPinSets } from './network-security-config';

/** Words one of which every XML file with a pin set holds. */
export const XML_PIN_SET_TRIGGERS: TriggerList = [NSC_ROOT, 'NSPinnedDomains', 'TSKPinnedDomains'];

export function platformPinSets(file: SourceFile): PinSet[] {
  if (isNetworkSecurityConfig(file)) return nscPinSets(file);
  if (file.xml?.root.name === 'plist') return plistPinSets(file);
  return [];
}
