/**
 * The CLI scan spreads files over worker threads; the report must not depend on it: the same
 * findings, counts and skips on one thread and on several, in process and through the bundle.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { scanWorkspace, type ScanReport } from '../../server/src/cli/scan';
import { Engine } from '../../server/src/engine/analyze';
import { ScanWorkerPool } from '../../server/src/cli/scan-workers';
import type { ReadFile } from '../../server/src/cli/audit-file';
import { familyOf } from '../../server/src/engine/languages';
import { pinSetNames } from '../../server/src/facts/pin-set-evidence';
import { CLI_BIN, REPO_ROOT, runBuiltCli } from './workspace';

/** Every rule fixture and the examples, three times over (enough files for several threads), plus files every path must skip alike. */
function createMixedWorkspace(): string {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'pinning-audit-workers-')));
  for (const copy of ['one', 'two', 'three']) {
    fs.cpSync(path.join(REPO_ROOT, 'test', 'fixtures'), path.join(root, copy, 'fixtures'), { recursive: true });
    fs.cpSync(path.join(REPO_ROOT, 'examples'), path.join(root, copy, 'examples'), { recursive: true });
  }
  const write = (relative: string, content: string | Buffer) => {
    fs.mkdirSync(path.dirname(path.join(root, relative)), { recursive: true });
    fs.writeFileSync(path.join(root, relative), content);
  };
  const insecure = "import * as https from 'node:https';\nexport const agent = new https.Agent({ rejectUnauthorized: false });\n";
  write('edge/bom.ts', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(insecure)]));
  write('edge/no-bom.ts', insecure);
  write('edge/suppressed.ts', insecure.replace('export const', '// pinning-audit-ignore-next-line trust-all-certificates -- local proxy\nexport const'));
  write('edge/binary.ts', Buffer.from([0x63, 0x6f, 0x6e, 0x73, 0x74, 0x00, 0x01]));
  // A NUL after the first 8 K characters: not binary, and audited.
  write('edge/late-nul.js', `${'// filler\n'.repeat(1000)}${insecure.replace('import * as https from', 'const https = require(').replace(" 'node:https';", "'node:https');")}\u0000\n`);
  write('edge/large.ts', `${insecure}${'// padding\n'.repeat(2000)}`);
  write('edge/non-ascii-before-pin.swift', 'let café = "é"\nlet pins: [String] = ["sha256/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="]\n');
  write('node_modules/dep/index.js', "const https = require('https');\nnew https.Agent({ rejectUnauthorized: false });\n");
  write('generated/api.ts', insecure);
  fs.symlinkSync(path.join(root, 'one'), path.join(root, 'one', 'loop'));
  return root;
}

function comparable(report: ScanReport) {
  return { files: report.files, findings: report.findings, skipped: report.skipped };
}

