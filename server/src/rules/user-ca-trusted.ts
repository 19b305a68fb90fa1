import { defineRule, type RuleContext } from '../engine/rule';
import { isNetworkSecurityConfig, NSC_ROOT, trustAnchors, type TrustAnchor } from '../platform/network-security-config';

export const userCaTrusted = defineRule(
  {
    id: 'user-ca-trusted',
    level: 'warning',
    security: { cwe: [295, 296], masvs: ['MASVS-NETWORK-1', 'MASVS-NETWORK-2'], severity: 6.5, precision: 'very-high' },
    families: ['xml'],
    description: 'A release network security config trusts user-installed CAs, or lets a trust anchor override the pins.',
    triggers: { xml: [NSC_ROOT] },
  },
  { xml: check },
);

function check(context: RuleContext): void {
  if (!isNetworkSecurityConfig(context.file)) return;
  const { file } = context;
  for (const anchor of trustAnchors(file)) {
    const where = scopeName(anchor);
    if (anchor.overridePins?.value === 'true') {
      const who = anchor.src === 'user' ? 'a CA the device\'s user installed' : anchor.src === 'system' ? 'any CA of the system store' : `the CA in ${anchor.src}`;
      context.report(
        file.rangeAt(anchor.overridePins.start, anchor.overridePins.end),
        `overridePins="true" in ${where}: a chain issued by ${who} is accepted without matching a pin, so pinning is off for every certificate it issues. Remove the attribute (or move a debugging proxy's anchor into <debug-overrides>).`,
        { level: 'error', data: { fix: 'dropOverridePins', user: anchor.src === 'user' } },
      );
    } else if (anchor.src === 'user') {
      context.report(
        file.rangeAt(anchor.element.start, anchor.element.end),
        `<certificates src="user"/> in ${where}: release builds trust every CA the device's user installed — a debugging proxy's, or one a malicious profile added — for these connections. Move it into <debug-overrides>, which applies only to debuggable builds.`,
        { data: { fix: 'moveUserCertificates' } },
      );
    }
  }
}

function scopeName(anchor: TrustAnchor): string {
  if (anchor.scope.kind === 'base-config') return '<base-config>';
  return anchor.scope.domain ? `the <domain-config> of ${anchor.scope.domain}` : 'a <domain-config>';
}
