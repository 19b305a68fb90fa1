/**
 * Adding a pin to a platform config's pin set, in the file's own layout:
 *
 * - Android: `<pin digest="SHA-256">…</pin>` as the last pin of the `<pin-set>`, or a new
 *   `<domain-config>` for a host none has;
 * - iOS App Transport Security: `<dict><key>SPKI-SHA256-BASE64</key><string>…</string></dict>`
 *   as the last identity, or a new host entry in `NSPinnedDomains`;
 * - TrustKit: `<string>…</string>` as the last hash, or a new host entry in `TSKPinnedDomains`.
 *
 * The result is parsed again before it is offered: an edit that would break the file is refused.
 */
import type { SourceFile } from '../engine/source-file';
import type { PinSet } from '../engine/workspace';
import type { OffsetEdit } from '../fixes/types';
import { lineEnding, indentUnit } from '../fixes/text';
import { ATS_LIBRARY, ATS_PIN_KEY, atsHosts, TRUSTKIT_PLIST_LIBRARY, trustKitHosts } from '../platform/info-plist';
import { NSC_LIBRARY } from '../platform/network-security-config';
import { plistRoot } from '../platform/plist';
import { parseXml, type XmlElement } from '../platform/xml';
import { appendChildLines, type XmlLayout } from '../platform/xml-edits';
import type { InsertPinOutcome } from './insert-pin';
import { sameHost } from './pin-set-names';
import { pinDigest } from './pin-value';

export function insertPlatformPin(file: SourceFile, sets: readonly PinSet[], set: PinSet, digest: string, host?: string, note?: string): InsertPinOutcome {
  const layout: XmlLayout = { unit: indentUnit(file.text), eol: lineEnding(file.text) };
  if (host !== undefined && set.host !== undefined && !sameHost(set.host, host)) {
    const sibling = sets.find((s) => s.library === set.library && s.host !== undefined && sameHost(s.host, host) && listKey(s) === listKey(set));
    if (sibling) return insertPlatformPin(file, sets, sibling, digest, undefined, note);
    return checked(file, newHostEdit(file, set, host, digest, layout, note), true);
  }
  const present = set.pins.find((p) => pinDigest(p.value) === digest);
  if (present) return { kind: 'present', at: present.range };
  const element = elementAt(file.xml!.root, file.offsetAt(set.range.start));
  if (!element) return { kind: 'unsupported', reason: 'the pin set was not found in the current text' };
  return checked(file, appendChildLines(file.text, element, pinLines(set.library, digest, layout.unit, note), layout), false);
}

/** The lines of one pin, the first at the pin level; `note` is a comment after the value's element. */
function pinLines(library: string | undefined, digest: string, unit: string, note: string | undefined): string[] {
  const comment = note === undefined ? '' : ` ${xmlComment(note)}`;
  if (library === NSC_LIBRARY) return [`<pin digest="SHA-256">${digest}</pin>${comment}`];
  if (library === ATS_LIBRARY) return ['<dict>', `${unit}<key>${ATS_PIN_KEY}</key>`, `${unit}<string>${digest}</string>${comment}`, '</dict>'];
  return [`<string>${digest}</string>${comment}`];
}

/** XML forbids `--` in a comment and a `-` before its end. */
function xmlComment(note: string): string {
  return `<!-- ${note.replace(/[\r\n]+/g, ' ').replace(/-{2,}/g, '-').replace(/\s*-$/, '')} -->`;
}

/** The entry a host without one gets, beside the set's own: same kind of list, one pin. */
function newHostEdit(file: SourceFile, set: PinSet, host: string, digest: string, layout: XmlLayout, note: string | undefined): OffsetEdit | undefined {
  const { unit } = layout;
  const pin = pinLines(set.library, digest, unit, note);
  const nested = (depth: number) => pin.map((line) => `${unit.repeat(depth)}${line}`);
  if (set.library === NSC_LIBRARY) {
    const lines = ['<domain-config>', `${unit}<domain includeSubdomains="true">${host}</domain>`, `${unit}<pin-set>`, ...nested(2), `${unit}</pin-set>`, '</domain-config>'];
    return appendChildLines(file.text, file.xml!.root, lines, layout);
  }
  const root = plistRoot(file.xml!);
  const hosts = root && (set.library === ATS_LIBRARY ? atsHosts(root) : set.library === TRUSTKIT_PLIST_LIBRARY ? trustKitHosts(root) : []);
  if (!hosts?.length) return undefined;
  const key = listKey(set) ?? 'TSKPublicKeyHashes';
  const lines = [`<key>${host}</key>`, '<dict>', `${unit}<key>${key}</key>`, `${unit}<array>`, ...nested(2), `${unit}</array>`, '</dict>'];
  return appendChildLines(file.text, hosts[0].domains.element, lines, layout);
}

/** ATS sets are named `<host> <list key>`; TrustKit's list is always `TSKPublicKeyHashes`. */
function listKey(set: PinSet): string | undefined {
  if (set.library === ATS_LIBRARY) return set.name?.split(' ')[1];
  return set.library === TRUSTKIT_PLIST_LIBRARY ? 'TSKPublicKeyHashes' : undefined;
}

function checked(file: SourceFile, edit: OffsetEdit | undefined, createdHostEntry: boolean): InsertPinOutcome {
  if (!edit) return { kind: 'unsupported', reason: 'no place for a new host entry was found in the current text' };
  try {
    parseXml(file.text.slice(0, edit.start) + edit.text + file.text.slice(edit.end));
  } catch (error) {
    return { kind: 'unsupported', reason: `the edit would leave the file unparsable (${(error as Error).message})` };
  }
  const range = file.rangeAt(edit.start, edit.end);
  return { kind: 'edits', edits: [{ range, newText: edit.text }], at: range, createdHostEntry };
}

function elementAt(element: XmlElement, start: number): XmlElement | undefined {
  if (element.start === start) return element;
  const child = element.children.find((c) => c.start <= start && start < c.end);
  return child && elementAt(child, start);
}
