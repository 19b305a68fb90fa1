/**
 * `pinning-audit scan --fix` with the built CLI: which files change and how, the report lines,
 * atomic writes (a new inode, no temporary file left, mode and symlinks kept), CRLF and BOM kept,
 * and a file whose fixed text would not parse left byte for byte as it was.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { REPO_ROOT, runBuiltCli } from './workspace';

const FILES: Record<string, string> = {
  'src/agent.ts': [
    "import * as https from 'node:https';",
    '',
    'export const agent = new https.Agent({',
    '  keepAlive: true,',
    '  rejectUnauthorized: false,',
    '});',
    '',
  ].join('\n'),
  'src/env.js': ["'use strict';", "process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';", "module.exports = {};", ''].join('\n'),
  'src/pins.ts': ["export const PINS = ['sha256//aM0uY9vY6cVz2pO2weQ2lh61WLUvXkg7iFdb+5tC60Q=', 'sha256/QIvl5wnKRcNRTn+mHSTvLUlT1nAPbcagd3H0VF7OutM='];", ''].join('\n'),
  // Needs the user's input (a host): reported, never changed.
  'src/single.ts': ["export const PINS = ['sha256/aM0uY9vY6cVz2pO2weQ2lh61WLUvXkg7iFdb+5tC60Q='];", ''].join('\n'),
  // Suppressed, and a note in a test file: both left alone.
  'src/proxy.ts': [
    "import * as https from 'node:https';",
    '// pinning-audit-ignore-next-line trust-all-certificates -- local intercepting proxy',
    'export const proxied = new https.Agent({ rejectUnauthorized: false });',
    '',
  ].join('\n'),
  'test/agent.test.ts': ["import * as https from 'node:https';", 'export const testAgent = new https.Agent({ rejectUnauthorized: false });', ''].join('\n'),
  // A syntax error elsewhere: the fixed text would still not parse.
  'src/broken.ts': ["import * as https from 'node:https';", 'export const agent = new https.Agent({ rejectUnauthorized: false });', 'export const oops = (;', ''].join('\n'),
  'src/crlf.dart': ["import 'dart:io';", '', 'HttpClient build() {', '  final client = HttpClient();', '  client.badCertificateCallback = (cert, host, port) => true;', '  return client;', '}', ''].join('\r\n'),
  'src/bom.ts': `\uFEFF${["import * as tls from 'node:tls';", "export const socket = tls.connect({ host: 'a.example.com', rejectUnauthorized: false });", ''].join('\n')}`,
  'src/linked-target.js': ["process.env.NODE_TLS_REJECT_UNAUTHORIZED = 0;", 'module.exports = 1;', ''].join('\n'),
};

describe('CLI scan --fix (built bundle)', function () {
  let workspace: string;
  let run: ReturnType<typeof runBuiltCli>;
  const file = (relative: string) => path.join(workspace, relative);
  const read = (relative: string) => fs.readFileSync(file(relative), 'utf8');
  const inodes = new Map<string, number>();
  let brokenMtime = 0;

  before(function () {
    assert.ok(fs.existsSync(path.join(REPO_ROOT, 'dist', 'cli.js')), 'dist/cli.js is missing: run `node scripts/build.mjs` first');
    workspace = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'pinning-audit-fix-')));
    for (const [name, content] of Object.entries(FILES)) {
      fs.mkdirSync(path.dirname(file(name)), { recursive: true });
      fs.writeFileSync(file(name), content);
    }
    fs.chmodSync(file('src/agent.ts'), 0o640);
    fs.symlinkSync('linked-target.js', file('src/linked.js'));
    for (const name of Object.keys(FILES)) inodes.set(name, fs.statSync(file(name)).ino);
    brokenMtime = fs.statSync(file('src/broken.ts')).mtimeMs;
    run = runBuiltCli(['scan', '--fix', '--fail-on', 'error', '--no-color'], workspace);
  });

  after(function () {
    if (workspace) fs.rmSync(workspace, { recursive: true, force: true });
  });

  it('reports one line per changed file and the count', function () {
    const lines = run.stderr.trimEnd().split('\n');
    const fixedLines = lines.filter((l) => /: fixed \d+ finding/.test(l)).sort();
    assert.deepEqual(fixedLines, [
      'src/agent.ts: fixed 1 finding (trust-all-certificates)',
      'src/bom.ts: fixed 1 finding (trust-all-certificates)',
      'src/crlf.dart: fixed 1 finding (trust-all-certificates)',
      'src/env.js: fixed 1 finding (trust-all-certificates)',
      'src/linked-target.js: fixed 1 finding (trust-all-certificates)',
      'src/pins.ts: fixed 1 finding (invalid-pin)',
    ], run.stderr);
    assert.ok(lines.includes('src/broken.ts: not fixed: the fixed text would not parse (the file may have a syntax error already)'), run.stderr);
    assert.ok(lines.includes('Fixed 6 findings in 6 files; 1 file left untouched.'), run.stderr);
  });

  it('applies the preferred fixes to the files', function () {
    assert.equal(read('src/agent.ts'), ["import * as https from 'node:https';", '', 'export const agent = new https.Agent({', '  keepAlive: true,', '});', ''].join('\n'));
    assert.equal(read('src/env.js'), ["'use strict';", 'module.exports = {};', ''].join('\n'));
    assert.equal(read('src/pins.ts'), FILES['src/pins.ts'].replace('sha256//', 'sha256/'));
  });

  it('leaves input-only, suppressed and note findings alone', function () {
    for (const name of ['src/single.ts', 'src/proxy.ts', 'test/agent.test.ts']) assert.equal(read(name), FILES[name], name);
  });

  it('then reports what remains, and exits by it', function () {
    assert.equal(run.status, 1, 'the untouched broken file still has an error finding');
    assert.match(run.stdout, /src\/broken\.ts:2:\d+ error trust-all-certificates/);
    assert.match(run.stdout, /src\/single\.ts:1:\d+ warning single-pin/);
    assert.doesNotMatch(run.stdout, /src\/(agent|env|pins|crlf|bom)\./);
  });

  it('writes atomically: a renamed new file, no temporary left, the mode kept', function () {
    assert.notEqual(fs.statSync(file('src/agent.ts')).ino, inodes.get('src/agent.ts'), 'replaced by rename, not rewritten in place');
    assert.equal(fs.statSync(file('src/agent.ts')).mode & 0o777, 0o640);
    const leftovers = fs.readdirSync(file('src')).filter((n) => n.includes('pinning-audit') || n.endsWith('.tmp'));
    assert.deepEqual(leftovers, []);
  });

  it('keeps a symbolic link a link and fixes its target', function () {
    assert.ok(fs.lstatSync(file('src/linked.js')).isSymbolicLink());
    assert.equal(fs.readlinkSync(file('src/linked.js')), 'linked-target.js');
    assert.equal(read('src/linked-target.js'), 'module.exports = 1;\n');
  });

  it('keeps CRLF line endings and the byte-order mark', function () {
    assert.equal(read('src/crlf.dart'), ["import 'dart:io';", '', 'HttpClient build() {', '  final client = HttpClient();', '  return client;', '}', ''].join('\r\n'));
    const bom = read('src/bom.ts');
    assert.ok(bom.startsWith('\uFEFF'), 'the BOM is kept');
    assert.equal(bom, FILES['src/bom.ts'].replace(", rejectUnauthorized: false", ''));
  });

  it('leaves a file whose fixed text would not parse untouched', function () {
    assert.equal(read('src/broken.ts'), FILES['src/broken.ts']);
    assert.equal(fs.statSync(file('src/broken.ts')).ino, inodes.get('src/broken.ts'));
    assert.equal(fs.statSync(file('src/broken.ts')).mtimeMs, brokenMtime);
  });

  it('fixes nothing for a rule that is turned off, and nothing twice', function () {
    const again = runBuiltCli(['scan', '--fix', '--rule', 'trust-all-certificates=off', '--fail-on', 'none'], workspace);
    assert.equal(again.status, 0, again.stderr);
    assert.equal(again.stderr, 'Fixed 0 findings in 0 files.\n');
    assert.equal(read('src/broken.ts'), FILES['src/broken.ts']);
  });
});
