/**
 * invalid-pin: a duplicate goes (element and separator), `sha256//` loses a slash, and any
 * other invalid pin is replaced by one read from a host (the editor asks which).
 */
import { stringValue } from '../facts/tree';
import type { DraftFix, FixContext } from './context';
import { removeListElement } from './text';
import { innermostElement } from '../platform/xml';
import { removeElement } from '../platform/xml-edits';

const STRING_TYPES = ['string_literal', 'line_string_literal', 'string'];
const COLLECTIONS = new Set(['list_literal', 'set_or_map_literal', 'array', 'array_literal']);

export function invalidPinFixes(context: FixContext): DraftFix[] {
  if (context.file.xml) return platformPinFixes(context);
  const literal = context.findingNode(STRING_TYPES);
  if (!literal) return [];
  const replace: DraftFix = {
    title: 'Replace with a pin from a host…',
    preferred: true,
    input: { kind: 'replacePinFromHost', replace: { file: context.file.id, range: context.finding.range } },
  };
  switch (context.fixKind) {
    case 'removeDuplicate': {
      // Only an element written in the collection itself: a constant declared elsewhere may be used elsewhere too.
      const removal = literal.parent && COLLECTIONS.has(literal.parent.type) ? removeListElement(context.text, literal) : undefined;
      if (!removal) return [{ ...replace, preferred: true }];
      return [{ title: 'Remove the duplicate pin', preferred: true, edits: [removal] }, { ...replace, preferred: false }];
    }
    case 'repairPrefix': {
      const value = stringValue(literal);
      const at = literal.text.indexOf('sha256//');
      if (value === undefined || !value.startsWith('sha256//') || at < 0) return [replace];
      const slash = literal.startIndex + at + 'sha256/'.length;
      return [{ title: 'Repair the prefix: sha256/', preferred: true, edits: [{ start: slash, end: slash + 1, text: '' }] }, { ...replace, preferred: false }];
    }
    default:
      return [replace];
  }
}

/** In a platform config: a duplicate goes with its element (for ATS, the identity's `<dict>`); any other pin is replaced. */
function platformPinFixes(context: FixContext): DraftFix[] {
  if (context.finding.data === undefined) return []; // a `digest` attribute: no pin to fetch fixes it
  const replace: DraftFix = {
    title: 'Replace with a pin from a host…',
    preferred: true,
    input: { kind: 'replacePinFromHost', replace: { file: context.file.id, range: context.finding.range } },
  };
  const element = innermostElement(context.file.xml!.root, context.start, context.end);
  if (context.fixKind !== 'removeDuplicate' || !element) return [replace];
  const identity = element.parent?.name === 'dict' && element.parent.parent?.name === 'array' ? element.parent : element;
  return [{ title: 'Remove the duplicate pin', preferred: true, edits: [removeElement(context.text, identity)] }, { ...replace, preferred: false }];
}
