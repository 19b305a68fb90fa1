import { defineRule, type RuleContext } from '../engine/rule';
import { PIN_SET_TRIGGERS, pinSets } from '../facts/pin-sets';

export const invalidPin = defineRule(
  {
    id: 'invalid-pin',
    level: 'error',
    families: ['dart', 'swift', 'ts'],
    description: 'A pin is not a SHA-256 pin: wrong length, a placeholder, a malformed sha256/ prefix, or a duplicate.',
    triggers: PIN_SET_TRIGGERS,
  },
  { dart: check, swift: check, ts: check },
);

const PLACEHOLDER_WORDS = /your|pin here|placeholder|todo|fixme|replace|changeme|example|insert|<[^>]*>|\.\.\.|^x+$|^(test|dummy|fake)/i;
const HEX_DIGEST = /^([0-9a-fA-F]{64}|[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){31})$/;

/** Why `value` is not a usable SHA-256 pin, or undefined when it is one. */
export function pinProblem(value: string): { reason: string; fix?: string } | undefined {
  if (value.startsWith('sha256//')) return { reason: 'The prefix is "sha256//" (two slashes): no pin will ever match it; the prefix is "sha256/".', fix: 'repairPrefix' };
  const body = value.startsWith('sha256/') ? value.slice('sha256/'.length) : value;
  if (HEX_DIGEST.test(body)) return undefined;
  if (PLACEHOLDER_WORDS.test(body) && !isCanonicalSha256Base64(body)) return { reason: `"${shorten(body)}" is a placeholder, not a pin.` };
  if (/^(.)\1*=*$/.test(body.replace(/=+$/, '')) || isAllZeroBytes(body)) return { reason: `"${shorten(body)}" is a placeholder (one repeated character), not a real key's hash.` };
  if (!isCanonicalSha256Base64(body)) {
    const bytes = /^[A-Za-z0-9+/]+=*$/.test(body) ? Buffer.from(body, 'base64').length : undefined;
    const size = bytes === undefined ? 'is not base64' : `decodes to ${bytes} bytes`;
    return { reason: `"${shorten(body)}" ${size}; a SHA-256 pin is base64 of exactly 32 bytes (44 characters ending in "=").` };
  }
  return undefined;
}

function isCanonicalSha256Base64(body: string): boolean {
  if (!/^[A-Za-z0-9+/]{43}=$/.test(body)) return false;
  const bytes = Buffer.from(body, 'base64');
  return bytes.length === 32 && bytes.toString('base64') === body;
}

function isAllZeroBytes(body: string): boolean {
  return isCanonicalSha256Base64(body) && Buffer.from(body, 'base64').every((b) => b === 0);
}

function shorten(s: string): string {
  return s.length > 24 ? `${s.slice(0, 21)}…` : s;
}

function check(context: RuleContext): void {
  for (const set of pinSets(context.file)) {
    const seen = new Set<string>();
    for (const pin of set.pins) {
      const normalized = pin.value.replace(/^sha256\//, '');
      if (seen.has(normalized)) {
        context.report(pin.range, 'This pin repeats an earlier pin of the same set: it is no backup. Replace it with the hash of your backup key.', {
          data: { fix: 'removeDuplicate' },
        });
        continue;
      }
      seen.add(normalized);
      const problem = pinProblem(pin.value);
      if (problem) context.report(pin.range, problem.reason, { data: { fix: problem.fix ?? 'replaceFromHost' } });
    }
  }
}
