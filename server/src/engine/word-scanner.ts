import type { WordEnds } from './triggers';
import { compileWasm } from './wasm-stack';
import { WORD_SCAN_WASM } from './word-scan-module';

/**
 * Finds which of a set of words occur in UTF-8 bytes, ASCII letters in any case, with the SIMD
 * search of word-scan.wat (Teddy: fingerprints in buckets, checked word by word where they
 * match), the long runs of the bytes a pattern can match, and the set of their trigrams
 * (word-positions.ts `Trigrams`). This file chooses the fingerprints and the buckets and lays
 * them out in the module's memory as word-scan.wat describes; each scanner is an instance of the
 * module, with its memory.
 */

/** Bytes of a fingerprint (fewer for a shorter word: its other positions take any byte). */
const FINGERPRINT_LENGTH = 4;
/** A bucket is a bit of a byte (a byte is a lane of an SIMD register). */
const BUCKETS = 8;
/** Where word-scan.wat reads its tables. */
const BUCKET_TABLE = 128;
const WORD_TABLE = 208;
const WORD_ENTRY_BYTES = 16;
/** A block is read whole: at the text's end, up to 15 bytes past it. */
const BLOCK_BYTES = 16;
const PAGE_BYTES = 65536;
/** The size of a set of trigrams (word-positions.ts `Trigrams`), in bits: one per hash. */
export const TRIGRAM_SET_BITS = 1 << 16;

/** The shortest runs `longRuns` finds: a run of 31 bytes holds a whole block wherever it starts. */
export const SHORTEST_BLOCK_RUN = 2 * BLOCK_BYTES - 1;

/**
 * Characters frequent in source code, most frequent first (the letters in their order of
 * frequency in English): a fingerprint of rarer ones matches fewer positions to check. On the
 * app shape, 4.2 % of the blocks hold a position to check; 6.3 % with `._(` added here.
 */
const FREQUENT = ' etaoinsrlcdhupmgfy';

// The parts of the WebAssembly API used here (the project's `lib` has no WebAssembly types).
const wasmInstance = (globalThis as unknown as { WebAssembly: { Instance: new (module: object, imports: object) => { exports: unknown } } }).WebAssembly.Instance;

let compiled: object | undefined;

/**
 * The word search, compiled once per thread. Compiled before `--liftoff-only` is set
 * (engine/parser.ts): a module keeps the compiler tiers it was compiled under, and this loop
 * runs over every file a scan reads.
 */
export function wordScanModule(): object {
  return (compiled ??= compileWasm(Buffer.from(WORD_SCAN_WASM, 'base64')));
}

interface WordEntry {
  word: string;
  groups: number;
  /** How far before its fingerprint's last byte the word starts. */
  back: number;
}

interface Bucket {
  /** Per fingerprint position, the low and the high halves of the bytes it takes (bit k: half k). */
  lows: number[];
  highs: number[];
  words: WordEntry[];
}

/** What word-scan.wat exports. */
interface WordScanExports {
  memory: { buffer: ArrayBuffer; grow(pages: number): number };
  trigrams(text: number, length: number, set: number): void;
  scan(text: number, length: number, wanted: number, endsGroups: number, endsAt: number, endsCap: number): number;
  utf16_offsets(text: number, offsetsAt: number, count: number): void;
  runs(text: number, length: number, table: number, nonAscii: number, minRun: number, runsAt: number, runsCap: number): number;
  /** How many occurrences the last scan found (written or not). */
  ends: { value: number };
}

let forTrigrams: WordScanner | undefined;

/** `WordScanner.trigrams` of UTF-8 `bytes`, with a module of its own (its memory grows to the largest file). */
export function trigramSetOf(bytes: Uint8Array): Int32Array {
  forTrigrams ??= WordScanner.compile(new Map(), new Uint8Array(129));
  forTrigrams.load(bytes);
  return forTrigrams.trigrams();
}

export class WordScanner {
  private bytes: Uint8Array;
  private int32s: Int32Array;
  /** The length of the text `load` put in memory. */
  private length = 0;

  private constructor(
    private readonly search: WordScanExports,
    /** Where the tables of the runs' bytes are, and whether they take every byte from 128 (1) or none (0). */
    private readonly runTableAt: number,
    private readonly nonAscii: number,
    /** Where the text goes: past the tables. */
    private readonly textAt: number,
  ) {
    this.bytes = new Uint8Array(search.memory.buffer);
    this.int32s = new Int32Array(search.memory.buffer);
  }

