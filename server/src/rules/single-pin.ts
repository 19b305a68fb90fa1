import { defineRule, type RuleContext } from '../engine/rule';
import { pinSetRuleTriggers, pinSets } from '../facts/pin-sets';

export const singlePin = defineRule(
  {
    id: 'single-pin',
    level: 'warning',
    security: { cwe: [322], masvs: ['MASVS-NETWORK-2'], severity: 4.3, precision: 'very-high' },
    families: ['dart', 'swift', 'ts', 'xml'],
    description: 'A pin set holds fewer than two distinct pins: the next key rotation locks every installed build out.',
    triggers: pinSetRuleTriggers(),
  },
  { dart: check, swift: check, ts: check, xml: check },
);

function check(context: RuleContext): void {
  for (const set of pinSets(context.file)) {
    const distinct = new Set(set.pins.map((p) => p.value.replace(/^sha256\//, ''))).size;
    if (distinct >= 2) continue;
    const subject = set.host ? `The pin set for ${set.host}` : set.name ? `The pin set ${set.name}` : 'This pin check';
    const what = set.format?.kind === 'certificate-file' ? (distinct === 0 ? 'no certificate' : 'a single certificate') : distinct === 0 ? 'no pin' : 'a single pin';
    const note = set.singlePinNote ? ` ${set.singlePinNote}` : '';
    context.report(
      set.range,
      `${subject} has ${what}: when that key is rotated or the certificate is reissued with a new key, every installed build fails to connect until an update ships.${note} Add a backup pin (the next key you will deploy, or your CA's intermediate key).`,
      // A backup pin fetched from a host is an SPKI pin: sets in another format get no such fix.
      set.format ? {} : { data: { fix: 'addBackupPin', file: set.file, host: set.host, name: set.name } },
    );
  }
}
