import type { Family } from '../engine/languages';
import { defineRule, type Check, type RuleContext } from '../engine/rule';
import { familiesWithEffect, reportTrustOptions, withLibraryTriggers } from '../libraries';

const FAMILIES = familiesWithEffect('chainNotValidated');

export const chainValidationDisabled = defineRule(
  {
    id: 'chain-validation-disabled',
    level: 'warning',
    security: { cwe: [295, 296], masvs: ['MASVS-NETWORK-1'], severity: 6.5, precision: 'high' },
    families: FAMILIES,
    description: 'A pin check runs without the platform\'s chain validation: an expired, revoked or self-signed certificate that carries a pinned key passes.',
    // Only library options turn chain validation off: the models' words.
    triggers: withLibraryTriggers(undefined, 'chainNotValidated'),
    relaxedInDebugCode: true,
  },
  Object.fromEntries(FAMILIES.map((f): [Family, Check] => [f, check])),
);

function check(context: RuleContext): void {
  reportTrustOptions(context, 'chainNotValidated');
}
