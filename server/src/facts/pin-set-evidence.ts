/**
 * Whether a file can hold a pin set that only its name makes one: the pre-filter's test for a
 * file whose trigger words include a pin-set name (`certPins`, `passwordHash`) but no pin-like
 * literal and no library's word (either of those triggers the parse by itself).
 *
 * Without a pin-like value, `pinSets` (facts/pin-sets.ts) finds a set only
 * - in a collection literal whose first element is a string or a constant's name, named by a
 *   pin-set name: the variable, key, argument or property it is assigned to, through calls and
 *   wrappers (`pins = Set.of(['a'])`, `'pins': ['a']`) — the name comes first, then `=`, `:` or
 *   `=>`, then the collection, in the same statement;
 * - in such a collection anywhere inside a function, getter or type whose name is a pin-set
 *   name (`get pins {… return ['a']; }`, `class CertPins { … }`);
 * - in a comparison with a pin-named constant (`hash == kPinPrimary`).
 * A name in none of these positions (`passwordHash = hash(password);`, `json['certificateUrl']`,
 * `Text('Enter PIN')`) holds no pin set, and the file needs no parse for one. Every test here
 * errs towards "maybe": it looks at characters, not a tree, so strings and comments between a
 * name and its collection only make it say yes more often (test/unit/triggers-hide-nothing
 * holds it to the engine on every fixture and the fuzz corpus).
 */
import {
  BACKSLASH, BACKTICK, BANG, CARRIAGE_RETURN, CLOSE_BRACE, CLOSE_BRACKET, CLOSE_PAREN, COLON, COMMA, DIGIT_0, DIGIT_9, DOLLAR, DOT,
  DOUBLE_QUOTE, EQUALS, GREATER, HASH, LESS, LINE_FEED, LOWER_R, MINUS, OPEN_BRACE, OPEN_BRACKET, OPEN_PAREN, QUESTION, SEMICOLON,
  SINGLE_QUOTE, SLASH, SPACE, STAR, TAB,
} from '../engine/char-codes';
import type { Family } from '../engine/languages';
import { isIdentifierCode, isSpaceCode, pinSetNameTokens } from './names';

/** How far after a name its collection may start: past any type annotation and wrapper call. */
export const STATEMENT_WINDOW = 400;

/** Words after which `[` or `{` starts a literal, not an index or a block. */
const LITERAL_AFTER_WORDS = new Set(['return', 'yield', 'await', 'in', 'case', 'const', 'final', 'new', 'else', 'do', 'throw', 'as', 'is', 'of', 'typeof', 'void', 'var', 'let']);

/** Keywords after which a name's `:` starts its type (Swift and TS declarations, TS class fields). */
const ANNOTATED_AFTER_WORDS = new Set(['let', 'var', 'const', 'readonly', 'private', 'public', 'protected', 'static', 'declare']);

/** Keywords that declare a type: a collection anywhere after the name may be inside it. */
const TYPE_KEYWORDS = new Set(['class', 'struct', 'enum', 'extension', 'mixin', 'protocol', 'actor', 'interface']);

/** Keywords that declare a function or getter by the name that follows. */
const FUNCTION_KEYWORDS = new Set(['func', 'function', 'get']);

/** `utf8`: the text's UTF-8 bytes, when the caller has them (`pinSetNameTokens`). */
export function mayHoldNamedPinSet(text: string, family?: Family, utf8?: Uint8Array): boolean {
  return namedPinSetEvidence(text, family, utf8) !== undefined;
}

/** The first name that may name a pin set, where it is and why: what `mayHoldNamedPinSet` found. */
export function namedPinSetEvidence(text: string, family?: Family, utf8?: Uint8Array): PinSetNameEvidence | undefined {
  for (const evidence of pinSetNames(text, family, utf8).evidence) {
    // A function or type whose body (by its braces) holds no collection literal names no set.
    if (evidence.why !== 'scope' || hasCollectionLiteral(text, evidence.body!.start, evidence.body!.end, family)) return evidence;
  }
  return undefined;
}

export interface PinSetNameEvidence {
  token: string;
  start: number;
  why: 'assigned' | 'compared' | 'scope';
  /** For `scope`: the body of the function or type the name declares, as far as its braces tell. */
  body?: { start: number; end: number };
}

/** A text's pin-set names (`pinSetNameTokens`) and, of those, the ones that may name a set (`namedPinSetTokens`). */
export interface PinSetNames {
  names: readonly { token: string; start: number }[];
  evidence: readonly PinSetNameEvidence[];
}

