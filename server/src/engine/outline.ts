import {
  AT, BACKSLASH, BACKTICK, CLOSE_BRACE, CLOSE_BRACKET, CLOSE_PAREN, DOLLAR, DOT, DOUBLE_QUOTE, EQUALS, GREATER, HASH, LESS, OPEN_BRACE,
  OPEN_BRACKET, OPEN_PAREN, SEMICOLON, SINGLE_QUOTE, SLASH, STAR,
} from './char-codes';
import type { Family } from './languages';

/**
 * A top-level declaration of a file, found from the text alone (braces, strings, comments), for
 * a partial parse (partial-parse.ts). Wrong answers cost time, not findings: a piece cut in the
 * wrong place leaves text the parser cannot read, and a tree with an error is thrown away for a
 * parse of the whole file.
 */
export interface Declaration {
  start: number;
  end: number;
  /** A class, struct, extension, enum…: its body's members, in order, from just after `{` to the last member's end. */
  members?: Span[];
}

export type Span = [start: number, end: number];

/**
 * Words that make the next top-level `{` open a type's body (as long as no `(` comes first). A
 * Map, not an object: a property read by a family name other than the first one seen threw away
 * the optimized code of the whole outline loop.
 */
const TYPE_KEYWORDS = new Map<Exclude<Family, 'xml'>, ReadonlySet<string>>([
  ['dart', new Set(['class', 'mixin', 'extension', 'enum'])],
  ['swift', new Set(['class', 'struct', 'extension', 'enum', 'actor', 'protocol'])],
  ['ts', new Set(['class', 'interface', 'enum'])],
]);

/** Words that continue the statement before them: no cut between `}` and these (`import { a } from 'm';`, `{ … } as const`). */
const CONTINUATIONS = new Set(['else', 'catch', 'finally', 'while', 'on', 'where', 'endif', 'elseif', 'from', 'as', 'satisfies']);

/**
 * The top-level declarations of `text`, in order and together covering it, or undefined when its
 * braces do not balance (a half-typed file), or when a quote is not closed on its line and
 * `jsxText` is false. An apostrophe is text in JSX (`<p>Don't</p>`); anywhere else it starts a
 * string the parser reads on past that line, and its recovery can swallow the declarations
 * after it, which the parts, cut without that line, would hold (a fuzz case: a TS import's
 * `'node:tls;` hid the pin set below it from a whole parse, not from the parts).
 */
export function outline(family: Exclude<Family, 'xml'>, text: string, jsxText = false): Declaration[] | undefined {
  try {
    return declarationsOf(family, text, jsxText);
  } catch (error) {
    if (error instanceof TooDeep) return undefined;
    throw error;
  }
}

function declarationsOf(family: Exclude<Family, 'xml'>, text: string, jsxText: boolean): Declaration[] | undefined {
  const lexer = new Lexer(text, family);
  const keywords = TYPE_KEYWORDS.get(family)!;
  const declarations: Declaration[] = [];
  let depth = 0;
  let start = 0;
  let typeKeyword = false; // a type keyword since the declaration's start, and no `(` after it
  let angles = 0; // open `<` after it: `{` there opens a type (`React.Component<{ a: A }>`), not the body
  let members: Span[] | undefined; // set inside a type's body
  let memberStart = 0;
  const endDeclaration = (end: number) => {
    const declaration: Declaration = { start, end };
    if (members && members.length > 1) declaration.members = members;
    declarations.push(declaration);
    start = end;
    typeKeyword = false;
    angles = 0;
    members = undefined;
  };
  const endMember = (end: number) => {
    members!.push([memberStart, end]);
    memberStart = end;
  };
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    // Inside braces only these characters matter: most of a large class's text is read here alone.
    if (depth > 0 && !MATTERS_INSIDE_BRACES[c]) continue;
    if (STARTS_SKIPPED[c]) {
      const after = lexer.skip(i);
      if (after !== i) {
        i = after - 1;
        continue;
      }
    }
    if (depth === 0 && isWordStart(c)) {
      const end = wordEnd(text, i);
      if (keywords.has(text.slice(i, end))) typeKeyword = true;
      i = end - 1;
    } else if (c === OPEN_PAREN && depth === 0) typeKeyword = false;
    else if (c === LESS && depth === 0 && typeKeyword) angles++;
    else if (c === GREATER && depth === 0 && angles > 0 && text.charCodeAt(i - 1) !== EQUALS) angles--;
    else if (c === OPEN_BRACE) {
      depth++;
      if (depth === 1 && typeKeyword && angles === 0 && !members) {
        members = [];
        memberStart = i + 1;
      }
    } else if (c === CLOSE_BRACE) {
      depth--;
      if (depth < 0) return undefined;
      if (depth === 1 && members && isCut(text, i + 1)) endMember(i + 1);
      else if (depth === 0 && isCut(text, i + 1)) endDeclaration(i + 1);
    } else if (c === SEMICOLON) {
      if (depth === 0) endDeclaration(i + 1);
      else if (depth === 1 && members) endMember(i + 1);
    }
  }
  if (depth !== 0 || ((lexer.unclosedQuote || lexer.tagLikeSlash) && !jsxText) || lexer.unclosedComment) return undefined;
  if (start < n) endDeclaration(n);
  return declarations;
}

