/**
 * Edits of platform configs that keep the file's layout: a new child goes on its own line, one
 * indentation step inside its parent, in the file's line ending. Offsets are the parsed text's.
 */
import type { OffsetEdit } from '../fixes/types';
import { indentationAt, isBlank, lineStartOf, removalRange } from '../fixes/text';
import type { XmlElement } from './xml';

export interface XmlLayout {
  /** One indentation step, as the file writes it. */
  unit: string;
  eol: string;
}

/** The indentation of `element`'s children: that of its first child's line, or its own plus a step. */
export function childIndentation(text: string, element: XmlElement, layout: XmlLayout): string {
  const first = element.children[0];
  if (first && isBlank(text, lineStartOf(text, first.start), first.start)) return indentationAt(text, first.start);
  return indentationAt(text, element.start) + layout.unit;
}

/**
 * Inserts `lines` (the first at the child level, deeper lines already prefixed with steps of
 * `layout.unit`) as the last children of `parent`; a self-closing `<parent/>` is opened.
 */
export function appendChildLines(text: string, parent: XmlElement, lines: readonly string[], layout: XmlLayout): OffsetEdit {
  const inner = childIndentation(text, parent, layout);
  const block = lines.map((line) => `${inner}${line}`).join(layout.eol);
  const own = indentationAt(text, parent.start);
  if (parent.selfClosing) {
    const open = text.slice(parent.start, parent.end).replace(/\s*\/>$/, '>');
    return { start: parent.start, end: parent.end, text: `${open}${layout.eol}${block}${layout.eol}${own}</${parent.name}>` };
  }
  // Before the end tag: on a new line when the end tag has its own; otherwise the tag moves down.
  const closeLineStart = lineStartOf(text, parent.closeStart);
  if (isBlank(text, closeLineStart, parent.closeStart) && closeLineStart > parent.openEnd) {
    return { start: closeLineStart, end: closeLineStart, text: `${block}${layout.eol}` };
  }
  return { start: parent.closeStart, end: parent.closeStart, text: `${layout.eol}${block}${layout.eol}${own}` };
}

/** Removes `element`: with its line when it is alone there, otherwise the element and the spaces after it. */
export function removeElement(text: string, element: XmlElement): OffsetEdit {
  const [start, end] = removalRange(text, element.start, element.end);
  return { start, end, text: '' };
}
