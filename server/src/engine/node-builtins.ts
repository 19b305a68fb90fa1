import type * as Crypto from 'node:crypto';
import type * as Os from 'node:os';
import type * as Url from 'node:url';
import type * as WorkerThreads from 'node:worker_threads';

/**
 * Node built-ins the CLI needs only on some paths (a cache, SARIF, threads), loaded there: each
 * is compiled when first required (node:crypto alone takes ~6 ms), and a scan of an empty or
 * small folder, all of 150 ms, uses none of them.
 */
export const crypto = (): typeof Crypto => require('node:crypto') as typeof Crypto;
export const os = (): typeof Os => require('node:os') as typeof Os;
export const url = (): typeof Url => require('node:url') as typeof Url;
export const workerThreads = (): typeof WorkerThreads => require('node:worker_threads') as typeof WorkerThreads;