/** Whether a declaration or member may end before `at`: what follows starts another one. */
function isCut(text: string, at: number): boolean {
  let i = at;
  while (i < text.length && isSpace(text.charCodeAt(i))) i++;
  if (i >= text.length) return true;
  const c = text.charCodeAt(i);
  if (c === HASH) {
    // `#endif` / `#else` belong to the `#if` before them.
    return !CONTINUATIONS.has(text.slice(i + 1, wordEnd(text, i + 1)));
  }
  if (isWordStart(c)) return !CONTINUATIONS.has(text.slice(i, wordEnd(text, i)));
  return c === AT || c === SLASH || c === CLOSE_BRACE;
}

/** Interpolations nested deeper than this (generated or broken code) make a file parsed whole. */
const MAX_NESTING = 64;

class TooDeep extends Error {}

/** Skips comments and string literals (interpolations included) of one language. */
class Lexer {
  private nesting = 0;
  /** A quote not closed on its line was read as no string (JSX text). */
  unclosedQuote = false;
  /**
   * A `/` right after `<name` (`<false/`), read here as a division: outside JSX the TS grammar
   * may read a regular expression there instead, and its recovery swallowed the 29 lines after it
   * in a whole parse (a fuzz case), which the parts, cut without that line, held.
   */
  tagLikeSlash = false;
  /**
   * A `/*` never closed: read here as a comment to the end, which a grammar's recovery may not
   * do (Swift's parsed the code after it in a fuzz case): the file is parsed whole.
   */
  unclosedComment = false;

  constructor(
    private readonly text: string,
    private readonly family: Exclude<Family, 'xml'>,
  ) {}

  /** When a comment or a string starts at `i`, the index after it; otherwise `i`. */
  skip(i: number): number {
    const { text } = this;
    const c = text.charCodeAt(i);
    if (c === SLASH) {
      const next = text.charCodeAt(i + 1);
      if (next === SLASH) return lineEnd(text, i);
      if (next === STAR) return this.blockComment(i);
      if (this.family === 'ts' && startsRegex(text, i)) return regexEnd(text, i);
      if (this.family === 'ts' && followsTagName(text, i)) this.tagLikeSlash = true;
      return i;
    }
    if (c === SINGLE_QUOTE || c === DOUBLE_QUOTE) {
      if (this.family === 'dart') return this.dartString(i, i > 0 && text[i - 1] === 'r' && !isWordPart(text.charCodeAt(i - 2)));
      if (this.family === 'ts' || c === DOUBLE_QUOTE) return this.quoted(i, 0);
      return i;
    }
    if (c === BACKTICK && this.family === 'ts') return this.template(i);
    if (c === HASH && this.family === 'swift') {
      let hashes = 0;
      while (text.charCodeAt(i + hashes) === HASH) hashes++;
      if (text.charCodeAt(i + hashes) === DOUBLE_QUOTE) return this.quoted(i + hashes, hashes);
    }
    return i;
  }

