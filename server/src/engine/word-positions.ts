import { ownCopy } from '../facts/names';
import { TRIGRAM_SET_BITS } from './word-scanner';

/**
 * Where words occur in an editor buffer's text, kept up to date across its edits. After every
 * keystroke the library models look for the same few dozen words in the whole text (`URLSession`,
 * `customEvaluation`, `badCertificateCallback`…): 37 searches of a 220 KB Swift file, 2.5 ms of
 * an edit's 13 ms of rules (bench/README.md, round 14). Here a word is searched once; after an
 * edit its positions before the edit stay, those after it shift, and only the edited span and the
 * word's length on either side of it are searched again.
 */
export class WordPositions {
  private readonly positions = new Map<string, { starts: number[]; askedAtEdit: number }>();
  private edits = 0;
  /**
   * The text's trigrams, made at the first search: a scan's analyses ask for ~13 words per file,
   * 84 % of which the file does not hold (app shape: 4,563 searches, 3,831 finding nothing, 242 M
   * characters read by `indexOf`). A word with a trigram the text lacks is not searched for.
   */
  private trigrams: Trigrams | undefined;

  /** `trigrams`: the text's, when another thread has made them (`Trigrams.ofUtf8`). */
  constructor(private current: string, trigrams?: Trigrams) {
    this.trigrams = trigrams;
  }

  /** The text the positions are those of. */
  get text(): string {
    return this.current;
  }

  /** Every start of `word` (not empty) in the text, ascending: what `indexOf` from the end of each finds. */
  of(word: string): readonly number[] {
    if (word === '') throw new RangeError('an empty word occurs everywhere');
    const kept = this.positions.get(word);
    if (kept) {
      kept.askedAtEdit = this.edits;
      return kept.starts;
    }
    this.trigrams ??= Trigrams.of(this.current, 0, this.current.length);
    const starts = this.trigrams.mayHold(word) ? wordStarts(this.current, word) : [];
    // A word that can overlap itself (`aa`, `abab`) is left out: which of its occurrences
    // `indexOf` from each end finds depends on those before it, not only on the text around.
    // Some words are names read from the text (a constant's, a function's): copied, so that
    // the key does not keep this version of the text alive.
    if (!canOverlapItself(word)) this.positions.set(ownCopy(word), { starts, askedAtEdit: this.edits });
    return starts;
  }

  /** `text` is the old text with `[start, oldEnd)` replaced by what is now `[start, newEnd)`. */
  edit(text: string, start: number, oldEnd: number, newEnd: number): void {
    this.current = text;
    this.edits++;
    // Those of the new text and where it meets the old; the edit's old ones only make a search more likely.
    this.trigrams?.add(text, Math.max(0, start - 2), Math.min(text.length, newEnd + 2));
    const delta = newEnd - oldEnd;
    for (const [word, kept] of this.positions) {
      // A name the text no longer has, or a model no longer asks for: no longer kept up to date.
      if (this.edits - kept.askedAtEdit > STALE_AFTER_EDITS) {
        this.positions.delete(word);
        continue;
      }
      const old = kept.starts;
      const length = word.length;
      const updated: number[] = [];
      let i = 0;
      // Those wholly before the edit stay; those that overlapped it are gone.
      for (; i < old.length && old[i] + length <= start; i++) updated.push(old[i]);
      while (i < old.length && old[i] < oldEnd) i++;
      // Those that hold some of the new text, or span where it meets the old.
      updated.push(...startsOf(text, word, Math.max(0, start - length + 1), newEnd));
      for (; i < old.length; i++) updated.push(old[i] + delta);
      kept.starts = updated;
    }
  }
}

/**
 * Edits after which a word no analysis asked for is dropped. An analysis follows a burst of
 * changes (lsp/documents.ts `whenSettled`), and asks for the same words each time.
 */
const STALE_AFTER_EDITS = 16;

/** Every start of `word` (not empty) in `text`, as `indexOf` from the end of each finds them. */
export function wordStarts(text: string, word: string): number[] {
  return startsOf(text, word, 0, text.length);
}

/** The starts of `word` in `text` from `from`, up to (not including) `before`. */
function startsOf(text: string, word: string, from: number, before: number): number[] {
  // Searched in that span alone: past it `indexOf` would read on to the next occurrence, or to the end.
  const end = Math.min(text.length, before + word.length - 1);
  const span = from === 0 && end === text.length ? text : text.slice(from, end);
  const starts: number[] = [];
  for (let at = span.indexOf(word); at >= 0; at = span.indexOf(word, at + word.length)) starts.push(from + at);
  return starts;
}

/**
 * The sequences of three UTF-16 units a text holds, hashed into a 64 K-bit set: `mayHold(word)`
 * is false only when the text cannot hold the word (one of its trigrams does not occur). A set
 * made of more than the text (trigrams of an old version) only says "maybe" more often.
 */
export class Trigrams {
  private constructor(
    private readonly bits: Int32Array,
    /** Made of UTF-8 bytes: a non-ASCII unit's trigrams are not its bytes'. */
    private readonly ofBytes: boolean,
  ) {}

  /** The trigrams of `text[from, to)`. */
  static of(text: string, from: number, to: number): Trigrams {
    const trigrams = new Trigrams(new Int32Array(TRIGRAM_SET_BITS >> 5), false);
    trigrams.add(text, from, to);
    return trigrams;
  }

  /**
   * The set `WordScanner.trigrams` makes of a text's UTF-8 bytes (a scan's main thread makes it
   * as it reads the file, in half the time of `of` on the text). Its ASCII trigrams are the
   * text's; a word with a non-ASCII unit may be anywhere.
   */
  static ofUtf8(bits: Int32Array): Trigrams {
    return new Trigrams(bits, true);
  }

  /** Adds the trigrams of `text[from, to)`. */
  add(text: string, from: number, to: number): void {
    const { bits } = this;
    let window = 0;
    for (let i = from; i < to; i++) {
      window = ((window << 8) | (text.charCodeAt(i) & 0xff)) & 0xffffff;
      if (i - from < 2) continue;
      const h = trigramHash(window);
      bits[h >>> 5] |= 1 << (h & 31);
    }
  }

  /** False when some trigram of `word` is not in the set: then the text does not hold it. Words shorter than three units may be anywhere. */
  mayHold(word: string): boolean {
    let window = 0;
    for (let i = 0; i < word.length; i++) {
      const unit = word.charCodeAt(i);
      if (unit > 0x7f && this.ofBytes) return true;
      window = ((window << 8) | (unit & 0xff)) & 0xffffff;
      if (i < 2) continue;
      const h = trigramHash(window);
      if ((this.bits[h >>> 5] & (1 << (h & 31))) === 0) return false;
    }
    return true;
  }
}

/** A trigram (three units' low bytes) to one of `TRIGRAM_SET_BITS` bits: Fibonacci hashing, the top 16 bits. */
function trigramHash(window: number): number {
  return Math.imul(window, 0x9e3779b1) >>> 16;
}

/** Whether a proper prefix of `word` is also its suffix: then two occurrences can overlap. */
function canOverlapItself(word: string): boolean {
  for (let length = 1; length < word.length; length++) {
    if (word.startsWith(word.slice(word.length - length))) return true;
  }
  return false;
}
