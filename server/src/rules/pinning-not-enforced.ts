import type { Family } from '../engine/languages';
import { defineRule, type Check, type RuleContext } from '../engine/rule';
import { familiesWithEffect, reportTrustOptions, withLibraryTriggers } from '../libraries';

const FAMILIES = familiesWithEffect('pinsNotEnforced');

export const pinningNotEnforced = defineRule(
  {
    id: 'pinning-not-enforced',
    level: 'error',
    families: FAMILIES,
    description: 'Pins are configured, but the library only reports a mismatch: every certificate the system trusts is accepted.',
    triggers: withLibraryTriggers(undefined, 'pinsNotEnforced'),
    relaxedInDebugCode: true,
  },
  Object.fromEntries(FAMILIES.map((f): [Family, Check] => [f, check])),
);

function check(context: RuleContext): void {
  reportTrustOptions(context, 'pinsNotEnforced');
}