  /** `/* ... *\/`, nested in Dart and Swift. */
  private blockComment(i: number): number {
    const { text } = this;
    const nests = this.family !== 'ts';
    let depth = 0;
    for (let j = i; j < text.length - 1; j++) {
      if (text.charCodeAt(j) === SLASH && text.charCodeAt(j + 1) === STAR && (nests || depth === 0)) {
        depth++;
        j++;
      } else if (text.charCodeAt(j) === STAR && text.charCodeAt(j + 1) === SLASH) {
        depth--;
        j++;
        if (depth === 0) return j + 1;
      }
    }
    this.unclosedComment = true;
    return text.length;
  }

  /**
   * A Dart string: `'...'`, `"..."`, their tripled forms, `r` raw ones; `${...}` interpolations.
   * A one-line quote not closed on its line starts no string: it is read past as code.
   */
  private dartString(i: number, raw: boolean): number {
    const { text } = this;
    const quote = text.charCodeAt(i);
    const triple = text.charCodeAt(i + 1) === quote && text.charCodeAt(i + 2) === quote;
    for (let j = i + (triple ? 3 : 1); j < text.length; j++) {
      const c = text.charCodeAt(j);
      if (c === quote && (!triple || (text.charCodeAt(j + 1) === quote && text.charCodeAt(j + 2) === quote))) return j + (triple ? 3 : 1);
      if (!triple && isLineBreak(c)) return this.noString(i);
      if (raw) continue;
      if (c === BACKSLASH) j++;
      else if (c === DOLLAR && text.charCodeAt(j + 1) === OPEN_BRACE) j = this.codeUntil(j + 2, OPEN_BRACE, CLOSE_BRACE) - 1;
    }
    return text.length;
  }

  /**
   * `"..."` and `'...'` in TS; `"..."`, `"""..."""` and raw `#"..."#` in Swift, whose interpolations are
   * `\(...)` (`\#(...)` in a raw string). Unless multi-line, one not closed on its line is no string.
   */
  private quoted(i: number, hashes: number): number {
    const { text } = this;
    const quote = text.charCodeAt(i);
    const triple = this.family === 'swift' && text.charCodeAt(i + 1) === quote && text.charCodeAt(i + 2) === quote;
    const closing = (triple ? '"""' : text[i]) + '#'.repeat(hashes);
    const escape = '\\' + '#'.repeat(hashes);
    for (let j = i + (triple ? 3 : 1); j < text.length; j++) {
      const c = text.charCodeAt(j);
      if (text.startsWith(closing, j)) return j + closing.length;
      if (!triple && isLineBreak(c)) return this.noString(i);
      if (c !== BACKSLASH || !text.startsWith(escape, j)) continue;
      j += escape.length;
      if (this.family === 'swift' && text.charCodeAt(j) === OPEN_PAREN) j = this.codeUntil(j + 1, OPEN_PAREN, CLOSE_PAREN) - 1;
    }
    return text.length;
  }

  /** A quote at `i` not closed on its line: no string after all (an apostrophe in JSX text). */
  private noString(i: number): number {
    this.unclosedQuote = true;
    return i + 1;
  }

  /** A TS template literal with its `${...}` interpolations. */
  private template(i: number): number {
    const { text } = this;
    for (let j = i + 1; j < text.length; j++) {
      const c = text.charCodeAt(j);
      if (c === BACKTICK) return j + 1;
      if (c === BACKSLASH) j++;
      else if (c === DOLLAR && text.charCodeAt(j + 1) === OPEN_BRACE) j = this.codeUntil(j + 2, OPEN_BRACE, CLOSE_BRACE) - 1;
    }
    return text.length;
  }

  /** Code from `i` up to and past the `close` that balances it (an interpolation's end). */
  private codeUntil(i: number, open: number, close: number): number {
    if (++this.nesting > MAX_NESTING) throw new TooDeep();
    try {
      return this.codeUntilIn(i, open, close);
    } finally {
      this.nesting--;
    }
  }