let last: { text: string; family: Family | undefined; found: PinSetNames } | undefined;

/**
 * `PinSetNames` of `text`, kept for the last text asked about. A scan's main thread finds them
 * as it confirms a file's trigger words, and sends them with the file to the thread that parses
 * it (`rememberPinSetNames` there): each text is searched for them once.
 */
export function pinSetNames(text: string, family?: Family, utf8?: Uint8Array): PinSetNames {
  if (last?.text === text && last.family === family) return last.found;
  const names = pinSetNameTokens(text, utf8);
  const found = { names, evidence: [...namedPinSetTokens(text, family, names)] };
  last = { text, family, found };
  return found;
}

/** `pinSetNames` of the last text asked about, when that is `text`; undefined otherwise. */
export function knownPinSetNames(text: string, family?: Family): PinSetNames | undefined {
  return last?.text === text && last.family === family ? last.found : undefined;
}

/** Takes `found` as `pinSetNames(text, family)`: what another thread found in the same text. */
export function rememberPinSetNames(text: string, family: Family | undefined, found: PinSetNames): void {
  last = { text, family, found };
}

/**
 * Each occurrence of a pin-set name that may name a pin set, in text order: assigned a
 * collection, compared while a string constant, or declaring a function or type (whatever its
 * body holds: braces in strings, or a parser's error recovery, can end a body elsewhere than
 * counting them says). The pin-set search looks around these alone (facts/pin-sets.ts), where a
 * name used otherwise (`pinCode` compared with input, `'Enter PIN'`) makes it look nowhere.
 */
function* namedPinSetTokens(text: string, family: Family | undefined, names: PinSetNames['names']): Generator<PinSetNameEvidence> {
  const stringConstants = new Map<string, boolean>();
  const constants = (name: string) => stringConstants.get(name) ??
    stringConstants.set(name, mayBeStringConstant(text, name, family)).get(name)!;
  for (const { token, start } of names) {
    const end = start + token.length;
    if (assignsCollection(text, start, end, family)) yield { token, start, why: 'assigned' };
    else if (isComparedName(text, start, end) && constants(token)) yield { token, start, why: 'compared' };
    else {
      const body = scopeBody(text, start, end);
      if (body) yield { token, start, why: 'scope', body };
    }
  }
}

/**
 * `name = …[`, `name: …{`, `name => …[`, `'name': [` — an assignment, key or argument whose
 * value holds a collection literal before the statement or entry ends (`;` or `,` outside
 * brackets, or a bracket closing what the name sits in).
 */
function assignsCollection(text: string, start: number, end: number, family?: Family): boolean {
  let i = end;
  // A key in quotes: `'pins': [` / `"pins": [`. Both characters are read whatever the first is: V8
  // optimizes this function early in a scan, and threw that code away at the first quoted key.
  const quote = text.charCodeAt(start - 1);
  const after = text.charCodeAt(i);
  if ((quote === DOUBLE_QUOTE || quote === SINGLE_QUOTE) && after === quote) i++;
  const limit = Math.min(text.length, i + STATEMENT_WINDOW);
  /** After `let pins`, `private pins` the colon starts a type (`: [String]`), not a value. */
  const colonAssigns = !ANNOTATED_AFTER_WORDS.has(wordBefore(text, start));
  let depth = 0;
  /** `<…>` of type arguments (`Record<string, string[]>`); a `<` that compares only makes the test say yes more often. */
  let angle = 0;
  let assigned = false;
  // Character codes, not one-character strings: `text[i]` compiled for one kind of string (a
  // file with only ASCII, one with more) was thrown away at the next kind.
  for (; i < limit; i++) {
    const c = text.charCodeAt(i);
    if (c === SLASH && isCommentStart(text, i)) {
      i = commentEnd(text, i) - 1;
      continue;
    }
    if (c === OPEN_BRACKET || c === OPEN_BRACE) {
      if (assigned && startsCollectionLiteral(text, i, family)) return true;
      depth++;
    } else if (c === OPEN_PAREN) {
      depth++;
    } else if (c === CLOSE_PAREN || c === CLOSE_BRACKET || c === CLOSE_BRACE) {
      if (--depth < 0) return false;
    } else if (depth === 0) {
      if (c === SEMICOLON) return false;
      if (c === LESS) angle++;
      else if (c === GREATER && angle > 0 && text.charCodeAt(i - 1) !== EQUALS) angle--;
      else if (angle > 0) continue; // a comma or a colon inside type arguments: `Map<String, List<String>>`
      else if (c === COMMA || (c === LINE_FEED && !continuesOnNextLine(text, i, assigned))) return false;
      else if (!assigned && ((c === COLON && colonAssigns) || (c === EQUALS && isAssignmentAt(text, i)))) assigned = true;
    }
  }
  // A type annotation that goes on past the window (2,000 characters of type arguments, in a
  // fuzz case): the text cannot tell whether a collection is assigned after it, and the tree may.
  return !assigned && angle > 0 && limit < text.length;
}

