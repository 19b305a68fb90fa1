import { childElements, type XmlDocument, type XmlElement } from './xml';

/** A value of an XML property list, with the element it is written as. */
export type PlistValue =
  | { kind: 'dict'; element: XmlElement; entries: PlistEntry[] }
  | { kind: 'array'; element: XmlElement; items: PlistValue[] }
  | { kind: 'bool'; element: XmlElement; value: boolean }
  /** `string`, `date`, `integer`, `real`, `data`: the element's text. */
  | { kind: 'string' | 'date' | 'integer' | 'real' | 'data'; element: XmlElement; text: string };

export interface PlistEntry {
  key: string;
  keyElement: XmlElement;
  value: PlistValue;
}

const SCALARS = new Set(['string', 'date', 'integer', 'real', 'data']);

/** The top-level value of `<plist>`, or undefined when the document is no XML plist. */
export function plistRoot(document: XmlDocument): PlistValue | undefined {
  if (document.root.name !== 'plist') return undefined;
  const [top] = childElements(document.root);
  return top && plistValue(top);
}

function plistValue(element: XmlElement): PlistValue | undefined {
  if (element.name === 'dict') {
    const entries: PlistEntry[] = [];
    const children = childElements(element);
    for (let i = 0; i < children.length; i++) {
      if (children[i].name !== 'key') continue;
      const value = children[i + 1] && children[i + 1].name !== 'key' ? plistValue(children[i + 1]) : undefined;
      if (value) entries.push({ key: children[i].text.trim(), keyElement: children[i], value });
    }
    return { kind: 'dict', element, entries };
  }
  if (element.name === 'array') {
    return { kind: 'array', element, items: childElements(element).map(plistValue).filter((v): v is PlistValue => !!v) };
  }
  if (element.name === 'true' || element.name === 'false') return { kind: 'bool', element, value: element.name === 'true' };
  if (SCALARS.has(element.name)) return { kind: element.name as 'string', element, text: element.text.trim() };
  return undefined;
}

/** The value under `key` of a dict (the last one, as CoreFoundation reads a repeated key). */
export function entryOf(value: PlistValue | undefined, key: string): PlistEntry | undefined {
  if (value?.kind !== 'dict') return undefined;
  return value.entries.filter((e) => e.key === key).pop();
}

export function valueAt(value: PlistValue | undefined, ...keys: string[]): PlistValue | undefined {
  let current = value;
  for (const key of keys) current = entryOf(current, key)?.value;
  return current;
}
