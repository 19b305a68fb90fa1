import type { Position } from '../engine/types';
import type { InsertPinOutcome } from './insert-pin';
import type { ParsedPinFile } from './parsed-pin-file';
import { formatPinLike, pinDigest } from './pin-value';

/**
 * The edit that replaces the pin at `position` (an invalid or stale pin, where its diagnostic
 * points; for a pin held in a constant, the constant's string) with `spkiSha256`, inside the
 * literal's own quotes and in the notation of the set's other pins.
 */
export function replacePinEdits(parsed: ParsedPinFile, position: Position, spkiSha256: string): InsertPinOutcome {
  const digest = pinDigest(spkiSha256);
  if (digest === undefined) return { kind: 'unsupported', reason: `'${spkiSha256}' is not a base64 SHA-256 digest` };
  const { file } = parsed;
  const at = file.offsetAt(position);
  for (const set of parsed.pinSets) {
    const pin = set.pins.find((p) => file.offsetAt(p.range.start) <= at && at <= file.offsetAt(p.range.end));
    if (!pin) continue;
    const present = set.pins.find((p) => p !== pin && pinDigest(p.value) === digest);
    if (present) return { kind: 'present', at: present.range };
    const start = file.offsetAt(pin.range.start);
    const literal = file.text.slice(start, file.offsetAt(pin.range.end));
    if (file.xml) return replaceXmlPin(file, start, literal, digest);
    const opening = /^[r@]?(#*)("""|'''|["'`])/.exec(literal);
    if (!opening) return { kind: 'unsupported', reason: 'the pin is not a plain string literal' };
    const closingLength = opening[2].length + opening[1].length;
    const contentStart = start + opening[0].length;
    const contentEnd = start + literal.length - closingLength;
    const others = set.pins.filter((p) => p !== pin).map((p) => p.value);
    // The replaced value's own notation counts too (`sha256//x` → `sha256/…`).
    const value = formatPinLike([...others, pin.value], digest);
    const range = { start: file.positionAt(contentStart), end: file.positionAt(contentEnd) };
    return { kind: 'edits', edits: [{ range, newText: value }], at: range, createdHostEntry: false };
  }
  return { kind: 'unsupported', reason: 'no pin of a pin set is at that position any more' };
}

/**
 * In a platform config a pin is an element's text: the range is that text, or for an empty
 * element (`<pin digest="SHA-256"></pin>`) the element, whose content is written then.
 */
function replaceXmlPin(file: ParsedPinFile['file'], start: number, written: string, digest: string): InsertPinOutcome {
  let contentStart = start;
  let contentEnd = start + written.length;
  if (written.startsWith('<')) {
    const open = written.indexOf('>') + 1;
    const close = written.lastIndexOf('</');
    if (open <= 0 || close < open) return { kind: 'unsupported', reason: 'the pin element has no content to replace' };
    contentStart = start + open;
    contentEnd = start + close;
  }
  const range = file.rangeAt(contentStart, contentEnd);
  return { kind: 'edits', edits: [{ range, newText: digest }], at: range, createdHostEntry: false };
}