/**
 * Whether the statement goes on after the line break at `i`: before the operator only when the
 * next line starts with it (`pins\n  = [`); after it when the line ends in an operator or an
 * opening (`pins =\n  [`) or the next line goes on with one (`\n  .of([`).
 */
function continuesOnNextLine(text: string, i: number, assigned: boolean): boolean {
  const next = text.charCodeAt(skipSpaces(text, i));
  if (!assigned) return next === EQUALS || next === COLON;
  let last = i - 1;
  while (last >= 0 && isSpaceCode(text.charCodeAt(last))) last--;
  return CONTINUES_AFTER.has(text.charCodeAt(last)) || next === DOT || next === QUESTION || next === COLON || next === OPEN_BRACKET || next === OPEN_BRACE;
}

/** `=:>(,?|&+.`: a line that ends in one of these goes on on the next. */
const CONTINUES_AFTER = new Set([...'=:>(,?|&+.'].map((c) => c.charCodeAt(0)));

/**
 * Whether the text may give `name` a string value the engine takes for a constant: declared with
 * one, and not surely assigned again. Says yes whenever the engine's `stringConstant` can.
 */
export function mayBeStringConstant(text: string, name: string, family?: Family): boolean {
  return declaresStringConstant(text, name, family) && !isAssignedAgain(text, name, family);
}

/**
 * `name = 'x'`, `name: String = "x"`: a declaration gives the name a string value somewhere in
 * the text. In Dart an instance field (`String pinCode = '';` in a class body) or a `static`
 * field without `const`/`final` is no constant to the engine (facts/pin-sets.ts `stringConstant`).
 */
function declaresStringConstant(text: string, name: string, family?: Family): boolean {
  for (let at = text.indexOf(name); at >= 0; at = text.indexOf(name, at + name.length)) {
    if (isIdentifierCode(text.charCodeAt(at - 1)) || isIdentifierCode(text.charCodeAt(at + name.length))) continue;
    if (!STRING_VALUE.test(text.slice(at + name.length, at + name.length + STATEMENT_WINDOW))) continue;
    if (family !== 'dart' || !isDartField(text, at)) return true;
  }
  return false;
}

/**
 * `this.pinCode = value`, `self.pinCode = v`, and in Swift a statement `pinCode = v`: a name
 * assigned again is no constant to the engine. A bare assignment counts only in Swift, which
 * declares with `let`/`var`: in Dart and TS `pinCode = '';` may be a field's declaration. Only
 * where the text is surely code: not after `//` or an odd number of quotes on its line, nor
 * inside a block comment or a multi-line string.
 */
