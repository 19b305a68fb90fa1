import { SHORTEST_BLOCK_RUN, WordScanner } from './word-scanner';

/**
 * Finds which groups of trigger words (one group per rule) occur in a file, in one pass over
 * its bytes or characters, without a regular expression: most files hold none and are never
 * decoded or parsed, so this pass is most of the cost of scanning them.
 *
 * Semantics are those of `new RegExp(sources.join('|'), 'i').test(text)` per group, exactly:
 * - words (strings, and patterns that are only alternatives of plain words) are found in the
 *   UTF-8 bytes with ASCII letters case-folded, by an SIMD search in WebAssembly (word-scanner.ts).
 *   Without the `u` flag `/i` folds no non-ASCII character onto an ASCII one, and UTF-8
 *   multi-byte sequences hold no ASCII byte, so bytes and characters give the same answer;
 * - any other pattern can only match inside a run of characters it can match, at least as long
 *   as its shortest match (a base64 pin needs 44 in a row): it is run on those runs alone, or
 *   on the text when it has anchors (`^`, `\b`…) that look outside its match. Patterns this file
 *   cannot analyse (look-arounds, back-references, non-ASCII) are run on every text.
 */

/** A set of trigger groups as a bit mask: bit i is group i. */
export type GroupMask = number;

/** Up to 31 groups fit a small integer bit mask. */
export const MAX_GROUPS = 31;

export type Trigger = string | RegExp;

interface PatternCheck {
  /** Groups the pattern belongs to. */
  groups: GroupMask;
  pattern: RegExp;
  /** `runs`: tried on each long run; `text`: on the whole text when there is a long run; `always`: on every text. */
  scope: 'runs' | 'text' | 'always';
}

/** Long runs of characters some pattern can match, as [start, end) offsets (bytes or UTF-16 units). */
export type Runs = number[];

/**
 * Where the words of some groups end in a text (offsets just past each occurrence, in bytes, in
 * no order), gathered by the pass that looks for them. `complete` is false when the pass stopped
 * early (every group found) or had no room for them all: `at` misses some.
 */
export interface WordEnds {
  groups: GroupMask;
  at: number[];
  complete: boolean;
}

export class TriggerMatcher {
  private constructor(
    /** Groups with no triggers at all: they always apply. */
    private readonly alwaysOn: GroupMask,
    private readonly allGroups: GroupMask,
    /** The search for the words and the long runs. */
    private readonly search: WordScanner,
    private readonly patterns: readonly PatternCheck[],
    /**
     * One run tracker for all analysable patterns: code unit (< 256; UTF-8 bytes ≥ 0x80 stand
     * for non-ASCII characters) → 1 when some pattern can match it, and the shortest match.
     */
    private readonly runChars: Uint8Array,
    private readonly minRun: number,
  ) {}

  /** `groups[i]` are the triggers of group i; an empty or undefined entry means "always". */
  static compile(groups: readonly (readonly Trigger[] | undefined)[]): TriggerMatcher {
    if (groups.length > MAX_GROUPS) throw new Error(`at most ${MAX_GROUPS} trigger groups (got ${groups.length})`);
    const words = new Map<string, GroupMask>();
    const patterns: PatternCheck[] = [];
    const runChars = new Uint8Array(256);
    let minRun = Infinity;
    let alwaysOn = 0;
    groups.forEach((triggers, index) => {
      const bit = 1 << index;
      if (!triggers || triggers.length === 0) {
        alwaysOn |= bit;
        return;
      }
      for (const trigger of triggers) {
        const source = typeof trigger === 'string' ? escapeRegExp(trigger) : trigger.source;
        const literal = literalAlternatives(source);
        if (literal && literal.every((w) => w !== '')) {
          for (const w of literal) words.set(w, (words.get(w) ?? 0) | bit);
          continue;
        }
        // Flags are dropped: trigger patterns have always been matched together, with `i` alone.
        const pattern = new RegExp(source, 'i');
        const shape = literal ? undefined : matchShape(source);
        if (shape && shape.minLength > 0) {
          for (let c = 0; c < 128; c++) runChars[c] |= shape.chars[c];
          if (shape.nonAscii) runChars.fill(1, 128);
          minRun = Math.min(minRun, shape.minLength);
        }
        const scope = !shape || shape.minLength === 0 ? 'always' : shape.anchored ? 'text' : 'runs';
        patterns.push({ groups: bit, pattern, scope });
      }
    });
    const allGroups = groups.length === MAX_GROUPS ? 0x7fffffff : (1 << groups.length) - 1;
    // 0, not Infinity, when no pattern has runs: every matcher's field then holds a small integer,
    // and optimized code reading it is not thrown away when a matcher with a double comes along.
    const runLength = Number.isFinite(minRun) ? minRun : 0;
    return new TriggerMatcher(alwaysOn, allGroups, WordScanner.compile(words, runChars), patterns, runChars, runLength);
  }