  /**
   * `words`: lower-case printable ASCII, each with its groups (a bit mask); `runChars`: 1 for the
   * bytes the long runs are made of (the same for every byte from 128).
   */
  static compile(words: ReadonlyMap<string, number>, runChars: Uint8Array): WordScanner {
    const buckets = fillBuckets([...words].map(([word, groups]) => {
      const start = rarestWindow(word);
      const fingerprint = word.slice(start, start + FINGERPRINT_LENGTH);
      return { fingerprint, entry: { word, groups, back: start + fingerprint.length - 1 } };
    }));
    const entries = buckets.flatMap((bucket) => bucket.words);
    const wordBytesAt = WORD_TABLE + entries.length * WORD_ENTRY_BYTES;
    const tablesEnd = wordBytesAt + entries.reduce((n, e) => n + e.word.length, 0);
    const runTableAt = align(tablesEnd, BLOCK_BYTES);
    const instance = new wasmInstance(wordScanModule(), {});
    const scanner = new WordScanner(instance.exports as WordScanExports, runTableAt, runChars[128], runTableAt + 2 * BLOCK_BYTES);
    scanner.ensure(scanner.textAt + BLOCK_BYTES);
    scanner.writeTables(buckets, wordBytesAt);
    scanner.writeRunTables(runChars);
    return scanner;
  }

  /** Copies `source` into the module's memory: the text `groups` and `longRuns` then search. */
  load(source: Uint8Array): void {
    this.length = source.length;
    this.ensure(this.outputAt);
    this.bytes.set(source, this.textAt);
  }

  /**
   * The groups of the words in the text. Once it has found a group and every group of `wanted`,
   * it stops: `ends` (where the words of `ends.groups` end, in no order) is then not complete,
   * nor is it when there were more ends than room for them (half the text's length).
   */
  groups(wanted: number, ends: WordEnds | undefined): number {
    const endsAt = this.outputAt;
    const endsCap = ends ? (this.length >> 1) + 64 : 0;
    this.ensure(endsAt + endsCap * 8);
    const found = this.search.scan(this.textAt, this.length, wanted, ends?.groups ?? 0, endsAt, endsCap);
    if (ends) {
      const count = this.search.ends.value;
      for (let k = 0; k < Math.min(count, endsCap); k++) ends.at.push(this.int32s[(endsAt >> 2) + 2 * k + 1]);
      if (count > endsCap) ends.complete = false;
    }
    return found;
  }

  /**
   * Every occurrence of the words of `groups` in the text, as [start, end) pairs in ascending
   * order of their starts, in UTF-16 units of the text the bytes are (`utf16`: false when they are
   * all ASCII, and bytes are units); undefined when there were more than there was room for.
   */
  occurrences(groups: number, utf16: boolean): number[] | undefined {
    const at = this.outputAt;
    const cap = (this.length >> 1) + 64;
    this.ensure(at + cap * 8);
    // A `wanted` no scan can find (groups are bits 0-30): it reads the whole text.
    this.search.scan(this.textAt, this.length, -1, groups, at, cap);
    const count = this.search.ends.value;
    if (count > cap) return undefined;
    let offsets: number[] = new Array(2 * count);
    for (let k = 0, i = at >> 2; k < 2 * count; k++, i++) offsets[k] = this.int32s[i];
    // The scan finds each word as it reads on, so nearly always in order already; sorting pairs
    // with a comparator took most of the pin-set names' search on the app shape's files that name
    // `pin` or `hash` hundreds of times (bench/README.md, round 24).
    if (!ascendingPairs(offsets)) {
      const pairs = Array.from({ length: count }, (_, k): [number, number] => [offsets[2 * k], offsets[2 * k + 1]]);
      offsets = pairs.sort((a, b) => a[0] - b[0] || a[1] - b[1]).flat();
    }
    return utf16 ? this.utf16Offsets(offsets) : offsets;
  }

