import { ownCopy } from '../facts/names';

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

  constructor(private current: string) {}

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
    const starts = wordStarts(this.current, word);
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

/** Whether a proper prefix of `word` is also its suffix: then two occurrences can overlap. */
function canOverlapItself(word: string): boolean {
  for (let length = 1; length < word.length; length++) {
    if (word.startsWith(word.slice(word.length - length))) return true;
  }
  return false;
}