  /**
   * The groups whose triggers occur in `text`: those of its UTF-8 bytes (the same, see the top of
   * this file). The word search reads bytes, and so does the search for long runs: given strings
   * as well, V8 compiled it for both and threw that code away at each new kind of string (a
   * sliced, a two-byte one).
   */
  groupsInText(text: string): GroupMask {
    const bytes = utf8Scratch(text);
    return this.groupsInBytes(bytes, () => text);
  }

  /**
   * A test of many slices of one text: whether `text.slice(start, end)` holds a trigger
   * (`groupsInText` of it is not 0), for slices that start and end between two characters. The
   * words and the long runs are found once in the whole text: a slice holds a word when it holds
   * an occurrence whole, and can match a pattern only where it meets a long run (its own runs
   * are parts of the text's), and only there is the slice itself searched. A search per slice
   * (a member of a class, 57,329 of them on the app shape) took 65-106 ms, warm, where this takes 47-73.
   * `utf8`: the text's UTF-8 bytes, when the caller has them (a file read), or undefined.
   */
  slices(text: string, utf8?: Uint8Array): (start: number, end: number) => boolean {
    const eachSlice = (start: number, end: number) => this.groupsInText(text.slice(start, end)) !== 0;
    if (this.alwaysOn !== 0) return () => true;
    if (this.patterns.some((p) => p.scope === 'always')) return eachSlice;
    const bytes = utf8 ?? utf8Scratch(text);
    const utf16 = bytes.length !== text.length;
    this.search.load(bytes);
    const words = this.search.occurrences(this.allGroups, utf16);
    if (!words) return eachSlice;
    const byteRuns = this.patterns.length > 0 ? this.longRuns(bytes) : [];
    const runs = utf16 ? this.search.utf16Offsets(byteRuns) : byteRuns;
    return (start, end) => holdsSpan(words, start, end) || (meetsSpan(runs, start, end) && eachSlice(start, end));
  }

  /**
   * The groups whose triggers occur in UTF-8 `bytes` (a byte-order mark is fine). `decode` gives
   * the text, and is only called when a pattern trigger has to be tried on it.
   */
  groupsInBytes(bytes: Uint8Array, decode: () => string, ends?: WordEnds): GroupMask {
    this.search.load(bytes);
    const found = this.wordGroups(ends);
    // Counting bytes, not characters: a run of N characters is at least N bytes long. A run
    // ends at an ASCII byte, so it never splits a multi-byte character.
    return found === undefined ? this.allGroups : this.finish(found, () => this.longRuns(bytes), decode, (start, end) => decodeUtf8(bytes, start, end));
  }

  /** The groups whose words occur in the text loaded; undefined when every group has been found. */
  private wordGroups(ends: WordEnds | undefined): GroupMask | undefined {
    const wanted = this.allGroups & ~this.alwaysOn;
    const found = this.search.groups(wanted, ends);
    return found !== 0 && (found & wanted) === wanted ? stoppedEarly(ends) : found;
  }

  /** `source`: the text loaded. In SIMD when the runs are long enough to hold a whole block (a pin's: 44). */
  private longRuns(source: Uint8Array): Runs {
    return this.minRun >= SHORTEST_BLOCK_RUN ? this.search.longRuns(this.minRun) : longRuns(source, this.runChars, this.minRun);
  }