describe('CLI scan on worker threads', function () {
  this.timeout(120_000);
  let root: string;
  const options = () => ({ root, exclude: ['generated/**'], maxFileSizeKb: 16 });

  before(() => {
    root = createMixedWorkspace();
  });

  after(() => {
    if (root) fs.rmSync(root, { recursive: true, force: true });
  });

  it('reports the same on one thread and on two or three', async () => {
    const single = await scanWorkspace({ ...options(), jobs: 1 });
    assert.equal(single.threads, 1);
    assert.ok(single.files > 100, `${single.files} files`);
    assert.ok(single.findings.length > 50, `${single.findings.length} findings`);
    assert.ok(single.findings.some((f) => f.suppressed), 'suppressed findings are part of the comparison');
    const reasons = single.skipped.map((s) => s.reason).join('\n');
    for (const reason of [/binary file/, /larger than 16 KB/, /symbolic link loop/]) assert.match(reasons, reason);
    const rangesOf = (file: string) => single.findings.filter((f) => f.relativePath === file).map((f) => f.range);
    assert.equal(rangesOf('edge/bom.ts').length, 1);
    assert.deepEqual(rangesOf('edge/bom.ts'), rangesOf('edge/no-bom.ts'), 'a byte-order mark is not part of the text');
    assert.ok(single.findings.some((f) => f.relativePath === 'edge/late-nul.js'), 'a late NUL does not make a file binary');
    assert.ok(!single.findings.some((f) => f.relativePath.includes('node_modules') || f.relativePath.startsWith('generated/')));

    for (const jobs of [2, 3]) {
      const spread = await scanWorkspace({ ...options(), jobs });
      assert.equal(spread.threads, jobs, `${jobs} threads audited`);
      assert.deepEqual(comparable(spread), comparable(single), `${jobs} threads`);
    }
  });

  it('reports the same with explicit files and folders, each file once', async () => {
    const paths = [path.join(root, 'two'), path.join(root, 'two', 'examples'), path.join(root, 'edge', 'bom.ts'), path.join(root, 'README.md')];
    fs.writeFileSync(path.join(root, 'README.md'), '# not audited\n');
    const single = await scanWorkspace({ ...options(), paths, jobs: 1 });
    const spread = await scanWorkspace({ ...options(), paths, jobs: 2 });
    assert.equal(spread.threads, 2);
    assert.deepEqual(comparable(spread), comparable(single));
    assert.ok(single.skipped.some((s) => s.path.endsWith('README.md')));
    assert.equal(new Set(single.findings.map((f) => `${f.path}:${f.range.start.line}:${f.range.start.character}:${f.ruleId}`)).size, single.findings.length);
  });

  // The main thread reads, sorts and cuts the files to parse into parts; it parses nothing when
  // it has scan threads (an engine of its own cost an app-shape scan 0.4 s of CPU for nothing).
  async function onThisThread(scan: () => Promise<ScanReport>): Promise<{ report: ScanReport; engines: number; handedOut: ReadFile[] }> {
    const create = Engine.create;
    const audit = ScanWorkerPool.prototype.audit;
    let engines = 0;
    const handedOut: ReadFile[] = [];
    Engine.create = (...args) => {
      engines++;
      return create.apply(Engine, args);
    };
    ScanWorkerPool.prototype.audit = function (items) {
      handedOut.push(...items);
      return audit.call(this, items);
    };
    try {
      return { report: await scan(), engines, handedOut };
    } finally {
      Engine.create = create;
      ScanWorkerPool.prototype.audit = audit;
    }
  }

  it('parses nothing on the main thread, and hands the scan threads files cut into parts', async () => {
    const small = await onThisThread(() => scanWorkspace({ ...options(), jobs: 2 }));
    assert.equal(small.report.threads, 2);
    assert.equal(small.engines, 0, 'no engine on the main thread for the fixtures');

    const large = largeWorkspace();
    try {
      const single = await scanWorkspace({ root: large, jobs: 1 });
      const spread = await onThisThread(() => scanWorkspace({ root: large, jobs: 2 }));
      assert.equal(spread.engines, 0, 'the main thread parses nothing');
      assert.deepEqual(comparable(spread.report), comparable(single));
      assert.equal(single.findings.filter((f) => f.relativePath.startsWith('zz/')).length, 24);
      const agents = spread.handedOut.filter((item) => item.file.relativePath.startsWith('zz/'));
      assert.equal(agents.length, 24);
      for (const { file, text, parts } of agents) {
        assert.ok(parts, `${file.relativePath} was cut`);
        assert.ok(parts.includedLength < text.length / 10, `${file.relativePath}: the padding is left out (${parts.includedLength} of ${text.length})`);
      }
    } finally {
      fs.rmSync(large, { recursive: true, force: true });
    }
  });

  it('hands the scan threads the pin-set names the main thread found, as a search of the text finds them', async () => {
    const { handedOut } = await onThisThread(() => scanWorkspace({ ...options(), jobs: 2 }));
    const withNames = handedOut.filter((item) => item.pinSetNames);
    // The files confirmed by a pin-set name (no pin-like literal, no library's word) at least.
    assert.ok(withNames.length >= 30, `${withNames.length} files handed out with their names`);
    for (const { file, text, pinSetNames: sent } of withNames) {
      pinSetNames('', familyOf(file.grammar)); // the next call searches anew
      assert.deepEqual(sent, pinSetNames(text, familyOf(file.grammar)), file.relativePath);
    }
  });

  /** 2.2 MB of files to parse (many batches), each an accept-all agent on top of a long tail of padding. */
  function largeWorkspace(): string {
    const large = fs.mkdtempSync(path.join(os.tmpdir(), 'pinning-audit-workers-large-'));
    fs.cpSync(path.join(root, 'one'), path.join(large, 'a'), { recursive: true, filter: (from) => !from.endsWith('loop') });
    const padding = 'export function note() {\n  return "padding";\n}\n'.repeat(2000);
    fs.mkdirSync(path.join(large, 'zz'));
    for (let i = 0; i < 24; i++) {
      fs.writeFileSync(path.join(large, 'zz', `agent-${String(i).padStart(2, '0')}.ts`), `import * as https from 'node:https';\nexport const agent${i} = new https.Agent({ rejectUnauthorized: false });\n${padding}`);
    }
    return large;
  }

  it('fails with the reason when its threads stop between two batches', async () => {
    const large = largeWorkspace();
    const { audit, hasRoom } = ScanWorkerPool.prototype;
    // One batch at a time, and the threads stop once the first is back: files are left to hand
    // out, and none is in flight to report the stop.
    let inFlight = 0;
    let stopped = false;
    ScanWorkerPool.prototype.hasRoom = function () {
      return !stopped && inFlight === 0 && hasRoom.call(this);
    };
    ScanWorkerPool.prototype.audit = function (items) {
      inFlight++;
      return audit.call(this, items).then(async (outcomes) => {
        inFlight--;
        stopped = true;
        await this.close();
        return outcomes;
      });
    };
    try {
      await assert.rejects(scanWorkspace({ root: large, jobs: 2 }), /the scan threads were closed/);
    } finally {
      Object.assign(ScanWorkerPool.prototype, { audit, hasRoom });
      fs.rmSync(large, { recursive: true, force: true });
    }
  });

  it('rejects the batches in flight when its threads stop, and takes no more', async () => {
    const pool = new ScanWorkerPool(1, { rules: {}, maxBytes: 1024 * 1024 });
    const item = {
      file: { path: path.join(root, 'x.ts'), relativePath: 'x.ts', grammar: 'typescript' as const },
      text: "import * as https from 'node:https';\nnew https.Agent({ rejectUnauthorized: false });\n",
      triggered: { rules: ['trust-all-certificates'], pinSets: false },
    };
    const done = await pool.audit([item]);
    assert.equal(done.length, 1);
    assert.ok(done[0].audited && done[0].findings.some((f) => f.ruleId === 'trust-all-certificates'));
    assert.ok(pool.hasRoom());
    const inFlight = assert.rejects(pool.audit([item]), /closed/);
    await pool.close();
    await inFlight;
    assert.equal(pool.hasRoom(), false);
    await assert.rejects(pool.audit([item]), /closed/);
  });

  it('prints the same JSON from the built CLI with --jobs 1 and by default', function () {
    assert.ok(fs.existsSync(path.join(REPO_ROOT, 'dist', 'scan-worker.js')), 'dist/scan-worker.js is missing: run `node scripts/build.mjs`');
    assert.ok(fs.existsSync(CLI_BIN));
    const args = ['scan', '.', '--format', 'json', '--fail-on', 'none', '--exclude', 'generated/**', '--max-file-size-kb', '16'];
    const single = runBuiltCli([...args, '--jobs', '1'], root);
    const spread = runBuiltCli([...args, '--jobs', '2'], root, { NODE_DEBUG: 'pinning-audit' });
    const byDefault = runBuiltCli(args, root);
    assert.equal(single.status, 0, single.stderr);
    assert.equal(spread.status, 0, spread.stderr);
    assert.ok(JSON.parse(single.stdout).findings.length > 50);
    assert.equal(spread.stdout, single.stdout);
    assert.equal(byDefault.stdout, single.stdout);
    // The thread loaded its bundle from the code cache the build wrote (cli/scan-workers.ts).
    assert.match(spread.stderr, /scan thread: code cache taken/);
    // And when this thread read the last file, how many files waited for the others (scan.ts).
    assert.match(spread.stderr, /scan: every file read after \d+ ms, \d+ files with trigger words then waiting for a thread; the last handed out after \d+ ms, the last results after \d+ ms/);
  });

  it('prints the same from a copy of the bundle whose threads cannot take its code cache', () => {
    const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'pinning-audit-bundle-copy-'));
    try {
      // Copied with new times: the caches name their bundle's size and time, and are not used.
      for (const part of ['bin', 'dist', 'package.json']) fs.cpSync(path.join(REPO_ROOT, part), path.join(copy, part), { recursive: true });
      const args = ['scan', '.', '--format', 'json', '--fail-on', 'none', '--exclude', 'generated/**', '--max-file-size-kb', '16', '--jobs', '2'];
      const built = runBuiltCli(args, root);
      const copied = runBuiltCli(args, root, { NODE_DEBUG: 'pinning-audit' }, path.join(copy, 'bin', 'pinning-audit.js'));
      assert.equal(copied.status, 0, copied.stderr);
      assert.match(copied.stderr, /scan thread: code cache not taken/);
      assert.equal(copied.stdout, built.stdout);
    } finally {
      fs.rmSync(copy, { recursive: true, force: true });
    }
  });

  it('rejects a --jobs that is not a whole positive number', () => {
    for (const jobs of ['0', '1.5', 'many']) {
      const run = runBuiltCli(['scan', '.', '--jobs', jobs], root);
      assert.equal(run.status, 2, `--jobs ${jobs}`);
      assert.match(run.stderr, /--jobs/);
    }
  });
});