  /** `offsets` of the text in bytes, in UTF-16 units; pairs of [start, end) stay pairs. */
  utf16Offsets(offsets: readonly number[]): number[] {
    const at = this.outputAt;
    this.ensure(at + offsets.length * 4);
    const base = at >> 2;
    const units: number[] = new Array(offsets.length);
    // The conversion reads the text once, forwards: offsets out of order (overlapping pairs) go
    // through it sorted.
    const order = ascending(offsets) ? undefined : offsets.map((_, k) => k).sort((a, b) => offsets[a] - offsets[b]);
    for (let i = 0; i < offsets.length; i++) this.int32s[base + i] = offsets[order ? order[i] : i];
    this.search.utf16_offsets(this.textAt, at, offsets.length);
    for (let i = 0; i < offsets.length; i++) units[order ? order[i] : i] = this.int32s[base + i];
    return units;
  }

  /**
   * The maximal runs of at least `minRun` (`SHORTEST_BLOCK_RUN` or more) bytes of the text that
   * are all `runChars`, as [start, end) pairs.
   */
  longRuns(minRun: number): number[] {
    const runsAt = this.outputAt;
    // Each run and the byte after it take 32 bytes or more.
    const runsCap = (this.length >> 5) + 1;
    this.ensure(runsAt + runsCap * 8);
    const count = this.search.runs(this.textAt, this.length, this.runTableAt, this.nonAscii, minRun, runsAt, runsCap);
    // Copied in a loop: `Array.from` of a subarray, once per file searched (most have no run),
    // took 25-30 ms of an app-shape scan's main thread in CPU profiles; the loop, too little to show.
    const runs: number[] = new Array(2 * count);
    for (let k = 0, at = runsAt >> 2; k < runs.length; k++) runs[k] = this.int32s[at + k];
    return runs;
  }

  /** The set of the loaded text's trigrams that word-positions.ts's `Trigrams` reads (`TRIGRAM_SET_BITS` bits). */
  trigrams(): Int32Array {
    const setAt = this.outputAt;
    this.ensure(setAt + TRIGRAM_SET_BITS / 8);
    this.bytes.fill(0, setAt, setAt + TRIGRAM_SET_BITS / 8);
    this.search.trigrams(this.textAt, this.length, setAt);
    return this.int32s.slice(setAt >> 2, (setAt >> 2) + TRIGRAM_SET_BITS / 32);
  }

  /** Where the word ends or the runs are written: past the text and the block read past its end. */
  private get outputAt(): number {
    return align(this.textAt + this.length + BLOCK_BYTES, 4);
  }

  /** Grows the memory to at least `bytes`. */
  private ensure(bytes: number): void {
    const { memory } = this.search;
    if (bytes <= memory.buffer.byteLength) return;
    memory.grow(Math.ceil((bytes - memory.buffer.byteLength) / PAGE_BYTES));
    this.bytes = new Uint8Array(memory.buffer);
    this.int32s = new Int32Array(memory.buffer);
  }

  /** Byte l of the first table: bit h when 16h + l is a run's byte (h < 8); the second: 1 << h at h. */
  private writeRunTables(runChars: Uint8Array): void {
    for (let c = 0; c < 128; c++) if (runChars[c]) this.bytes[this.runTableAt + (c & 15)] |= 1 << (c >> 4);
    for (let h = 0; h < 8; h++) this.bytes[this.runTableAt + BLOCK_BYTES + h] = 1 << h;
  }

  private writeTables(buckets: Bucket[], wordBytesAt: number): void {
    let first = 0;
    let wordBytes = wordBytesAt;
    buckets.forEach((bucket, b) => {
      for (let p = 0; p < FINGERPRINT_LENGTH; p++) {
        for (let half = 0; half < 16; half++) {
          if (bucket.lows[p] & (1 << half)) this.bytes[32 * p + half] |= 1 << b;
          if (bucket.highs[p] & (1 << half)) this.bytes[32 * p + 16 + half] |= 1 << b;
        }
      }
      this.int32s.set([first, bucket.words.length], (BUCKET_TABLE >> 2) + 2 * b);
      for (const entry of bucket.words) {
        this.int32s.set([wordBytes, entry.word.length, entry.back, entry.groups], (WORD_TABLE + first * WORD_ENTRY_BYTES) >> 2);
        for (let i = 0; i < entry.word.length; i++) this.bytes[wordBytes + i] = entry.word.charCodeAt(i);
        wordBytes += entry.word.length;
        first++;
      }
    });
  }
}