  /**
   * Tries the patterns the words did not settle. A pattern without anchors matches only inside
   * a long run (every character of a match is one it can match), so the runs are all it needs.
   */
  private finish(words: GroupMask, longRuns: () => Runs, text: () => string, slice: (start: number, end: number) => string): GroupMask {
    let found = words | this.alwaysOn;
    let runs: Runs | undefined;
    let decoded: string | undefined;
    let slices: string[] | undefined;
    for (const check of this.patterns) {
      if ((found & check.groups) === check.groups) continue;
      let matched: boolean;
      if (check.scope === 'always') {
        matched = check.pattern.test((decoded ??= text()));
      } else {
        const long = (runs ??= longRuns());
        if (long.length === 0) continue;
        if (check.scope === 'runs') {
          slices ??= Array.from({ length: long.length / 2 }, (_, k) => slice(long[2 * k], long[2 * k + 1]));
          matched = slices.some((run) => check.pattern.test(run));
        } else {
          matched = check.pattern.test((decoded ??= text()));
        }
      }
      if (matched) found |= check.groups;
    }
    return found;
  }
}

/**
 * The maximal runs of at least `minRun` units (bytes, or UTF-16 units with 0x80 for any
 * non-ASCII one) whose `runChars` entry is 1, as [start, end) pairs. Every such run holds one of
 * every `minRun`-th position, so only those are looked at. Around one that can be part of a run,
 * the run's start is found, and the unit `minRun` - 1 further on, where a long run would reach, is
 * read first and back from there: a short run is usually dismissed by its last unit or so, and
 * the look goes on past the last unit that cannot be in one. A fraction of a text's units are read.
 */
export function longRuns(source: string | Uint8Array, runChars: Uint8Array, minRun: number): Runs {
  const runs: Runs = [];
  if (!Number.isFinite(minRun) || minRun < 1) return runs;
  const n = source.length;
  for (let i = minRun - 1; i < n; ) {
    if (runChars[unitAt(source, i)] !== 1) {
      i += minRun;
      continue;
    }
    let start = i;
    while (start > 0 && runChars[unitAt(source, start - 1)] === 1) start--;
    const reach = start + minRun - 1;
    if (reach >= n) break; // no run from here on can be long
    let gap = reach;
    while (gap > i && runChars[unitAt(source, gap)] === 1) gap--;
    let end: number;
    if (gap > i) {
      // The run around i ends before `gap`, as do the runs between: each shorter than minRun.
      end = gap;
    } else {
      end = reach + 1;
      while (end < n && runChars[unitAt(source, end)] === 1) end++;
      runs.push(start, end);
    }
    // `end` holds no run unit: a run after it starts at end + 1 or later, and holds end + minRun if it is long.
    i = end + minRun;
  }
  return runs;
}

/** Whether one of `spans` ([start, end) pairs, ascending by start) lies wholly in [start, end). */
function holdsSpan(spans: readonly number[], start: number, end: number): boolean {
  for (let k = firstPairFrom(spans, 0, start); k < spans.length && spans[k] < end; k += 2) if (spans[k + 1] <= end) return true;
  return false;
}

/** Whether one of `spans` (disjoint [start, end) pairs, ascending) shares a unit with [start, end). */
function meetsSpan(spans: readonly number[], start: number, end: number): boolean {
  const k = firstPairFrom(spans, 1, start + 1);
  return k < spans.length && spans[k] < end;
}

/** The index of the first pair of `spans` whose `field` (0: start, 1: end) is `at` or more; the length when none is. */
function firstPairFrom(spans: readonly number[], field: 0 | 1, at: number): number {
  let lo = 0;
  let hi = spans.length >> 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (spans[2 * mid + field] < at) lo = mid + 1;
    else hi = mid;
  }
  return 2 * lo;
}

/** `wordGroups`' answer when every group is found: it stops there, and `ends` misses the words after. */
function stoppedEarly(ends: WordEnds | undefined): undefined {
  if (ends) ends.complete = false;
  return undefined;
}

/** A byte, or a UTF-16 unit with 0x80 for any non-ASCII one. A function, not a closure per caller: V8 inlines it into the loops. */
function unitAt(source: string | Uint8Array, i: number): number {
  if (typeof source !== 'string') return source[i];
  const c = source.charCodeAt(i);
  return c < 128 ? c : 0x80;
}

/** Per pattern source: the characters its matches consist of and their least length, or null when unknown. */
const shapes = new Map<string, { chars: Uint8Array; minLength: number } | null>();

/**
 * The matches of `pattern` in `text` in order, as [start, end) (`overlapping`: one try at every
 * start, not only after the last match), tried only on the runs of characters a match can
 * consist of: a pattern of long runs (a base64 pin) is cheap on a file of short words, where
 * trying it at every start of the file is not (4 ms on 200 KB of Swift). Lazy: a caller that
 * wants one match stops the search there.
 */