  private codeUntilIn(i: number, open: number, close: number): number {
    const { text } = this;
    let depth = 0;
    while (i < text.length) {
      const after = this.skip(i);
      if (after !== i) {
        i = after;
        continue;
      }
      const c = text.charCodeAt(i);
      if (c === open) depth++;
      else if (c === close && depth-- === 0) return i + 1;
      i++;
    }
    return text.length;
  }
}

/**
 * Whether the `/` at `i` starts a TS regular expression rather than dividing: what comes
 * before it cannot end an operand. `</` (a JSX closing tag) divides nothing and is no regex.
 */
function startsRegex(text: string, i: number): boolean {
  let j = i - 1;
  while (j >= 0 && isSpace(text.charCodeAt(j))) j--;
  if (j < 0) return true;
  const before = text[j];
  if (before === '<' && j === i - 1) return false;
  if ('(,=:[!&|?{;+-*%<>~^'.includes(before)) return true;
  if (!isWordPart(text.charCodeAt(j))) return false;
  let k = j;
  while (k >= 0 && isWordPart(text.charCodeAt(k))) k--;
  return /^(return|typeof|case|do|else|in|of|new|delete|void|throw|yield|await)$/.test(text.slice(k + 1, j + 1));
}

/**
 * Whether the `/` at `i` follows `<` and a name (`<Foo/`, `<a.b />`), as a JSX tag's end would.
 * Not `i < n / 2`: a comparison has a space after its `<`.
 */
function followsTagName(text: string, i: number): boolean {
  let j = i - 1;
  while (j >= 0 && isSpace(text.charCodeAt(j))) j--;
  const nameEnd = j;
  while (j >= 0 && (isWordPart(text.charCodeAt(j)) || text.charCodeAt(j) === DOT)) j--;
  return j < nameEnd && text.charCodeAt(j) === LESS;
}

/** The end of the regular expression at `i`; `i` when the line ends first (a division after all). */
function regexEnd(text: string, i: number): number {
  let inClass = false;
  for (let j = i + 1; j < text.length; j++) {
    const c = text.charCodeAt(j);
    if (isLineBreak(c)) return i;
    if (c === BACKSLASH) j++;
    else if (c === OPEN_BRACKET) inClass = true;
    else if (c === CLOSE_BRACKET) inClass = false;
    else if (c === SLASH && !inClass) {
      let end = j + 1;
      while (end < text.length && isWordPart(text.charCodeAt(end))) end++; // flags
      return end;
    }
  }
  return i;
}

function lineEnd(text: string, i: number): number {
  let j = i;
  while (j < text.length && !isLineBreak(text.charCodeAt(j))) j++;
  return j;
}

function wordEnd(text: string, i: number): number {
  let j = i;
  while (j < text.length && isWordPart(text.charCodeAt(j))) j++;
  return j;
}

function isWordStart(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === DOLLAR;
}

function isWordPart(c: number): boolean {
  return isWordStart(c) || (c >= 48 && c <= 57);
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || isLineBreak(c);
}

function isLineBreak(c: number): boolean {
  return c === 10 || c === 13;
}

/**
 * The characters a comment or a string can start with (`Lexer.skip`). One entry per UTF-16 unit:
 * a read past the end of a shorter table (at the first non-ASCII character) threw away the
 * optimized outline loop.
 */
const STARTS_SKIPPED = new Uint8Array(0x10000);
for (const c of '/\'"`#') STARTS_SKIPPED[c.charCodeAt(0)] = 1;

/** What `declarationsOf` reads at a depth of one or more: braces, `;`, and the starts of comments and strings. */
const MATTERS_INSIDE_BRACES = new Uint8Array(0x10000);
for (const c of '{};') MATTERS_INSIDE_BRACES[c.charCodeAt(0)] = 1;
STARTS_SKIPPED.forEach((starts, c) => (MATTERS_INSIDE_BRACES[c] |= starts));
