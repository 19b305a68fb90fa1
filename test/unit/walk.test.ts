/**
 * The workspace walk: the files it finds, in order, and the entries it skips with their reasons.
 * The scans read the files it finds (the reader applies the size limit); `--fix`'s
 * `auditedFiles` is the same walk with the size limit applied.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { auditedFiles, walkAuditedFiles, type ScanOptions, type SkippedFile } from '../../server/src/engine/scan';

async function both(options: ScanOptions) {
  const asyncSkips: SkippedFile[] = [];
  const asyncFiles = [];
  for await (const f of auditedFiles(options, (s) => asyncSkips.push(s))) asyncFiles.push(f);
  const syncSkips: SkippedFile[] = [];
  const syncFiles = walkAuditedFiles(options, (s) => syncSkips.push(s));
  return { asyncFiles, asyncSkips, syncFiles, syncSkips };
}

describe('workspace walk', () => {
  let root: string;

  before(() => {
    root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'pinning-audit-walk-')));
    const write = (relative: string, content = 'export const x = 1;\n') => {
      fs.mkdirSync(path.dirname(path.join(root, relative)), { recursive: true });
      fs.writeFileSync(path.join(root, relative), content);
    };
    for (const f of ['b/z.ts', 'b/a.dart', 'a/Ä.swift', 'a/B.ts', 'a/b.ts', 'a/types.d.ts', 'a/notes.md', 'c/d/e/f.mjs', '.hidden/x.cjs']) write(f);
    write('a/big.ts', '// big\n'.repeat(400));
    for (const f of ['node_modules/p/i.js', 'build/out.dart', 'a/Pods/P.swift', 'gen/api.ts', 'keep/gen/api.ts']) write(f);
    fs.symlinkSync(path.join(root, 'b'), path.join(root, 'a', 'link-to-b'));
    fs.symlinkSync(root, path.join(root, 'c', 'loop'));
    fs.symlinkSync(path.join(root, 'b', 'z.ts'), path.join(root, 'c', 'linked.ts'));
    fs.symlinkSync(path.join(root, 'missing.ts'), path.join(root, 'c', 'broken.ts'));
    if (spawnSync('mkfifo', [path.join(root, 'c', 'pipe.ts')]).status !== 0) write('c/pipe.ts');
  });

  after(() => {
    if (root) fs.rmSync(root, { recursive: true, force: true });
  });

  for (const [name, options] of [
    ['the whole folder', () => ({ root, exclude: ['gen/**'], maxFileSizeKb: 1 })],
    ['explicit files and folders', () => ({ root, paths: [path.join(root, 'c'), path.join(root, 'a', 'b.ts'), path.join(root, 'nowhere')], maxFileSizeKb: 1 })],
  ] as const) {
    it(`finds the same files and skips with and without the size limit, but for the files over it: ${name}`, async () => {
      const { asyncFiles, asyncSkips, syncFiles, syncSkips } = await both(options());
      const tooLarge = (s: SkippedFile) => s.reason.startsWith('larger than');
      // The size check moved to the reader: a too-large file is found, not skipped.
      const expectedFiles = asyncFiles.map((f) => f.path);
      for (const s of asyncSkips.filter(tooLarge)) expectedFiles.push(s.path);
      assert.deepEqual(syncFiles.map((f) => f.path).sort(), expectedFiles.sort());
      assert.deepEqual(syncFiles.filter((f) => !asyncSkips.some((s) => s.path === f.path)), asyncFiles.map(({ path: p, relativePath, grammar }) => ({ path: p, relativePath, grammar })), 'same order');
      assert.deepEqual(syncSkips, asyncSkips.filter((s) => !tooLarge(s)));
    });
  }

  it('finds the files in name order, through links, each folder once, and skips what it cannot read', async () => {
    const { asyncFiles, asyncSkips } = await both({ root, exclude: ['gen/**'], maxFileSizeKb: 1 });
    assert.deepEqual(asyncFiles.map((f) => f.relativePath), [
      '.hidden/x.cjs', 'a/B.ts', 'a/b.ts', 'a/link-to-b/a.dart', 'a/link-to-b/z.ts', 'a/Ä.swift', 'c/d/e/f.mjs', 'c/linked.ts', 'keep/gen/api.ts',
    ]);
    const fifo = fs.statSync(path.join(root, 'c', 'pipe.ts')).isFIFO();
    assert.deepEqual(asyncSkips.map((s) => `${path.relative(root, s.path)}: ${s.reason}`), [
      'a/big.ts: larger than 1 KB (3 KB)',
      'b: symbolic link loop (folder already scanned)',
      'c/broken.ts: no such file (deleted during the scan?)',
      'c/loop: symbolic link loop (folder already scanned)',
      ...(fifo ? ['c/pipe.ts: not a regular file (a named pipe)'] : []),
    ]);
  });

  it('notices loops, broken links and special files', () => {
    const skips: SkippedFile[] = [];
    walkAuditedFiles({ root }, (s) => skips.push(s));
    const reasons = skips.map((s) => `${path.relative(root, s.path)}: ${s.reason}`).join('\n');
    assert.match(reasons, /c\/loop: symbolic link loop/);
    assert.match(reasons, /c\/broken\.ts: no such file/);
    if (fs.statSync(path.join(root, 'c', 'pipe.ts')).isFIFO()) assert.match(reasons, /c\/pipe\.ts: not a regular file \(a named pipe\)/);
  });
});
