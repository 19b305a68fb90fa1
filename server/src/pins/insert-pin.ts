import type { Node } from 'web-tree-sitter';
import type { SourceFile } from '../engine/source-file';
import type { Range } from '../engine/types';
import type { PinSet } from '../engine/workspace';
import { ancestors } from '../facts/tree';
import { appendElementEdits, blockComment, dominantEol, listLayout, type TextEditLike } from './append-element';
import { insertPlatformPin } from './insert-platform-pin';
import type { ParsedPinFile } from './parsed-pin-file';
import { entriesOfSameMap, sameHost } from './pin-set-names';
import { formatPinLike, pinDigest } from './pin-value';

export type InsertPinOutcome =
  | { kind: 'edits'; edits: TextEditLike[]; at: Range; createdHostEntry: boolean }
  | { kind: 'present'; at: Range }
  | { kind: 'unsupported'; reason: string };

const COLLECTION_TYPES = new Set(['list_literal', 'set_or_map_literal', 'array_literal', 'array']);
/** What may sit between a map entry's key and its pin list: `new Set([...])`, `Set([...])`, `as const`. */
const WRAPPERS = new Set([
  'arguments', 'new_expression', 'value_argument', 'value_arguments', 'call_suffix', 'call_expression',
  'parenthesized_expression', 'as_expression', 'satisfies_expression', 'type_assertion', 'const_object_expression', 'argument',
]);
const OPERATOR_PARENTS = /binary|logical|conjunction|disjunction|prefix|unary|equality|relational|ternary|conditional|not/;

/**
 * The edits that add `spkiSha256` (base64) to `set` as its last pin, in the set's own style.
 * With `host`, a set that is another host's entry of a host-keyed map sends the pin to `host`'s
 * entry of that map, created when missing. A pin the set already holds (in any notation) is
 * not added again. `note` (what the pin is: `backup key ~/keys/api.key.pem, 2026-12-04`) goes
 * into a comment after it, where `verify` reads it back (facts/backup-pins.ts).
 */
export function insertPinEdits(parsed: ParsedPinFile, set: PinSet, spkiSha256: string, host?: string, note?: string): InsertPinOutcome {
  if (parsed.file.xml) {
    const digest = pinDigest(spkiSha256);
    if (digest === undefined) return { kind: 'unsupported', reason: `'${spkiSha256}' is not a base64 SHA-256 digest` };
    return insertPlatformPin(parsed.file, parsed.pinSets, set, digest, host, note);
  }
  if (host !== undefined && set.host !== undefined && !sameHost(set.host, host)) {
    const entry = entriesOfSameMap(parsed.pinSets, set).find((s) => sameHost(s.host!, host));
    return entry ? insertPinEdits(parsed, entry, spkiSha256, undefined, note) : createHostEntry(parsed.file, set, host, spkiSha256, note);
  }
  const digest = pinDigest(spkiSha256);
  if (digest === undefined) return { kind: 'unsupported', reason: `'${spkiSha256}' is not a base64 SHA-256 digest` };
  const present = set.pins.find((p) => pinDigest(p.value) === digest);
  if (present) return { kind: 'present', at: present.range };
  return set.kind === 'collection' ? appendToCollection(parsed.file, set, digest, note) : appendToComparison(parsed.file, set, digest, note);
}

function appendToCollection(file: SourceFile, set: PinSet, digest: string, note: string | undefined): InsertPinOutcome {
  const list = nodeAt(file, set.range, (n) => COLLECTION_TYPES.has(n.type));
  const layout = list && listLayout(file, list);
  if (!list || !layout?.last) return { kind: 'unsupported', reason: 'the pin list was not found in the current text' };
  const edits = appendElementEdits(file, layout, elementLike(file, set, list, pinLiteral(file, set, digest)), note);
  return { kind: 'edits', edits, at: edits[edits.length - 1].range, createdHostEntry: false };
}

/**
 * `hash == a || hash == b` gets `|| hash == 'new'`, copied from its last comparison with the
 * pin swapped; parenthesized when the chain sits inside a larger expression.
 */
