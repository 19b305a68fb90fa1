import { mock } from 'node:test';

/**
 * `setTimeout` on a clock the test moves (Node's MockTimers): fetchChain's timeout and close
 * grace fire when the test says so, and a busy machine cannot make them early or late. Sockets
 * keep real time (Node's network code uses its own timers), and so does mocha (it keeps the
 * real setTimeout from its start).
 */
export interface FakeTimers {
  tick(ms: number): void;
  restore(): void;
}

/** The real setTimeout, kept before any test fakes it. */
const realSetTimeout = globalThis.setTimeout;

/** Waits `ms` of real time, faked timers or not. */
export function realDelay(ms: number): Promise<void> {
  return new Promise((resolve) => realSetTimeout(resolve, ms));
}

export function fakeTimers(): FakeTimers {
  mock.timers.enable({ apis: ['setTimeout'] });
  return { tick: (ms) => mock.timers.tick(ms), restore: () => mock.timers.reset() };
}

/** Waits, a turn of the event loop at a time (setImmediate, which stays real), until `done()`. */
export async function until(done: () => boolean): Promise<void> {
  while (!done()) await turn();
}

/** One turn of the event loop: pending I/O callbacks and promise reactions run. */
export function turn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** The state of a promise, readable without awaiting it. */
export function watch<T>(promise: Promise<T>): { state: () => 'pending' | 'resolved' | 'rejected' } {
  let state: 'pending' | 'resolved' | 'rejected' = 'pending';
  promise.then(
    () => (state = 'resolved'),
    () => (state = 'rejected'),
  );
  return { state: () => state };
}
