import { parseIsoDay } from '../../../common/iso-day';
import { defineRule, type RuleContext } from '../engine/rule';
import { pinSets } from '../facts/pin-sets';
import { NSC_LIBRARY, NSC_ROOT } from '../platform/network-security-config';

export const pinSetExpired = defineRule(
  {
    id: 'pin-set-expired',
    level: 'error',
    security: { cwe: [295, 322], masvs: ['MASVS-NETWORK-2'], severity: 7.4, precision: 'very-high' },
    families: ['swift', 'xml'],
    description: 'A pin set\'s expiration date has passed, or comes within the rotation lead time: from that date on its pins are not checked.',
    // `TSKExpirationDate` also finds `kTSKExpirationDate` (the words are substrings, any case). An
    // `expiration` attribute counts only in a network security config, which names its root.
    triggers: { swift: ['TSKExpirationDate'], xml: [NSC_ROOT, 'TSKExpirationDate'] },
  },
  { swift: check, xml: check },
);

const DAY_MS = 24 * 60 * 60 * 1000;

/** Whole days from `today` (its UTC day) to `date`: 0 on the day itself, negative after it. */
export function daysUntil(date: Date, today: Date): number {
  const day = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate());
  return Math.round((date.getTime() - day) / DAY_MS);
}

function check(context: RuleContext): void {
  for (const set of pinSets(context.file)) {
    if (!set.expires) continue;
    const { date, range } = set.expires;
    const android = set.library === NSC_LIBRARY;
    const platform = android ? 'Android' : 'TrustKit';
    const subject = set.host ? `The pin set for ${set.host}` : 'This pin set';
    const data = { fix: 'pinSetExpiration' };
    const expiry = parseIsoDay(date);
    if (!expiry) {
      const effect = android ? 'Android refuses the whole network security config' : 'TrustKit refuses the configuration at start';
      context.report(range, `"${date}" is not a date in YYYY-MM-DD form: ${effect}.`, { data });
      continue;
    }
    const days = daysUntil(expiry, context.today);
    const accepted = 'every certificate a trusted CA issues for the host is accepted';
    if (days <= 0) {
      const when = days === 0 ? 'today' : `${-days} day${days === -1 ? '' : 's'} ago`;
      context.report(range, `${subject} expired on ${date} (${when}): ${platform} no longer checks its pins, and ${accepted}. Check the pins are current, then set a new expiration date or remove it.`, { data });
    } else if (days <= context.rotationWarningDays) {
      context.report(range, `${subject} expires on ${date}, in ${days} day${days === 1 ? '' : 's'}: from then on ${platform} stops checking its pins, and ${accepted}. Ship an update with current pins and a later date before then.`, { level: 'warning', data });
    }
  }
}