function appendToComparison(file: SourceFile, set: PinSet, digest: string, note: string | undefined): InsertPinOutcome {
  const top = nodeAt(file, set.range, () => true);
  const lastPin = set.pins[set.pins.length - 1];
  if (!top || !lastPin) return { kind: 'unsupported', reason: 'the comparison was not found in the current text' };
  const text = top.text;
  const separators = [...text.matchAll(/\s*\|\|\s*/g)];
  const lastSeparator = separators[separators.length - 1];
  const segmentStart = lastSeparator ? lastSeparator.index! + lastSeparator[0].length : 0;
  const segment = text.slice(segmentStart);
  const comparison = /^([\s\S]*?)(\s*)(===|==)(\s*)([\s\S]*)$/.exec(segment);
  if (!comparison || /!==?/.test(segment)) {
    return { kind: 'unsupported', reason: 'only `==` chains joined by `||` can take another pin' };
  }
  const [, left, spaceBefore, operator, spaceAfter, right] = comparison;
  const pinSide = operandNaming(file, lastPin, left.trim(), right.trim());
  if (pinSide === undefined) return { kind: 'unsupported', reason: 'cannot tell which side of the comparison is the pin' };
  const literal = pinLiteral(file, set, digest) + (note === undefined ? '' : ` ${blockComment(note)}`);
  const newSegment = pinSide === 'right' ? `${left}${spaceBefore}${operator}${spaceAfter}${literal}` : `${literal}${spaceBefore}${operator}${spaceAfter}${right}`;
  const separator = lastSeparator ? lastSeparator[0] : ' || ';
  const end = file.positionAt(top.endIndex);
  const start = file.positionAt(top.startIndex);
  const needsParentheses = top.parent !== null && top.parent.type !== 'parenthesized_expression' && OPERATOR_PARENTS.test(top.parent.type);
  const edits: TextEditLike[] = needsParentheses
    ? [{ range: { start, end: start }, newText: '(' }, { range: { start: end, end }, newText: `${separator}${newSegment})` }]
    : [{ range: { start: end, end }, newText: `${separator}${newSegment}` }];
  return { kind: 'edits', edits, at: { start: end, end }, createdHostEntry: false };
}

/** Which operand holds `pin`: its literal text, or the name of the constant it is declared in. */
function operandNaming(file: SourceFile, pin: PinSet['pins'][number], left: string, right: string): 'left' | 'right' | undefined {
  const literal = textAt(file, pin.range);
  if (right === literal) return 'right';
  if (left === literal) return 'left';
  const start = file.offsetAt(pin.range.start);
  const lineStart = file.text.lastIndexOf('\n', start - 1) + 1;
  const declared = /([A-Za-z_$][\w$]*)\s*(?::[^=]*)?=\s*$/.exec(file.text.slice(lineStart, start))?.[1];
  if (declared === undefined) return undefined;
  const names = (operand: string) => new RegExp(`(^|[.\\s])${declared.replace(/\$/g, '\\$')}$`).test(operand);
  if (names(right)) return 'right';
  if (names(left)) return 'left';
  return undefined;
}

