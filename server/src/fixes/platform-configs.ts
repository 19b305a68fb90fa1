/**
 * Fixes in platform configs (Android's network security config, iOS plists). The reported
 * element is found again in the current document by the finding's range.
 */
import { trustKitHosts } from '../platform/info-plist';
import { entryOf, plistRoot } from '../platform/plist';
import { strayPins, trustAnchors, type TrustAnchor } from '../platform/network-security-config';
import { attribute, childElements, type XmlAttribute, type XmlElement } from '../platform/xml';
import { appendChildLines, removeElement, type XmlLayout } from '../platform/xml-edits';
import type { DraftFix, FixContext } from './context';
import type { OffsetEdit } from './types';

const USER_CERTIFICATES = '<certificates src="user" />';

export function userCaTrustedFixes(context: FixContext): DraftFix[] {
  if (!context.file.xml) return [];
  const anchors = trustAnchors(context.file);
  if (context.fixKind === 'dropOverridePins') {
    const anchor = anchors.find((a) => a.overridePins?.start === context.start);
    if (!anchor) return [];
    const drop: DraftFix = { title: 'Remove overridePins="true"', preferred: true, edits: [removeAttribute(context.text, anchor.overridePins!)] };
    return anchor.src === 'user' ? [drop, moveToDebugOverrides(context, anchor, false)] : [drop];
  }
  if (context.fixKind === 'moveUserCertificates') {
    const anchor = anchors.find((a) => a.element.start === context.start);
    return anchor ? [moveToDebugOverrides(context, anchor, true)] : [];
  }
  return [];
}

/**
 * Takes the anchor out of its `<trust-anchors>` (the whole element when it was the only one: an
 * empty `<trust-anchors>` would trust no CA at all, none falls back to the defaults) and makes
 * sure `<debug-overrides>` trusts user CAs, so debug builds keep working with a proxy.
 */
function moveToDebugOverrides(context: FixContext, anchor: TrustAnchor, preferred: boolean): DraftFix {
  const { text } = context;
  const root = context.file.xml!.root;
  const layout: XmlLayout = { unit: context.indentUnit, eol: context.eol };
  const only = childElements(anchor.trustAnchors).length === 1;
  const edits: OffsetEdit[] = [removeElement(text, only ? anchor.trustAnchors : anchor.element)];
  const debug = childElements(root, 'debug-overrides')[0];
  const debugAnchors = debug && childElements(debug, 'trust-anchors')[0];
  const alreadyThere = debugAnchors && childElements(debugAnchors, 'certificates').some((c) => attribute(c, 'src')?.value === 'user');
  const { unit } = layout;
  if (debugAnchors && !alreadyThere) edits.push(appendChildLines(text, debugAnchors, [USER_CERTIFICATES], layout));
  else if (debug && !debugAnchors) edits.push(appendChildLines(text, debug, ['<trust-anchors>', `${unit}${USER_CERTIFICATES}`, '</trust-anchors>'], layout));
  else if (!debug) {
    edits.push(appendChildLines(text, root, ['<debug-overrides>', `${unit}<trust-anchors>`, `${unit}${unit}${USER_CERTIFICATES}`, `${unit}</trust-anchors>`, '</debug-overrides>'], layout));
  }
  return { title: 'Move <certificates src="user"/> into <debug-overrides>', preferred, edits };
}

export function pinSetExpiredFixes(context: FixContext): DraftFix[] {
  const ask: DraftFix = {
    title: 'Set a new expiration date…',
    preferred: true,
    input: { kind: 'newExpirationDate', date: { file: context.file.id, range: context.finding.range }, current: context.text.slice(context.start, context.end) },
  };
  const removal = context.file.xml ? expirationRemoval(context) : undefined;
  return removal ? [ask, { title: 'Remove the expiration date (pins are checked until the next update)', preferred: false, edits: removal }] : [ask];
}

/** The edits that drop the expiry the finding is on: Android's attribute, or TrustKit's key with its value. */
function expirationRemoval(context: FixContext): OffsetEdit[] | undefined {
  const { text } = context;
  const document = context.file.xml!;
  const expiration = findAttribute(document.root, (a) => a.name === 'expiration' && a.valueStart <= context.start && context.end <= a.valueEnd);
  if (expiration) return [removeAttribute(text, expiration)];
  const root = plistRoot(document);
  if (!root) return undefined;
  for (const { entry } of trustKitHosts(root)) {
    const date = entryOf(entry.value, 'TSKExpirationDate');
    if (date && date.value.element.start <= context.start && context.end <= date.value.element.end) {
      return [removeElement(text, date.keyElement), removeElement(text, date.value.element)];
    }
  }
  return undefined;
}

export function pinningNotEnforcedFixes(context: FixContext): DraftFix[] {
  return [...enforceTrustKitPinsFixes(context), ...strayPinFixes(context)];
}

/** `<pin>`s straight in a `<domain-config>` -> into its `<pin-set>`, or a new one. */
function strayPinFixes(context: FixContext): DraftFix[] {
  if (context.fixKind !== 'wrapStrayPins' || !context.file.xml) return [];
  const stray = strayPins(context.file.xml.root).find((s) => s.pins[0].start === context.start);
  if (!stray) return [];
  const { text } = context;
  const layout: XmlLayout = { unit: context.indentUnit, eol: context.eol };
  const pinLines = stray.pins.map((pin) => text.slice(pin.start, pin.end));
  const own = childElements(stray.config, 'pin-set')[0];
  const added = own
    ? appendChildLines(text, own, pinLines, layout)
    : appendChildLines(text, stray.config, ['<pin-set>', ...pinLines.map((line) => `${layout.unit}${line}`), '</pin-set>'], layout);
  const them = stray.pins.length === 1 ? 'the pin' : 'the pins';
  const title = own ? `Move ${them} into the <pin-set>` : `Put ${them} in a <pin-set>`;
  return [{ title, preferred: true, edits: [...stray.pins.map((pin) => removeElement(text, pin)), added] }];
}

/** `<key>TSKEnforcePinning</key><false/>` → `<true/>`. */
function enforceTrustKitPinsFixes(context: FixContext): DraftFix[] {
  if (context.fixKind !== 'enforceTrustKitPins' || !context.file.xml) return [];
  const element = context.text.slice(context.start, context.end);
  if (!/^<false\s*\/>$|^<false>\s*<\/false>$/.test(element)) return [];
  return [{ title: 'Set TSKEnforcePinning to true', preferred: true, edits: [{ start: context.start, end: context.end, text: '<true/>' }] }];
}

/** ` name="value"`: the attribute and the whitespace before it. */
function removeAttribute(text: string, attribute: XmlAttribute): OffsetEdit {
  let start = attribute.start;
  while (start > 0 && /\s/.test(text[start - 1])) start--;
  return { start, end: attribute.end, text: '' };
}

function findAttribute(element: XmlElement, test: (a: XmlAttribute) => boolean): XmlAttribute | undefined {
  const own = element.attributes.find(test);
  if (own) return own;
  for (const child of element.children) {
    const found = findAttribute(child, test);
    if (found) return found;
  }
  return undefined;
}