/** Where in `word` its fingerprint starts: the window of the least frequent characters. */
function rarestWindow(word: string): number {
  const length = Math.min(FINGERPRINT_LENGTH, word.length);
  let best = 0;
  for (let start = 1; start + length <= word.length; start++) {
    if (frequency(word.slice(start, start + length)) < frequency(word.slice(best, best + length))) best = start;
  }
  return best;
}

/**
 * Spreads the fingerprints over the buckets, each where it widens its bucket's set of accepted
 * byte sequences least (the product of the halves each position takes): a bucket of `pin` and
 * `hash` also takes `hin` and `pash`, and each position it takes is checked. Shorter fingerprints
 * first (they take any byte at their first positions), then the more frequent ones. Measured on
 * the bench's app shape: 4.2 % of the 16-byte blocks hold a position to check, against 18 % with
 * the fingerprints dealt out in turn.
 */
function fillBuckets(words: { fingerprint: string; entry: WordEntry }[]): Bucket[] {
  const buckets: Bucket[] = Array.from({ length: BUCKETS }, () => ({ lows: Array(FINGERPRINT_LENGTH).fill(0), highs: Array(FINGERPRINT_LENGTH).fill(0), words: [] }));
  const fingerprints = [...new Set(words.map((w) => w.fingerprint))].sort(
    (a, b) => a.length - b.length || frequency(b) - frequency(a) || (a < b ? -1 : a > b ? 1 : 0),
  );
  for (const fingerprint of fingerprints) {
    const { lows, highs } = halves(fingerprint);
    let target = buckets[0];
    let least = Infinity;
    for (const bucket of buckets) {
      const before = bucket.words.length === 0 ? 0 : volume(bucket.lows, bucket.highs);
      const added = volume(bucket.lows.map((l, p) => l | lows[p]), bucket.highs.map((h, p) => h | highs[p])) - before;
      if (added < least) [target, least] = [bucket, added];
    }
    target.lows = target.lows.map((l, p) => l | lows[p]);
    target.highs = target.highs.map((h, p) => h | highs[p]);
    target.words.push(...words.filter((w) => w.fingerprint === fingerprint).map((w) => w.entry));
  }
  return buckets;
}

/** The halves of the bytes a fingerprint takes at each position, upper and lower case alike. */
function halves(fingerprint: string): { lows: number[]; highs: number[] } {
  const lows: number[] = [];
  const highs: number[] = [];
  const padding = FINGERPRINT_LENGTH - fingerprint.length;
  for (let p = 0; p < FINGERPRINT_LENGTH; p++) {
    if (p < padding) {
      lows.push(0xffff);
      highs.push(0xffff);
      continue;
    }
    const c = fingerprint.charCodeAt(p - padding);
    const cases = c >= 0x61 && c <= 0x7a ? [c, c - 0x20] : [c];
    lows.push(cases.reduce((m, x) => m | (1 << (x & 15)), 0));
    highs.push(cases.reduce((m, x) => m | (1 << (x >> 4)), 0));
  }
  return { lows, highs };
}

function volume(lows: number[], highs: number[]): number {
  return lows.reduce((v, l, p) => v * bitCount(l) * bitCount(highs[p]), 1);
}

/** How frequent `chars` are in source code: their ranks in `FREQUENT`, counted from its end, summed. */
function frequency(chars: string): number {
  let score = 0;
  for (const c of chars) {
    const rank = FREQUENT.indexOf(c);
    if (rank >= 0) score += FREQUENT.length - rank;
  }
  return score;
}

function bitCount(x: number): number {
  let n = 0;
  for (; x !== 0; x &= x - 1) n++;
  return n;
}

function align(offset: number, to: number): number {
  return Math.ceil(offset / to) * to;
}

/** Whether `values` never decrease. */
function ascending(values: readonly number[]): boolean {
  for (let k = 1; k < values.length; k++) if (values[k] < values[k - 1]) return false;
  return true;
}

/** Whether [start, end) `pairs` are in the order of their starts, and of their ends where those are equal. */
function ascendingPairs(pairs: readonly number[]): boolean {
  for (let k = 2; k < pairs.length; k += 2) {
    if (pairs[k] < pairs[k - 2] || (pairs[k] === pairs[k - 2] && pairs[k + 1] < pairs[k - 1])) return false;
  }
  return true;
}