/** A new entry `'host': {'pin'}` in the map `sibling` is an entry of, shaped like `sibling`'s entry. */
function createHostEntry(file: SourceFile, sibling: PinSet, host: string, spkiSha256: string, note: string | undefined): InsertPinOutcome {
  const digest = pinDigest(spkiSha256);
  if (digest === undefined) return { kind: 'unsupported', reason: `'${spkiSha256}' is not a base64 SHA-256 digest` };
  const list = nodeAt(file, sibling.range, (n) => COLLECTION_TYPES.has(n.type));
  const entry = list && mapEntryOf(list);
  const siblingLayout = list && listLayout(file, list);
  const mapLayout = entry && listLayout(file, entry.map);
  if (!list || !entry || !siblingLayout || !mapLayout?.last) {
    return { kind: 'unsupported', reason: 'the host-keyed map was not found in the current text' };
  }
  const text = file.text;
  const keyQuote = /^["'`]/.test(entry.key.text) ? entry.key.text[0] : defaultQuote(file);
  const literal = pinLiteral(file, sibling, digest) + (note === undefined ? '' : ` ${blockComment(note)}`);
  const opening = text.slice(entry.value.startIndex, siblingLayout.open.endIndex);
  const closing = text.slice(siblingLayout.close.startIndex, entry.value.endIndex);
  let collection: string;
  if (siblingLayout.onePerLine) {
    const eol = dominantEol(text);
    const closeIndent = siblingLayout.closeIndent ?? mapLayout.elementIndent;
    collection = `${opening}${eol}${siblingLayout.elementIndent}${literal}${siblingLayout.trailingComma ? ',' : ''}${eol}${closeIndent}${closing}`;
  } else {
    const inner = siblingLayout.last ? text.slice(siblingLayout.open.endIndex, siblingLayout.last.start) : '';
    const padding = /^[ \t]*$/.test(inner) ? inner : '';
    collection = `${opening}${padding}${literal}${padding}${closing}`;
  }
  const separator = text.slice(entry.key.endIndex, entry.value.startIndex);
  const newEntry = `${keyQuote}${host}${keyQuote}${separator}${collection}`;
  const edits = appendElementEdits(file, mapLayout, newEntry);
  return { kind: 'edits', edits, at: edits[edits.length - 1].range, createdHostEntry: true };
}

/** For a pin list that is a map entry's value: the entry's key, its value node and the map. */
function mapEntryOf(list: Node): { key: Node; value: Node; map: Node } | undefined {
  let value = list;
  for (const parent of ancestors(list)) {
    if (WRAPPERS.has(parent.type)) {
      value = parent;
      continue;
    }
    if (parent.type === 'pair') {
      const key = parent.childForFieldName('key') ?? parent.namedChildren[0];
      return key && parent.parent ? { key, value, map: parent.parent } : undefined;
    }
    if (parent.type === 'dictionary_literal') {
      let key = value.previousNamedSibling;
      while (key?.type === 'comment') key = key.previousNamedSibling;
      return key ? { key, value, map: parent } : undefined;
    }
    return undefined;
  }
  return undefined;
}

/**
 * The new element: the literal, or, when the pins lie inside the elements (ATS identities
 * `{ 'SPKI-SHA256-BASE64': '...' }`), a copy of the last element that holds one, the literal in its place.
 */
function elementLike(file: SourceFile, set: PinSet, list: Node, literal: string): string {
  const elements = list.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment');
  for (const element of elements.reverse()) {
    for (const pin of set.pins) {
      const start = file.offsetAt(pin.range.start);
      const end = file.offsetAt(pin.range.end);
      if (start === element.startIndex && end === element.endIndex) return literal;
      if (element.startIndex <= start && end <= element.endIndex) return file.text.slice(element.startIndex, start) + literal + file.text.slice(end, element.endIndex);
    }
  }
  return literal;
}

/** The pin in quotes: the set's quote character (or the language's usual one) and notation. */
function pinLiteral(file: SourceFile, set: PinSet, digest: string): string {
  const value = formatPinLike(set.pins.map((p) => p.value), digest);
  const last = set.pins[set.pins.length - 1];
  const written = last ? textAt(file, last.range).replace(/^[r#@]+/, '') : '';
  const quote = /^["'`]/.test(written) ? written[0] : defaultQuote(file);
  return `${quote}${value}${quote}`;
}

function defaultQuote(file: SourceFile): string {
  return file.family === 'swift' ? '"' : "'";
}

function textAt(file: SourceFile, range: Range): string {
  return file.text.slice(file.offsetAt(range.start), file.offsetAt(range.end));
}

/** The outermost node exactly covering `range` that satisfies `accept`. */
function nodeAt(file: SourceFile, range: Range, accept: (node: Node) => boolean): Node | undefined {
  const start = file.offsetAt(range.start);
  const end = file.offsetAt(range.end);
  let node: Node | null = file.root;
  while (node) {
    if (node.startIndex === start && node.endIndex === end && accept(node)) return node;
    node = node.namedChildren.find((c): c is Node => !!c && c.startIndex <= start && end <= c.endIndex) ?? null;
  }
  return undefined;
}
