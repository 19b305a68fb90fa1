import * as fs from 'node:fs';
import { OPEN_FLAGS } from '../engine/source-bytes';

/**
 * Files a scan's threads read for its main thread while they wait for files to parse. The main
 * thread reads every file and looks for trigger words, the threads parse the few that have some;
 * on the app shape they waited a fifth of the scan for them (bench/README.md, round 24), while
 * the main thread spent a quarter of its time opening, reading and closing files.
 *
 * Each file is read by whoever claims it first: a thread (`FREE` to `READING`, then `READ`) or
 * the main thread (`FREE` to `MINE`), which reads itself every file no thread has claimed when it
 * gets there. A thread reads only the `WINDOW` files after the one the main thread is at, each
 * into its slot of a shared ring, and never the file the main thread is using its slot for. A
 * file it cannot read whole into its slot (larger, unreadable, gone) is left to the main thread,
 * which reads it again as it always did and says why it is skipped.
 */

const FREE = 0;
const READING = 1;
const READ = 2;
const MINE = 3;

/** Files a thread reads ahead of the main thread at most: the ring's slots. */
const WINDOW = 64;
/** A slot's bytes: larger files (2 % of the app shape's, 0.1 % of mono's) are read by the main thread. */
const SLOT_BYTES = 64 * 1024;
/** The length of a file a thread left to the main thread. */
const NOT_READ = -1;
/**
 * How long the main thread waits for a thread that has claimed a file (a read of at most 64 KB)
 * before it reads the rest of the files itself: a thread stopped in the middle of a read would
 * otherwise leave it waiting for good.
 */
const READ_TIMEOUT_MS = 2000;

/**
 * What the main thread shares with the threads that read for it. `words`, as 32-bit integers:
 * each file's state, then each file's length, then the index of the file the main thread is at,
 * then the index at which it is to wake the threads waiting for it to move on (0 for none).
 */
export interface SharedReads {
  paths: string[];
  words: SharedArrayBuffer;
  ring: SharedArrayBuffer;
  /** Bytes a file may have (`readSourceFile`'s limit): a longer one is left to the main thread. */
  maxBytes: number;
}

/** The shared words and slots, as each side reads them. */
class SharedView {
  protected readonly words: Int32Array;
  protected readonly slots: Buffer[];
  protected readonly count: number;
  /** Indices into `words`. */
  protected readonly position: number;
  protected readonly wakeAt: number;

  constructor(readonly shared: SharedReads) {
    this.count = shared.paths.length;
    this.words = new Int32Array(shared.words);
    this.slots = Array.from({ length: WINDOW }, (_, s) => Buffer.from(shared.ring, s * SLOT_BYTES, SLOT_BYTES));
    this.position = 2 * this.count;
    this.wakeAt = this.position + 1;
  }
}

/** The main thread's side: each file's bytes when a thread has read them. */
export class ReadAhead extends SharedView {
  /** Files whose bytes a thread read (`NODE_DEBUG=pinning-audit`). */
  readByThreads = 0;
  private abandoned = false;

  constructor(paths: string[], maxBytes: number, private readonly timeoutMs = READ_TIMEOUT_MS) {
    super({ paths, words: new SharedArrayBuffer(4 * (2 * paths.length + 2)), ring: new SharedArrayBuffer(WINDOW * SLOT_BYTES), maxBytes });
  }

  /**
   * The bytes of file `index` when a thread has read them (good until the next `take`), or
   * undefined: then the caller reads it. Files are taken in order, each once: taking one says
   * the main thread is done with the ones before, and their slots are free.
   */
  take(index: number): Buffer | undefined {
    if (this.abandoned) return undefined;
    const words = this.words;
    Atomics.store(words, this.position, index);
    const wakeAt = Atomics.load(words, this.wakeAt);
    if (wakeAt > 0 && index >= wakeAt) {
      Atomics.store(words, this.wakeAt, 0);
      Atomics.notify(words, this.position);
    }
    const state = Atomics.compareExchange(words, index, FREE, MINE);
    if (state === FREE) return undefined;
    if (state === READING && Atomics.wait(words, index, READING, this.timeoutMs) === 'timed-out') {
      // Whatever that thread writes from here on, into any slot, is never read.
      this.abandoned = true;
      Atomics.store(words, this.position, this.count);
      Atomics.notify(words, this.position);
      return undefined;
    }
    const length = words[this.count + index];
    if (length === NOT_READ) return undefined;
    this.readByThreads++;
    return this.slots[index % WINDOW].subarray(0, length);
  }
}

/** A thread's side: reads the files ahead of the main thread, a few at a time, while the thread has nothing to parse. */
export class ReadAheadReader extends SharedView {
  /** The next file this thread has not looked at. */
  private next = 0;

  /**
   * Reads up to `most` files ahead of the main thread: 'more' when there may be more to read at
   * once, 'wait' when the window is full (`moved` resolves when the main thread has moved on),
   * 'done' when every file is claimed.
   */
  read(most: number): 'more' | 'wait' | 'done' {
    const words = this.words;
    const position = Atomics.load(words, this.position);
    const end = Math.min(this.count, position + WINDOW);
    let index = Math.max(this.next, position + 1);
    for (let read = 0; index < end && read < most; index++) {
      if (Atomics.compareExchange(words, index, FREE, READING) !== FREE) continue;
      words[this.count + index] = readInto(this.shared.paths[index], this.slots[index % WINDOW], this.shared.maxBytes);
      Atomics.store(words, index, READ);
      Atomics.notify(words, index);
      read++;
    }
    this.next = index;
    if (index >= this.count) return 'done';
    return index < end ? 'more' : 'wait';
  }

  /**
   * Resolves when the main thread has moved half a window on from where it is (woken at each
   * file, a thread would take a message per file it reads).
   */
  moved(): Promise<unknown> {
    const seen = Atomics.load(this.words, this.position);
    // No later than at the last file: a thread still waiting then would wait for good.
    Atomics.store(this.words, this.wakeAt, Math.min(seen + WINDOW / 2, this.count - 1));
    const waiting = Atomics.waitAsync(this.words, this.position, seen);
    return waiting.async ? waiting.value : Promise.resolve();
  }
}

/** The file's length, read whole into `slot` (as `readSourceFile` reads it), or `NOT_READ`. */
function readInto(filePath: string, slot: Buffer, maxBytes: number): number {
  let fd: number | undefined;
  try {
    fd = fs.openSync(filePath, OPEN_FLAGS);
    const asked = Math.min(slot.length, maxBytes + 1);
    // Fewer bytes than asked for: the end of the file (`readUpTo`).
    const read = fs.readSync(fd, slot, 0, asked, null);
    return read < asked ? read : NOT_READ;
  } catch {
    return NOT_READ;
  } finally {
    try {
      if (fd !== undefined) fs.closeSync(fd);
    } catch {
      // A failed close takes nothing from the bytes read.
    }
  }
}
