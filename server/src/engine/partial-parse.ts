import type { Range as TreeRange } from 'web-tree-sitter';
import type { Coverage } from '../facts/tree';
import type { Family } from './languages';
import { outline } from './outline';

/**
 * Control characters (other than whitespace) and U+FFFD (bytes that were not UTF-8): binary
 * bytes, which no source file holds. A text with them is parsed whole: tree-sitter's recovery
 * from such a stretch is not local, and in a whole parse it can swallow the declarations after
 * it (a fuzz case: 0x1d at the start of a Dart file made one ERROR of its first 4,205
 * characters, while its parts, parsed without that stretch, held a pin set).
 */
const NOT_SOURCE_TEXT = /[\x00-\x08\x0e-\x1f\x7f\ufffd]/;

/**
 * Which parts of a file a parse reads: its top-level declarations and the members of its
 * types that mention a trigger word, and the headers of those types (tree-sitter's included
 * ranges). A 3,000-line class whose pinning code is one method parses in a millisecond instead
 * of fifty. What the rules then look for outside those parts they ask for (`TextNeeded`, from
 * facts/tree.ts), and the file is parsed again with it; past `MAX_ROUNDS`, whole.
 */
export class PartialText implements Coverage {
  /** Disjoint, in order, covering the text; each belongs to one unit. */
  private readonly pieces: { start: number; end: number; unit: number }[];
  /** Per unit: the unit that must come with it (a member's type header), or -1. */
  private readonly needs: number[];
  private readonly included: boolean[];
  /** Per unit: the length of its pieces. */
  private readonly lengths: number[];
  private includedLength: number;
  private parses = 1;

  private constructor(
    private readonly text: string,
    private readonly maxShare: number,
    parts: TextParts = { pieces: [], needs: [], included: [], lengths: [], includedLength: 0 },
  ) {
    ({ pieces: this.pieces, needs: this.needs, included: this.included, lengths: this.lengths, includedLength: this.includedLength } = parts);
  }

  /**
   * The parts as plain data, for a file cut on one thread and parsed on another: a CLI scan's
   * main thread cuts the files it hands its scan threads, which have more to do than it has.
   */
  toParts(): TextParts {
    return { pieces: this.pieces, needs: this.needs, included: this.included, lengths: this.lengths, includedLength: this.includedLength };
  }

  /** `toParts`' parts of `text` again, as they were before any parse (the arrays become this one's). */
  static fromParts(text: string, parts: TextParts, maxShare = PARTIAL_PARSE_MAX_SHARE): PartialText {
    return new PartialText(text, maxShare, parts);
  }

  /**
   * The parts of `text` that mention a trigger word (`mentions` of a part's `[start, end)`), or undefined when the file
   * cannot be cut into parts (unbalanced braces, a quote left open outside JSX text: `jsxText`
   * when its grammar reads JSX), or when most of it or none mentions one.
   */
  static of(family: Exclude<Family, 'xml'>, text: string, mentions: (start: number, end: number) => boolean, maxShare = PARTIAL_PARSE_MAX_SHARE, jsxText = false): PartialText | undefined {
    if (NOT_SOURCE_TEXT.test(text)) return undefined;
    const declarations = outline(family, text, jsxText);
    if (!declarations) return undefined;
    const partial = new PartialText(text, maxShare);
    for (const declaration of declarations) {
      const { members } = declaration;
      if (!members) {
        partial.addUnit([[declaration.start, declaration.end]], -1);
        continue;
      }
      const bodyStart = members[0][0];
      const bodyEnd = members.at(-1)![1];
      const header = partial.addUnit([[declaration.start, bodyStart], [bodyEnd, declaration.end]], -1);
      for (const member of members) partial.addUnit([member], header);
    }
    partial.pieces.sort((a, b) => a.start - b.start);
    for (const piece of partial.pieces) {
      if (!partial.included[piece.unit] && mentions(piece.start, piece.end)) partial.include(piece.unit);
    }
    // No part at all would be no included range, which tree-sitter reads as the whole text.
    return partial.mostlyIncluded || partial.includedLength === 0 ? undefined : partial;
  }