export function* patternMatches(text: string, pattern: RegExp, overlapping = false): Generator<{ start: number; end: number }> {
  let shape = shapes.get(pattern.source);
  if (shape === undefined) {
    const known = matchShape(pattern.source);
    shapes.set(pattern.source, (shape = known && !known.anchored && !known.nonAscii ? known : null));
  }
  const global = new RegExp(pattern.source, pattern.flags.includes('g') ? pattern.flags : `${pattern.flags}g`);
  function* search(from: number, to: number): Generator<{ start: number; end: number }> {
    // On the run alone: a search of the whole text from `from` would go on trying past `to`.
    const run = from === 0 && to === text.length ? text : text.slice(from, to);
    global.lastIndex = 0;
    for (let match = global.exec(run); match; match = global.exec(run)) {
      if (match[0] === '') return; // a pattern that matches nothing would never move on
      const at = match.index;
      yield { start: from + at, end: from + at + match[0].length };
      global.lastIndex = overlapping ? at + 1 : at + match[0].length;
    }
  }
  // Short matches (a word) fill most of a text's runs: measuring them would cost more than it saves.
  if (!shape || shape.minLength < MIN_RUN_WORTH_MEASURING) {
    yield* search(0, text.length);
    return;
  }
  const runs = longRuns(text, shape.chars, shape.minLength);
  for (let k = 0; k < runs.length; k += 2) yield* search(runs[k], runs[k + 1]);
}

const MIN_RUN_WORTH_MEASURING = 16;

function decodeUtf8(bytes: Uint8Array, start: number, end: number): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start).toString('utf8');
}

/**
 * A Buffer, as the files a scan reads are (source-bytes.ts): what still reads bytes in JavaScript
 * (the search for runs shorter than a block, `decodeUtf8`) then sees one kind of array; given
 * both, V8 compiled it for one and threw that away at the other. The text is encoded here and
 * then copied into the word search's memory, not encoded there: a view of that memory is cut off
 * when the search for runs grows it, and `finish` decodes slices after that search.
 */
let scratch = Buffer.allocUnsafe(64 * 1024);
const encoder = new TextEncoder();

/** `text`'s UTF-8 bytes, in a buffer that the next call overwrites. */
export function utf8Scratch(text: string): Uint8Array {
  // No UTF-16 unit takes more than 3 bytes (a surrogate pair, 2 units, takes 4).
  if (scratch.length < text.length * 3) scratch = Buffer.allocUnsafe(2 ** Math.ceil(Math.log2(text.length * 3)));
  return scratch.subarray(0, encoder.encodeInto(text, scratch).written);
}

export function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The words of a pattern that is nothing but `word|word|…` (escaped punctuation allowed),
 * lower-cased; undefined for anything else, or when a word is not ASCII.
 */
function literalAlternatives(source: string): string[] | undefined {
  const words: string[] = [''];
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '|') words.push('');
    else if (c === '\\') {
      const next = source[++i];
      if (next === undefined || /[A-Za-z0-9]/.test(next)) return undefined; // \d, \b, \1…: not a literal
      words[words.length - 1] += next;
    } else if ('.*+?^$()[]{}'.includes(c)) return undefined;
    else words[words.length - 1] += c;
  }
  if (words.some((w) => /[^\x20-\x7e]/.test(w))) return undefined;
  return words.map((w) => w.toLowerCase());
}

/**
 * Which characters a match of `source` can consist of, and how short it can be. Undefined for
 * syntax this reader does not know: the pattern is then tried on every file.
 */