export function isAssignedAgain(text: string, name: string, family?: Family): boolean {
  let longQuotes: number[] | undefined;
  // Each occurrence of the name, tested where it stands: a regular expression of the name with
  // a lookbehind, over the whole text, took 16 ms of an app-shape scan's main thread.
  for (let at = text.indexOf(name); at >= 0; at = text.indexOf(name, at + name.length)) {
    const start = assignmentStart(text, at, name.length, family === 'swift');
    if (start < 0) continue;
    const lineStart = text.lastIndexOf('\n', start) + 1;
    const before = text.slice(lineStart, start);
    if (/\/\/|\/\*|^\s*\*/.test(before)) continue; // maybe in a comment
    if ((before.match(/['"`]/g)?.length ?? 0) % 2 !== 0) continue; // maybe in a string
    if (text.lastIndexOf('/*', start) > text.lastIndexOf('*/', start)) continue;
    longQuotes ??= [...text.matchAll(/"""|'''/g)].map((m) => m.index);
    // After an odd number of `"""` / `'''` (Swift, Dart): maybe inside a multi-line string.
    if (longQuotes.filter((q) => q < start).length % 2 !== 0) continue;
    return true;
  }
  return false;
}

/**
 * Where an assignment to the name at `at` (`length` long) starts: at the `.` of `.name = `, or
 * with `bare` (Swift) at the name of a statement `name = ` (after only spaces and tabs since a
 * line start, `;` or `{`); -1 when it is neither. `+=` and the like count, `==` and `=>` do not.
 */
function assignmentStart(text: string, at: number, length: number, bare: boolean): number {
  const member = text.charCodeAt(at - 1) === DOT;
  if (!member && !(bare && startsStatement(text, at))) return -1;
  ASSIGNED.lastIndex = at + length;
  const match = ASSIGNED.exec(text);
  // As the two forms were written: the bare one takes no `?` before its `=`.
  return match && (member || !match[0].endsWith('?=')) ? (member ? at - 1 : at) : -1;
}

/** What follows an assigned name: `=`, or an operator with `=`, not `==` or `=>`. */
const ASSIGNED = /\s*[-+*/?]?=(?![=>])/y;

/** Whether only spaces and tabs stand between `at` and a line start, `;` or `{` before it. */
function startsStatement(text: string, at: number): boolean {
  let i = at;
  while (i > 0 && (text.charCodeAt(i - 1) === SPACE || text.charCodeAt(i - 1) === TAB)) i--;
  if (i === 0) return true;
  const c = text.charCodeAt(i - 1);
  return c === LINE_FEED || c === CARRIAGE_RETURN || c === 0x2028 || c === 0x2029 || c === SEMICOLON || c === OPEN_BRACE;
}

/** A declaration at `at` sits directly in a class, mixin, extension or enum body, and is neither `static const` nor `static final`. */
function isDartField(text: string, at: number): boolean {
  const statementStart = Math.max(text.lastIndexOf(';', at), text.lastIndexOf('{', at), text.lastIndexOf('}', at)) + 1;
  const modifiers = text.slice(statementStart, at);
  if (/\bstatic\b/.test(modifiers) && /\b(const|final)\b/.test(modifiers)) return false;
  const open = enclosingBrace(text, at);
  if (open < 0) return false;
  const headerStart = Math.max(text.lastIndexOf(';', open - 1), text.lastIndexOf('{', open - 1), text.lastIndexOf('}', open - 1)) + 1;
  return /\b(class|mixin|extension|enum)\b/.test(text.slice(headerStart, open));
}

/**
 * The `{` that encloses `at`, found by counting braces backwards (strings and comments are not
 * told apart: Dart's interpolations `${…}` balance); -1 at the top level.
 */
function enclosingBrace(text: string, at: number): number {
  let depth = 0;
  for (let i = at - 1; i >= 0; i--) {
    const c = text.charCodeAt(i);
    if (c === 0x7d) depth++;
    else if (c === 0x7b && depth-- === 0) return i;
  }
  return -1;
}

/**
 * After a name: an optional type annotation, `=`, then a string literal (Dart `r'…'`, Swift
 * `#"…"#`), comments allowed before it (`=\n  // the old one: '…'\n  'ee5c…'`).
 */
const STRING_VALUE = /^\s*(?::[^=;\n]*)?=(?:\s|\/\/[^\n]*\n|\/\*[\s\S]*?\*\/)*(?:r?['"`]|#+")/;

/** `=` at `i` assigns (`=` or the start of `=>`), and is not part of `==`, `!=`, `<=`, `>=`. */
function isAssignmentAt(text: string, i: number): boolean {
  const before = text.charCodeAt(i - 1);
  return text.charCodeAt(i + 1) !== EQUALS && before !== EQUALS && before !== BANG && before !== LESS && before !== GREATER;
}

/** `x == kPin`, `Pins.kPin != x`, `a || (kPin)`: the name is an operand of a comparison chain. */
function isComparedName(text: string, start: number, end: number): boolean {
  let before = start;
  // A qualified reference (`SslPins.kPin`), then parentheses and spaces.
  while (before > 0 && (isIdentifierCode(text.charCodeAt(before - 1)) || text.charCodeAt(before - 1) === DOT)) before--;
  while (before > 0 && (isSpaceCode(text.charCodeAt(before - 1)) || text.charCodeAt(before - 1) === OPEN_PAREN)) before--;
  if (before >= 2 && isComparisonAt(text, before - 2)) return true;
  let after = end;
  while (after < text.length && (isSpaceCode(text.charCodeAt(after)) || text.charCodeAt(after) === CLOSE_PAREN)) after++;
  return isComparisonAt(text, after);
}

/** `==`, `!=` or `||` at `i` (read by character codes: this runs for every pin-set name of a file, at every edit). */
function isComparisonAt(text: string, i: number): boolean {
  const first = text.charCodeAt(i);
  const second = text.charCodeAt(i + 1);
  return (second === 0x3d && (first === 0x3d || first === 0x21)) || (first === 0x7c && second === 0x7c); // == != ||
}

/**
 * Where the type (`class CertPins`), function or getter (`func pins(`, `get pins`,
 * `List<String> pinsFor(String host) {`, `pins() =>`) or Swift computed property
 * (`var pins: [String] {`) that the name declares has its body: its collections may be anywhere
 * in it. From the body's `{` to the brace that closes it (to the end of the text when none
 * does), or for `=>` to the end of its statement.
 */
function scopeBody(text: string, start: number, end: number): { start: number; end: number } | undefined {
  const keyword = wordBefore(text, start);
  let i = end;
  if (!TYPE_KEYWORDS.has(keyword) && !FUNCTION_KEYWORDS.has(keyword)) {
    i = skipSpaces(text, i);
    if (text.charCodeAt(i) === LESS) i = skipBalanced(text, i, LESS, GREATER); // generic parameters
    if (i < 0) return { start: end, end: text.length }; // not closed within the window: maybe
    i = skipSpaces(text, i);
    if (text.charCodeAt(i) === OPEN_PAREN) {
      i = skipBalanced(text, i, OPEN_PAREN, CLOSE_PAREN);
      if (i < 0) return { start: end, end: text.length };
      // Then modifiers and a return type, up to the body: `async {`, `-> [String] {`, `: string[] {`, `=>`.
      if (!/^(?:\s|async\*?|sync\*|throws|rethrows|->|:)*(?:[^;{}=\n]*?)(?:\{|=>)/.test(text.slice(i, i + STATEMENT_WINDOW))) return undefined;
    } else if (!(text.charCodeAt(i) === COLON && /^:[^=;\n{$]*\{/.test(text.slice(i, i + STATEMENT_WINDOW)))) {
      return undefined; // Swift computed property: `name: Type {` before any `=` (a Dart `${` is no body)
    }
  }
  const brace = text.indexOf('{', i);
  // Only an arrow before the brace matters: no search on to the end of a file without one (Swift).
  const arrow = indexWithin(text, '=>', i, brace < 0 ? text.length : brace);
  if (arrow >= 0) {
    const semicolon = text.indexOf(';', arrow);
    return { start: arrow, end: semicolon < 0 ? text.length : semicolon };
  }
  if (brace < 0) return undefined;
  return { start: brace, end: closingBrace(text, brace) };
}

/** Where `search` first occurs in [from, to), or -1. */
function indexWithin(text: string, search: string, from: number, to: number): number {
  const at = text.slice(from, to).indexOf(search);
  return at < 0 ? -1 : from + at;
}

/** The index after the `}` that closes the `{` at `open`, counting braces only; the text's end when none does. */
function closingBrace(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x7b) depth++;
    else if (c === 0x7d && --depth === 0) return i + 1;
  }
  return text.length;
}

/**
 * Whether a `[` or `{` in [from, to) starts a collection literal whose first element could be a
 * pin: a string, or a constant's (possibly qualified) name followed by `,` or the closing bracket.
 */
export function hasCollectionLiteral(text: string, from: number, to: number, family?: Family): boolean {
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if ((c === 0x5b || c === 0x7b) && startsCollectionLiteral(text, i, family)) return true;
  }
  return false;
}

function startsCollectionLiteral(text: string, open: number, family?: Family): boolean {
  // Only Dart has a collection in braces (a set); Swift's and TS's `{` opens a block, a closure or an object.
  if (text.charCodeAt(open) === OPEN_BRACE && family !== undefined && family !== 'dart') return false;
  return opensLiteral(text, open) && firstElementCouldBePin(text, open + 1);
}

/** `[`/`{` after an operator, `(`, `,` or a keyword; not after a name, `)` or `]` (an index or a block) or a string. */
function opensLiteral(text: string, open: number): boolean {
  let i = open - 1;
  while (i >= 0 && isSpaceCode(text.charCodeAt(i))) i--;
  if (i < 0) return true;
  const c = text.charCodeAt(i);
  if (isIdentifierCode(c)) return LITERAL_AFTER_WORDS.has(wordBefore(text, i + 1));
  // Types, not values: a Swift return type (`-> [String]`) and a declared one (`var problems: [String]`).
  if (c === 0x3e && text.charCodeAt(i - 1) === MINUS) return false;
  if (c === 0x3a && ANNOTATED_AFTER_WORDS.has(wordBefore(text, nameStart(text, i)))) return false;
  return !(c === 0x29 || c === 0x5d || c === 0x22 || c === 0x27 || c === 0x60); // ) ] " ' `
}

/** Where the name that ends before `end` (spaces allowed between) starts. */
function nameStart(text: string, end: number): number {
  let i = end;
  while (i > 0 && isSpaceCode(text.charCodeAt(i - 1))) i--;
  while (i > 0 && isIdentifierCode(text.charCodeAt(i - 1))) i--;
  return i;
}

function firstElementCouldBePin(text: string, from: number): boolean {
  let i = skipSpacesAndComments(text, from);
  const c = text.charCodeAt(i);
  if (c === SINGLE_QUOTE || c === DOUBLE_QUOTE || c === BACKTICK || c === HASH) return !isFirstKey(text, i); // Swift's raw strings start with #
  const after = text.charCodeAt(i + 1);
  if (c === LOWER_R && (after === SINGLE_QUOTE || after === DOUBLE_QUOTE)) return !isFirstKey(text, i + 1); // Dart's raw strings
  if (!isIdentifierCode(c) || (c >= DIGIT_0 && c <= DIGIT_9)) return false;
  while (i < text.length && (isIdentifierCode(text.charCodeAt(i)) || text.charCodeAt(i) === DOT)) i++;
  const next = skipSpacesAndComments(text, i);
  if (next >= text.length) return true;
  const n = text.charCodeAt(next);
  return n === COMMA || n === CLOSE_BRACKET || n === CLOSE_BRACE;
}

/**
 * Whether the string at `i` is followed by `:`: the first key of a map or dictionary
 * (`arguments: {'slug': slug}`, `["api.example.com": pins]`), which is no list or set and so no
 * pin set (facts/pin-sets.ts `elementGroups`; a Swift dictionary is none of its collection
 * types), though a list among its values may be. Only a one-line string in `'` or `"` without
 * escapes or interpolation is read to its end; any other may be a list's first element.
 */
function isFirstKey(text: string, i: number): boolean {
  const quote = text.charCodeAt(i);
  if (quote !== SINGLE_QUOTE && quote !== DOUBLE_QUOTE) return false;
  if (text.charCodeAt(i + 1) === quote && text.charCodeAt(i + 2) === quote) return false; // ''' or """: a multi-line string
  for (let j = i + 1; j < text.length; j++) {
    const c = text.charCodeAt(j);
    if (c === quote) return text.charCodeAt(skipSpacesAndComments(text, j + 1)) === COLON;
    // An escape (or, in a raw string, none), Swift's `\(` and Dart's `$` interpolations, a string
    // with no end on its line: where the string ends is not read here.
    if (c === BACKSLASH || c === DOLLAR || c === LINE_FEED) return false;
  }
  return false;
}

function wordBefore(text: string, end: number): string {
  let i = end;
  while (i > 0 && isSpaceCode(text.charCodeAt(i - 1))) i--;
  const wordEnd = i;
  while (i > 0 && isIdentifierCode(text.charCodeAt(i - 1))) i--;
  return text.slice(i, wordEnd);
}

function skipSpaces(text: string, i: number): number {
  while (i < text.length && isSpaceCode(text.charCodeAt(i))) i++;
  return i;
}

function skipSpacesAndComments(text: string, i: number): number {
  for (;;) {
    i = skipSpaces(text, i);
    if (text.charCodeAt(i) === SLASH && isCommentStart(text, i)) i = commentEnd(text, i);
    else return i;
  }
}

/** `//` or `/*` at `i` (a `/` there). */
function isCommentStart(text: string, i: number): boolean {
  const next = text.charCodeAt(i + 1);
  return next === SLASH || next === STAR;
}

/** The index after the comment starting at `i` (`//…` to its line's end, `/*…*\/`). */
function commentEnd(text: string, i: number): number {
  if (text.charCodeAt(i + 1) === SLASH) {
    const eol = text.indexOf('\n', i);
    return eol < 0 ? text.length : eol;
  }
  const close = text.indexOf('*/', i + 2);
  return close < 0 ? text.length : close + 2;
}

/** The index after the bracket that closes the one at `i`, within the window; -1 when not found. */
function skipBalanced(text: string, i: number, open: number, close: number): number {
  let depth = 0;
  const limit = Math.min(text.length, i + STATEMENT_WINDOW);
  for (; i < limit; i++) {
    const c = text.charCodeAt(i);
    if (c === open) depth++;
    else if (c === close && --depth === 0) return i + 1;
  }
  return -1;
}