  /**
   * Whether `maxShare` of the text or more is in the parse: a parse of the parts then costs what
   * a whole one does, and another round would cost more (a class whose every member reads `pinCode`).
   */
  get mostlyIncluded(): boolean {
    return this.includedLength >= this.maxShare * this.text.length;
  }

  /** The included ranges of the next parse, adjacent parts merged. */
  ranges(): TreeRange[] {
    const spans: [number, number][] = [];
    for (const piece of this.pieces) {
      if (!this.included[piece.unit]) continue;
      const last = spans.at(-1);
      if (last && last[1] === piece.start) last[1] = piece.end;
      else spans.push([piece.start, piece.end]);
    }
    // Tree-sitter's points count rows at `\n` alone, and columns in UTF-16 units.
    const points = new Points(this.text);
    return spans.map(([start, end]) => ({ startIndex: start, endIndex: end, startPosition: points.at(start), endPosition: points.at(end) }));
  }

  /** Parses of parts so far, counting the next one. */
  get rounds(): number {
    return this.parses;
  }

  /** Whether some of `[start, end)` was left out of the parse. */
  missing(start: number, end: number): boolean {
    for (const piece of this.piecesIn(start, end)) if (!this.included[piece.unit]) return true;
    return false;
  }

  /** Adds the parts that hold some of `spans` to the next parse; false when they were all in already. */
  includeText(spans: readonly (readonly [number, number])[]): boolean {
    let added = false;
    for (const [start, end] of spans) {
      for (const piece of this.piecesIn(start, end)) added = this.include(piece.unit) || added;
    }
    if (added) this.parses++;
    return added;
  }

  /** The pieces that hold some of `[start, end)` (the one at `start` for an empty span). */
  private *piecesIn(start: number, end: number): Generator<{ start: number; end: number; unit: number }> {
    let lo = 0;
    let hi = this.pieces.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.pieces[mid].end <= start) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < this.pieces.length && this.pieces[i].start < Math.max(end, start + 1); i++) yield this.pieces[i];
  }

  private include(unit: number): boolean {
    if (this.included[unit]) return false;
    this.included[unit] = true;
    this.includedLength += this.lengths[unit];
    if (this.needs[unit] >= 0) this.include(this.needs[unit]);
    return true;
  }

  private addUnit(spans: [number, number][], needs: number): number {
    const unit = this.needs.push(needs) - 1;
    this.included.push(false);
    this.lengths.push(spans.reduce((n, [start, end]) => n + end - start, 0));
    for (const [start, end] of spans) if (end > start) this.pieces.push({ start, end, unit });
    return unit;
  }
}

/** What `PartialText.toParts` gives: its state before the first parse. */
export interface TextParts {
  pieces: { start: number; end: number; unit: number }[];
  needs: number[];
  included: boolean[];
  lengths: number[];
  includedLength: number;
}

/**
 * Tree-sitter's points (rows counted at `\n` alone, columns in UTF-16 units) of ascending
 * offsets, in one pass over the text's line breaks.
 */
export class Points {
  private row = 0;
  private lineStart = 0;

  constructor(private readonly text: string) {}

  at(offset: number): { row: number; column: number } {
    for (let nl = this.text.indexOf('\n', this.lineStart); nl >= 0 && nl < offset; nl = this.text.indexOf('\n', this.lineStart)) {
      this.row++;
      this.lineStart = nl + 1;
    }
    return { row: this.row, column: offset - this.lineStart };
  }
}

/** The share of the text from which a file is parsed whole (`mostlyIncluded`); 1: only when all of it is needed. */
export const PARTIAL_PARSE_MAX_SHARE = 0.5;

/** Parses of parts before a file is parsed whole. */
export const MAX_ROUNDS = 3;
