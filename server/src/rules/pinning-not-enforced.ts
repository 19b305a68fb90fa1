import * as path from 'node:path';
import type { Family } from '../engine/languages';
import { defineRule, type Check, type RuleContext } from '../engine/rule';
import { familiesWithEffect, reportTrustOptions, withLibraryTriggers } from '../libraries';
import { configReference } from '../platform/android-manifest';
import { unenforcedTrustKitHosts } from '../platform/info-plist';
import { domainNames, isNetworkSecurityConfig, NSC_ROOT, strayPins } from '../platform/network-security-config';

const CODE_FAMILIES = familiesWithEffect('pinsNotEnforced');

export const pinningNotEnforced = defineRule(
  {
    id: 'pinning-not-enforced',
    level: 'error',
    security: { cwe: [295, 322], masvs: ['MASVS-NETWORK-2'], severity: 7.4, precision: 'high' },
    families: [...CODE_FAMILIES, 'xml'],
    description: 'Pins are configured, but not in effect: the library only reports a mismatch, a pinning agent goes to a fetch that ignores it, a <pin> lies outside a <pin-set>, or no manifest names the network security config.',
    triggers: { ...withLibraryTriggers(undefined, 'pinsNotEnforced'), xml: ['TSKEnforcePinning', NSC_ROOT] },
    relaxedInDebugCode: true,
  },
  { ...Object.fromEntries(CODE_FAMILIES.map((f): [Family, Check] => [f, check])), xml: checkPlatformConfig },
);

function check(context: RuleContext): void {
  reportTrustOptions(context, 'pinsNotEnforced');
}

function checkPlatformConfig(context: RuleContext): void {
  const { file } = context;
  for (const { host, value } of unenforcedTrustKitHosts(file)) {
    context.report(
      file.rangeAt(value.start, value.end),
      `TSKEnforcePinning is false for ${host}: TrustKit only reports a pin mismatch and lets the connection through, so any certificate the system trusts is accepted. Set it to true.`,
      { data: { fix: 'enforceTrustKitPins' } },
    );
  }
  if (!isNetworkSecurityConfig(file)) return;
  for (const { config, pins, pinSet } of strayPins(file.xml!.root)) {
    const stray = pins.length === 1 ? 'This <pin> is' : `These ${pins.length} <pin> elements are`;
    const range = file.rangeAt(pins[0].start, pins.at(-1)!.end);
    if (config.name !== 'domain-config') {
      context.report(range, `${stray} outside a <pin-set>: Android skips elements it does not expect in <${config.name}>, so nothing is pinned. Pins belong in a <pin-set> of a <domain-config> naming the hosts.`);
      continue;
    }
    const domains = domainNames(config);
    const scope = domains.length > 0 ? domains.join(', ') : 'this <domain-config>';
    const pinned = pinSet ? `${scope} is pinned by its <pin-set> alone, without ${pins.length === 1 ? 'this pin' : 'these pins'}` : `${scope} is not pinned at all`;
    context.report(range, `${stray} outside a <pin-set>: Android skips elements it does not expect here, so ${pinned}. Put ${pins.length === 1 ? 'it' : 'them'} in a <pin-set>.`, {
      data: { fix: 'wrapStrayPins' },
      ...(pinSet ? { level: 'warning' as const } : {}),
    });
  }
  const reference = configReference(file.id);
  if (!reference || reference.referenced) return;
  const root = file.xml!.root;
  const looked = reference.manifests.length === 0 ? 'there is no AndroidManifest.xml in this module\'s source sets' : reference.manifests.length === 1 ? 'the manifest of this module does not name it' : `none of this module's ${reference.manifests.length} manifests names it`;
  context.report(
    file.rangeAt(root.start, root.openEnd),
    `This network security config is not in effect: ${looked} (android:networkSecurityConfig="@xml/${path.basename(file.id, '.xml')}" on <application>). Android ignores its pins and trust anchors.`,
    { level: 'note' },
  );
}
