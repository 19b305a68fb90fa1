/**
 * The one reader of files for a scan, the CLI's and the language server's: what it reads, and
 * how it tells why it did not.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
// The module object itself (not a namespace copy), to count the reader's calls.
import nodeFs = require('node:fs');
import { decoder, ReadBuffer, readSourceFile, type SourceBytes } from '../../server/src/engine/source-bytes';

describe('source file reader', () => {
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pinning-audit-read-'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  const file = (name: string, content: string | Buffer) => {
    const p = path.join(dir, name);
    fs.writeFileSync(p, content);
    return p;
  };

  it('gives the bytes, and the text without its byte-order mark', () => {
    const read = readSourceFile(file('bom.ts', '\ufeffconst é = 1;\n'), 1024);
    assert.ok(!('reason' in read));
    assert.equal(read.bom, 3);
    assert.equal(decoder(read)(), 'const é = 1;\n');
  });

  it('says why it did not read a file: too large, binary, gone', () => {
    assert.deepEqual(readSourceFile(file('big.ts', 'x'.repeat(2048)), 1024), { audited: false, reason: 'larger than 1 KB (2 KB)' });
    assert.deepEqual(readSourceFile(file('logo.dart', Buffer.from([0x89, 0x50, 0x00, 0x41])), 1024), { audited: false, reason: 'binary file (contains NUL bytes)' });
    assert.deepEqual(readSourceFile(path.join(dir, 'missing.ts'), 1024), { audited: false, reason: 'deleted during the scan', gone: true });
  });

  it('reads file after file into one buffer, growing it for a larger file', () => {
    const into = new ReadBuffer();
    const read = (name: string, content: string) => {
      const source = readSourceFile(file(name, content), 1024 * 1024, into);
      assert.ok(!('reason' in source));
      return source;
    };
    const first = read('first.ts', 'const first = 1;\n');
    const kept = decoder(first)();
    assert.equal(decoder(read('second.ts', 'let second;\n'))(), 'let second;\n');
    // The first file's bytes were read over; its text, decoded before, was not.
    assert.notEqual(Buffer.from(first.bytes).toString(), 'const first = 1;\n');
    assert.equal(kept, 'const first = 1;\n');
    const large = `const third = '${'x'.repeat(200 * 1024)}';\n`;
    assert.equal(decoder(read('third.ts', large))(), large);
  });

  it('reads without an fstat when no stamp is asked for, up to the size limit', () => {
    const fstats: number[] = [];
    const fstatSync = nodeFs.fstatSync;
    (nodeFs as { fstatSync: unknown }).fstatSync = (fd: number) => (fstats.push(fd), fstatSync(fd));
    try {
      const into = new ReadBuffer();
      const unstamped = (name: string, content: string, limit = 1024 * 1024) => readSourceFile(file(name, content), limit, into, false);
      const small = unstamped('small.ts', 'const small = 1;\n');
      assert.ok(!('reason' in small));
      assert.equal(small.stamp, undefined);
      assert.equal(decoder(small)(), 'const small = 1;\n');
      // Larger than the buffer (64 KB at first): it grows, and keeps what was read before.
      const large = `const large = '${'y'.repeat(300 * 1024)}';\n`;
      assert.equal(decoder(unstamped('large.ts', large) as SourceBytes)(), large);
      assert.equal(fstats.length, 0);
      // Over the limit: the read stops past it, and only then asks the size, for the reason.
      assert.deepEqual(unstamped('over.ts', 'x'.repeat(300 * 1024), 100 * 1024), { audited: false, reason: 'larger than 100 KB (300 KB)' });
      assert.equal((unstamped('exact.ts', 'x'.repeat(1024), 1024) as SourceBytes).bytes.length, 1024);
      assert.equal(fstats.length, 1);
      // A stamp asked for: one fstat, and the stamp.
      const stamped = readSourceFile(file('stamped.ts', 'let s;\n'), 1024, into);
      assert.ok(!('reason' in stamped) && stamped.stamp?.size === 7);
      assert.equal(fstats.length, 2);
    } finally {
      nodeFs.fstatSync = fstatSync;
    }
  });

  it('reads a file without a stamp in one read when it ends before the buffer does', () => {
    const reads: number[] = [];
    const readSync = nodeFs.readSync;
    (nodeFs as { readSync: unknown }).readSync = (...args: Parameters<typeof readSync>) => {
      const read = readSync(...args);
      reads.push(read);
      return read;
    };
    try {
      const unstamped = (name: string, content: string) => {
        reads.length = 0;
        const source = readSourceFile(file(name, content), 1024 * 1024, new ReadBuffer(), false);
        assert.equal(decoder(source as SourceBytes)(), content);
        return [...reads];
      };
      assert.deepEqual(unstamped('short.ts', 'let short;\n'), [11]);
      assert.deepEqual(unstamped('empty.ts', ''), [0]);
      // Exactly the buffer's 64 KB: only a read that returns nothing tells that it ended.
      assert.deepEqual(unstamped('buffer-size.ts', 'z'.repeat(64 * 1024)), [64 * 1024, 0]);
      // Larger: the buffer doubles, keeping what was read, and the read goes on to a short read.
      assert.deepEqual(unstamped('larger.ts', 'w'.repeat(100 * 1024)), [64 * 1024, 36 * 1024]);
    } finally {
      nodeFs.readSync = readSync;
    }
  });

  it('does not wait on a named pipe: it is not a regular file', function () {
    const pipe = path.join(dir, 'pipe.dart');
    if (spawnSync('mkfifo', [pipe]).status !== 0) this.skip();
    // Opened for reading the usual way, a pipe with no writer blocks the thread for good: read in
    // a child process, so that a regression fails on a time limit instead of hanging the suite.
    const script = `process.stdout.write(JSON.stringify(require(${JSON.stringify(require.resolve('../../server/src/engine/source-bytes'))}).readSourceFile(${JSON.stringify(pipe)}, 1024)))`;
    const child = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 10_000 });
    assert.equal(child.error, undefined, 'the read returned');
    assert.deepEqual(JSON.parse(child.stdout), { audited: false, reason: 'not a regular file (a named pipe)' });
  });
});
