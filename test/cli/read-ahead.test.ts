/**
 * The files a scan's threads read for its main thread while they wait (read-ahead.ts): each file
 * read once, by whoever claims it first, and the main thread given exactly the file's bytes or
 * nothing (then it reads the file itself, as before).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { ReadAhead, ReadAheadReader } from '../../server/src/cli/read-ahead';
import * as fc from 'fast-check';

describe('files read ahead of the scan\'s main thread', function () {
  this.timeout(60_000);
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pinning-audit-read-ahead-'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  const write = (name: string, content: string | Buffer) => {
    const p = path.join(dir, name);
    fs.writeFileSync(p, content);
    return p;
  };

  it('gives the main thread what a reader read, and leaves it the files a slot cannot hold', () => {
    const paths = Array.from({ length: 100 }, (_, i) => write(`f${i}.ts`, `const f${i} = ${i};\n`));
    paths[5] = write('slot-size.ts', 'x'.repeat(64 * 1024));
    paths[6] = path.join(dir, 'missing.ts');
    paths[7] = dir;
    paths[8] = write('larger.ts', 'y'.repeat(100 * 1024));
    const main = new ReadAhead(paths, 1024 * 1024);
    const reader = new ReadAheadReader(main.shared);
    assert.equal(main.take(0), undefined, 'no reader had started: the main thread reads it');
    // The next 63 files after the main thread's, no further: their slots are free.
    assert.equal(reader.read(1000), 'wait');
    for (let i = 1; i < 64; i++) {
      const bytes = main.take(i);
      if (i >= 5 && i <= 8) assert.equal(bytes, undefined, `file ${i} is left to the main thread`);
      else assert.equal(bytes?.toString(), `const f${i} = ${i};\n`);
    }
    // The main thread is at 63: the reader may read up to 126, and 100 files there are.
    assert.equal(main.take(64), undefined, 'not read yet');
    assert.equal(reader.read(10), 'more');
    assert.equal(reader.read(1000), 'done');
    for (let i = 65; i < 100; i++) assert.equal(main.take(i)?.toString(), `const f${i} = ${i};\n`);
    assert.equal(main.readByThreads, 59 + 35);
  });

  it('leaves the main thread a file over the size limit, and reads one at the limit', () => {
    const paths = [write('first.ts', ''), write('at-limit.ts', 'a'.repeat(1024)), write('over-limit.ts', 'b'.repeat(1025))];
    const main = new ReadAhead(paths, 1024);
    assert.equal(main.take(0), undefined);
    assert.equal(new ReadAheadReader(main.shared).read(1000), 'done');
    assert.equal(main.take(1)?.length, 1024);
    assert.equal(main.take(2), undefined);
  });

  it('never reads a file the main thread has claimed', () => {
    const paths = Array.from({ length: 10 }, (_, i) => write(`c${i}.ts`, `let c${i};\n`));
    const main = new ReadAhead(paths, 1024);
    const reader = new ReadAheadReader(main.shared);
    for (let i = 0; i < 10; i++) assert.equal(main.take(i), undefined);
    assert.equal(reader.read(1000), 'done');
    assert.equal(main.readByThreads, 0);
  });

  it('reads every file itself from where a reader stopped in the middle of a read', () => {
    const paths = Array.from({ length: 10 }, (_, i) => write(`s${i}.ts`, `let s${i};\n`));
    const main = new ReadAhead(paths, 1024, 50);
    // A reader that claimed file 2 and never finished (a thread stopped).
    new Int32Array(main.shared.words)[2] = 1;
    const reader = new ReadAheadReader(main.shared);
    assert.equal(main.take(0), undefined);
    assert.equal(main.take(1), undefined);
    assert.equal(main.take(2), undefined, 'given up on after the time limit');
    assert.equal(reader.read(1000), 'done', 'the readers stop');
    for (let i = 3; i < 10; i++) assert.equal(main.take(i), undefined);
  });

  it('gives the main thread each file\'s exact bytes with a reader on a thread of its own', async () => {
    // Most files small, one in five about a slot's size (64 KB), some of them larger.
    const size = fc.oneof({ arbitrary: fc.nat(3000), weight: 4 }, { arbitrary: fc.integer({ min: 60 * 1024, max: 70 * 1024 }), weight: 1 });
    const contents = fc.sample(size, { seed: 18, numRuns: 400 }).map((n, i) => Buffer.alloc(n, `file ${i} `));
    const paths = contents.map((content, i) => write(`t${i}.dart`, content));
    const main = new ReadAhead(paths, 1024 * 1024);
    const module = JSON.stringify(require.resolve('../../server/src/cli/read-ahead'));
    // As a scan thread reads (scan-worker.ts): a few files at a time, then a look at its messages
    // (listened for, as the scan thread listens for batches: the thread waits for the main one
    // with nothing else to keep it alive).
    const worker = new Worker(
      `const { ReadAheadReader } = require(${module});
       const { parentPort, workerData } = require('node:worker_threads');
       parentPort.on('message', () => {});
       const reader = new ReadAheadReader(workerData);
       const step = () => { const next = reader.read(16); if (next === 'more') setImmediate(step); else if (next === 'wait') reader.moved().then(step); else parentPort.postMessage('done'); };
       parentPort.postMessage('started');
       step();`,
      { eval: true, workerData: main.shared },
    );
    try {
      const messages: string[] = [];
      const done = new Promise<void>((resolve, reject) => {
        worker.on('message', (m: string) => (messages.push(m), m === 'done' && resolve()));
        worker.on('error', reject);
      });
      await new Promise((resolve) => worker.once('message', resolve));
      for (let i = 0; i < paths.length; i++) {
        const bytes = main.take(i) ?? fs.readFileSync(paths[i]);
        assert.ok(bytes.equals(contents[i]), `file ${i}`);
        // Time for the reader to get ahead (a scan's main thread searches each file it takes).
        if (i % 4 === 0) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1);
      }
      await done;
      assert.ok(main.readByThreads > 0, 'the reader read some');
    } finally {
      await worker.terminate();
    }
  });
});
