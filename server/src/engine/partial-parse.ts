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
  private readonly parts: TextParts;
  private parses = 1;

  private constructor(
    private readonly text: string,
    private readonly maxShare: number,
    parts: TextParts,
  ) {
    this.parts = parts;
  }

  /**
   * The parts as plain data, for a file cut on one thread and parsed on another: a CLI scan's
   * main thread cuts the files it hands its scan threads, which have more to do than it has.
   */
  toParts(): TextParts {
    return this.parts;
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
    const cut = new Cut();
    for (const declaration of declarations) {
      const { members } = declaration;
      if (!members) {
        cut.addPiece(declaration.start, declaration.end, cut.addUnit(declaration.end - declaration.start, -1));
        continue;
      }
      // In text order: the header's first piece, the members, the header's last piece.
      const bodyStart = members[0][0];
      const bodyEnd = members.at(-1)![1];
      const header = cut.addUnit(bodyStart - declaration.start + declaration.end - bodyEnd, -1);
      cut.addPiece(declaration.start, bodyStart, header);
      for (const [start, end] of members) cut.addPiece(start, end, cut.addUnit(end - start, header));
      cut.addPiece(bodyEnd, declaration.end, header);
    }
    const partial = new PartialText(text, maxShare, cut.parts());
    const { pieceStarts, pieceEnds, pieceUnits, included } = partial.parts;
    for (let k = 0; k < pieceUnits.length; k++) {
      if (!included[pieceUnits[k]] && mentions(pieceStarts[k], pieceEnds[k])) partial.include(pieceUnits[k]);
    }
    // No part at all would be no included range, which tree-sitter reads as the whole text.
    return partial.mostlyIncluded || partial.parts.includedLength === 0 ? undefined : partial;
  }

  /**
   * Whether `maxShare` of the text or more is in the parse: a parse of the parts then costs what
   * a whole one does, and another round would cost more (a class whose every member reads `pinCode`).
   */
  get mostlyIncluded(): boolean {
    return this.parts.includedLength >= this.maxShare * this.text.length;
  }

  /** The included ranges of the next parse, adjacent parts merged. */
  ranges(): TreeRange[] {
    const { pieceStarts, pieceEnds, pieceUnits, included } = this.parts;
    const spans: [number, number][] = [];
    for (let k = 0; k < pieceUnits.length; k++) {
      if (!included[pieceUnits[k]]) continue;
      const last = spans.at(-1);
      if (last && last[1] === pieceStarts[k]) last[1] = pieceEnds[k];
      else spans.push([pieceStarts[k], pieceEnds[k]]);
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
    const { pieceUnits, included } = this.parts;
    for (let k = this.firstPieceIn(start); this.holdsSomeOf(k, start, end); k++) if (!included[pieceUnits[k]]) return true;
    return false;
  }

  /** Adds the parts that hold some of `spans` to the next parse; false when they were all in already. */
  includeText(spans: readonly (readonly [number, number])[]): boolean {
    let added = false;
    for (const [start, end] of spans) {
      for (let k = this.firstPieceIn(start); this.holdsSomeOf(k, start, end); k++) added = this.include(this.parts.pieceUnits[k]) || added;
    }
    if (added) this.parses++;
    return added;
  }

  /** The first of the pieces that hold some of `[start, ...)`: the first that ends after `start`. */
  private firstPieceIn(start: number): number {
    const { pieceEnds } = this.parts;
    let lo = 0;
    let hi = pieceEnds.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (pieceEnds[mid] <= start) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Whether piece `k`, at or after `firstPieceIn(start)`, holds some of `[start, end)` (the one at `start` for an empty span). */
  private holdsSomeOf(k: number, start: number, end: number): boolean {
    return k < this.parts.pieceStarts.length && this.parts.pieceStarts[k] < Math.max(end, start + 1);
  }

  private include(unit: number): boolean {
    const { included, needs, lengths } = this.parts;
    if (included[unit]) return false;
    included[unit] = 1;
    this.parts.includedLength += lengths[unit];
    if (needs[unit] >= 0) this.include(needs[unit]);
    return true;
  }
}

/**
 * What `PartialText.toParts` gives: its state before the first parse, in typed arrays, which a
 * message to another thread copies whole (the app shape's 57,440 pieces, warm: sent and read back
 * in 10 and 17 ms as objects, 5.5 and 1.2 ms so).
 */
export interface TextParts {
  /** The pieces: disjoint, in order, covering the text; each belongs to one unit. */
  pieceStarts: Int32Array;
  pieceEnds: Int32Array;
  pieceUnits: Int32Array;
  /** Per unit: the unit that must come with it (a member's type header), or -1. */
  needs: Int32Array;
  /** Per unit: 1 when it is in the next parse. */
  included: Uint8Array;
  /** Per unit: the length of its pieces. */
  lengths: Int32Array;
  includedLength: number;
}

/** A text's pieces and units as `PartialText.of` finds them, in text order. */
class Cut {
  private readonly starts: number[] = [];
  private readonly ends: number[] = [];
  private readonly units: number[] = [];
  private readonly needs: number[] = [];
  private readonly lengths: number[] = [];

  addUnit(length: number, needs: number): number {
    this.lengths.push(length);
    return this.needs.push(needs) - 1;
  }

  addPiece(start: number, end: number, unit: number): void {
    if (end <= start) return;
    this.starts.push(start);
    this.ends.push(end);
    this.units.push(unit);
  }

  parts(): TextParts {
    return {
      pieceStarts: Int32Array.from(this.starts),
      pieceEnds: Int32Array.from(this.ends),
      pieceUnits: Int32Array.from(this.units),
      needs: Int32Array.from(this.needs),
      included: new Uint8Array(this.needs.length),
      lengths: Int32Array.from(this.lengths),
      includedLength: 0,
    };
  }
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