export function matchShape(source: string): { chars: Uint8Array; nonAscii: boolean; minLength: number; anchored: boolean } | undefined {
  const chars = new Uint8Array(128);
  let nonAscii = false;
  /** `^`, `$`, `\b` or `\B`: the pattern looks at characters outside its match. */
  let anchored = false;
  let i = 0;
  const fail = (): never => {
    throw new ShapeError();
  };
  const addRange = (from: number, to: number) => {
    for (let c = from; c <= to; c++) {
      if (c >= 128) {
        nonAscii = true;
        break;
      }
      chars[c] = 1;
      // `i`: both cases of an ASCII letter.
      if (c >= 65 && c <= 90) chars[c + 32] = 1;
      if (c >= 97 && c <= 122) chars[c - 32] = 1;
    }
  };
  const addAllBut = (excluded: number[]) => {
    for (let c = 0; c < 128; c++) if (!excluded.includes(c)) chars[c] = 1;
    nonAscii = true;
  };
  const addClassEscape = (e: string): boolean => {
    switch (e) {
      case 'd': addRange(48, 57); return true;
      case 'w': addRange(48, 57); addRange(65, 90); addRange(95, 95); return true;
      case 's': addRange(9, 13); addRange(32, 32); nonAscii = true; return true;
      case 'D': case 'W': case 'S': addAllBut([]); return true;
      default: return false;
    }
  };
  const escapedChar = (e: string): number => {
    const simple: Record<string, number> = { n: 10, r: 13, t: 9, f: 12, v: 11, '0': 0 };
    if (e in simple) return simple[e];
    if (/[A-Za-z0-9]/.test(e)) return fail(); // \x, \u, \c, back-references…
    return e.charCodeAt(0);
  };
  /** One `[…]` at `i` (just after the `[`); leaves `i` after the `]`. */
  const charClass = () => {
    if (source[i] === '^') {
      // A negated class matches nearly anything: only the run length can still tell.
      addAllBut([]);
      while (i < source.length && source[i] !== ']') i += source[i] === '\\' ? 2 : 1;
      if (source[i++] !== ']') fail();
      return;
    }
    while (i < source.length && source[i] !== ']') {
      let code: number;
      if (source[i] === '\\') {
        const e = source[i + 1];
        i += 2;
        if (e === undefined) fail();
        if (addClassEscape(e)) continue;
        code = e === 'b' ? 8 : escapedChar(e);
      } else {
        code = source.charCodeAt(i++);
      }
      if (source[i] === '-' && source[i + 1] !== ']' && source[i + 1] !== undefined) {
        i++;
        let to: number;
        if (source[i] === '\\') {
          to = escapedChar(source[i + 1]);
          i += 2;
        } else {
          to = source.charCodeAt(i++);
        }
        if (to < code) fail();
        addRange(code, to);
      } else {
        addRange(code, code);
      }
    }
    if (source[i++] !== ']') fail();
  };
  /** Minimum length of an alternation, reading until `)` or the end. */
  const alternation = (): number => {
    let best = Infinity;
    for (;;) {
      best = Math.min(best, sequence());
      if (source[i] !== '|') return best;
      i++;
    }
  };
  const sequence = (): number => {
    let total = 0;
    while (i < source.length && source[i] !== '|' && source[i] !== ')') {
      let atom: number;
      const c = source[i++];
      if (c === '(') {
        if (source[i] === '?') {
          if (source[i + 1] !== ':') fail(); // look-arounds, named groups
          i += 2;
        }
        atom = alternation();
        if (source[i++] !== ')') fail();
      } else if (c === '[') {
        charClass();
        atom = 1;
      } else if (c === '\\') {
        const e = source[i++];
        if (e === undefined) fail();
        if (e === 'b' || e === 'B') {
          anchored = true;
          atom = 0;
        }
        else if (addClassEscape(e)) atom = 1;
        else {
          const code = escapedChar(e);
          addRange(code, code);
          atom = 1;
        }
      } else if (c === '^' || c === '$') {
        anchored = true;
        atom = 0;
      } else if (c === '.') {
        addAllBut([10, 13]);
        atom = 1;
      } else if (c === '*' || c === '+' || c === '?' || c === '{' || c === ')') {
        return fail();
      } else {
        const code = c.charCodeAt(0);
        if (code >= 128) nonAscii = true;
        else addRange(code, code);
        atom = 1;
      }
      // Quantifier: the minimum count scales the atom's minimum length.
      let min = 1;
      const q = source[i];
      if (q === '*' || q === '?') {
        min = 0;
        i++;
      } else if (q === '+') {
        i++;
      } else if (q === '{') {
        const m = /^\{(\d+)(,\d*)?\}/.exec(source.slice(i));
        if (!m) fail();
        min = Number(m![1]);
        i += m![0].length;
      }
      if (source[i] === '?') i++; // lazy
      total += atom * min;
    }
    return total;
  };
  try {
    const minLength = alternation();
    if (i !== source.length || !Number.isFinite(minLength)) return undefined;
    return { chars, nonAscii, minLength, anchored };
  } catch (error) {
    if (error instanceof ShapeError) return undefined;
    throw error;
  }
}

class ShapeError extends Error {}

