import type * as Saxes from 'saxes';
import { UnparsableFileError } from '../engine/parser';
import type { SourceFile } from '../engine/source-file';
import type { PinSet } from '../engine/workspace';

/** An attribute with the offsets of its name and of its value between the quotes. */
export interface XmlAttribute {
  name: string;
  /** Decoded (`&amp;` is `&`). */
  value: string;
  start: number;
  end: number;
  valueStart: number;
  valueEnd: number;
}

/** An element with the offsets (UTF-16, into the parsed text) of its tags and content. */
export interface XmlElement {
  name: string;
  attributes: XmlAttribute[];
  children: XmlElement[];
  parent: XmlElement | undefined;
  /** Offset of `<`. */
  start: number;
  /** Offset after the start tag's `>` (for `<a/>`, also `end`). */
  openEnd: number;
  /** Offset of the end tag's `<` (for `<a/>`, `end`). */
  closeStart: number;
  /** Offset after the last `>`. */
  end: number;
  selfClosing: boolean;
  /** The element's own text content, decoded and joined (child elements' text excluded). */
  text: string;
}

/**
 * A parsed XML file. It holds no tree-sitter memory, but takes the place of a tree in a
 * SourceFile, so it answers `delete` and `copy` as one does.
 */
export class XmlDocument {
  readonly kind = 'xml';

  constructor(readonly root: XmlElement) {}

  delete(): void {}

  copy(): XmlDocument {
    return this;
  }
}

let saxesModule: typeof Saxes | undefined;
/** saxes, required on first use: a scan without XML or plist files does not load it (a tenth of the CLI's start-up). */
function saxes(): typeof Saxes {
  return (saxesModule ??= require('saxes') as typeof Saxes);
}

/** Malformed XML, or XML we refuse to read (entities): the file is skipped with this reason. */
export class MalformedXmlError extends UnparsableFileError {
  constructor(reason: string) {
    super(`malformed XML: ${reason}`);
    this.name = 'MalformedXmlError';
  }
}

/**
 * Parses `text` with saxes, which reads no DTD and expands no entity but the five predefined
 * ones and character references: an `<!ENTITY … SYSTEM "file:…">` is never fetched, and a
 * reference to it is an error, so the file is skipped rather than read with the entity dropped.
 */
export function parseXml(text: string): XmlDocument {
  const { SaxesParser } = saxes();
  const parser = new SaxesParser({ position: true });
  const stack: XmlElement[] = [];
  let pending: XmlAttribute[] = [];
  let root: XmlElement | undefined;
  let error: string | undefined;
  // saxes reports `position` just after the character that completed the event.
  parser.on('error', (e) => (error ??= e.message));
  parser.on('opentagstart', (tag) => {
    pending = [];
    // `<name` plus the one character that ended the name.
    const start = parser.position - tag.name.length - 2;
    const element: XmlElement = {
      name: tag.name, attributes: pending, children: [], parent: stack[stack.length - 1],
      start, openEnd: -1, closeStart: -1, end: -1, selfClosing: false, text: '',
    };
    if (element.parent) element.parent.children.push(element);
    else root ??= element;
    stack.push(element);
  });
  parser.on('attribute', (attribute) => {
    const valueEnd = parser.position - 1;
    const quote = text[valueEnd];
    const valueStart = text.lastIndexOf(quote, valueEnd - 1) + 1;
    const equals = text.lastIndexOf('=', valueStart - 1);
    let start = equals;
    while (start > 0 && /\s/.test(text[start - 1])) start--;
    start -= attribute.name.length;
    pending.push({ name: attribute.name, value: attribute.value, start, end: parser.position, valueStart, valueEnd });
  });
  parser.on('opentag', (tag) => {
    const element = stack[stack.length - 1];
    element.openEnd = parser.position;
    if (tag.isSelfClosing) element.selfClosing = true;
  });
  parser.on('text', (content) => {
    const element = stack[stack.length - 1];
    if (element) element.text += content;
  });
  parser.on('cdata', (content) => {
    const element = stack[stack.length - 1];
    if (element) element.text += content;
  });
  parser.on('closetag', () => {
    const element = stack.pop()!;
    element.end = parser.position;
    element.closeStart = element.selfClosing ? element.end : text.lastIndexOf('</', element.end);
    if (element.selfClosing) element.openEnd = element.end;
  });
  try {
    parser.write(text).close();
  } catch (e) {
    error ??= (e as Error).message;
  }
  if (error !== undefined) throw new MalformedXmlError(explain(error));
  if (!root) throw new MalformedXmlError('no root element');
  return new XmlDocument(root);
}

function explain(message: string): string {
  // saxes says "1:112: undefined entity.": name what that means here.
  if (/undefined entity/.test(message)) return `${message.replace(/\.$/, '')} (entities declared in a DTD are never expanded)`;
  if (/malformed comment/.test(message)) return `${message.replace(/\.$/, '')} (XML forbids "--" inside a comment: an ignore comment's reason follows a single "-")`;
  return message.replace(/\.$/, '');
}

export function attribute(element: XmlElement, name: string): XmlAttribute | undefined {
  return element.attributes.find((a) => a.name === name);
}

export function childElements(element: XmlElement, name?: string): XmlElement[] {
  return name === undefined ? element.children : element.children.filter((c) => c.name === name);
}

/** The offsets of an element's text content without surrounding whitespace. */
export function trimmedContent(text: string, element: XmlElement): { start: number; end: number } {
  let start = element.openEnd;
  let end = element.closeStart;
  while (start < end && /\s/.test(text[start])) start++;
  while (end > start && /\s/.test(text[end - 1])) end--;
  return { start, end };
}

/** The deepest element whose content holds `[start, end)`. */
/** A pin written as an element's text: the trimmed text, reported there, or on the element when it is empty. */
export function elementPin(file: SourceFile, element: XmlElement): PinSet['pins'][number] {
  const content = trimmedContent(file.text, element);
  const empty = content.start === content.end;
  return { value: file.text.slice(content.start, content.end), range: empty ? file.rangeAt(element.start, element.end) : file.rangeAt(content.start, content.end) };
}

export function innermostElement(element: XmlElement, start: number, end: number): XmlElement | undefined {
  if (start < element.openEnd || end > element.closeStart) return undefined;
  for (const child of element.children) {
    const inner = child.start <= start && end <= child.end ? innermostElement(child, start, end) : undefined;
    if (inner) return inner;
  }
  return element;
}
