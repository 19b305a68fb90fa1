import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { REPO_ROOT } from '../helpers/engine';

const LOADER = path.join(REPO_ROOT, 'bin', 'load-bundle.js');
const VERSION = (JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }).version;

/** `pinning-audit --version` run from `bundle` through bin/load-bundle.js in a new process; whether V8 took the code cache. */
function runVersion(bundle: string): { stdout: string; accepted: boolean } {
  const code = `const accepted = require(${JSON.stringify(LOADER)}).loadBundle(process.argv[1]); process.on('exit', () => process.stderr.write('accepted=' + accepted));`;
  const run = spawnSync(process.execPath, ['-e', code, '--', bundle, '--version'], { encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  return { stdout: run.stdout, accepted: /accepted=true/.test(run.stderr) };
}

describe('the CLI bundle\'s V8 code cache (bin/load-bundle.js)', () => {
  let dir: string;
  let bundle: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pinning-audit-code-cache-'));
    bundle = path.join(dir, 'cli.js');
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  // Copies of the build's files, their times kept (the cache names the bundle's size and time),
  // beside the package.json the CLI reads its version from.
  function copyBuild(): void {
    fs.copyFileSync(path.join(REPO_ROOT, 'package.json'), path.join(dir, 'package.json'));
    for (const name of ['cli.js', 'cli.js.v8-cache']) {
      const from = path.join(REPO_ROOT, 'dist', name);
      fs.copyFileSync(from, path.join(dir, name));
      const stat = fs.statSync(from);
      fs.utimesSync(path.join(dir, name), stat.atime, stat.mtime);
    }
  }

  it('is written by the build and taken by this Node', () => {
    const run = runVersion(path.join(REPO_ROOT, 'dist', 'cli.js'));
    assert.equal(run.stdout.trim(), VERSION);
    assert.equal(run.accepted, true);
  });

  it('is not used for a bundle changed since (another size or time), and the CLI runs as without one', () => {
    copyBuild();
    fs.appendFileSync(bundle, '\n// changed\n');
    const run = runVersion(bundle);
    assert.equal(run.stdout.trim(), VERSION);
    assert.equal(run.accepted, false);
  });

  it('is rejected by V8 when its data is damaged, and the CLI runs as without one', () => {
    copyBuild();
    const cache = fs.readFileSync(`${bundle}.v8-cache`);
    const headerEnd = cache.indexOf(0x0a) + 1;
    for (let i = headerEnd; i < cache.length; i += 97) cache[i] ^= 0xff;
    fs.writeFileSync(`${bundle}.v8-cache`, cache);
    const run = runVersion(bundle);
    assert.equal(run.stdout.trim(), VERSION);
    assert.equal(run.accepted, false);
  });

  // The loader reads a bundle between the module wrapper's halves as Latin-1 when it is ASCII.
  it('is not needed by a bundle that is not ASCII: it runs decoded as UTF-8, as require() would run it', () => {
    const other = path.join(dir, 'not-ascii.js');
    fs.writeFileSync(other, "process.stdout.write(JSON.stringify(['caf\u00e9 \u2713', typeof require, typeof module.exports, require('node:path').basename(__dirname)]));\n// \u00e9\n");
    const run = spawnSync(process.execPath, ['-e', `require(${JSON.stringify(LOADER)}).loadBundle(process.argv[1])`, '--', other], { encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    const viaRequire = spawnSync(process.execPath, [other], { encoding: 'utf8' });
    assert.equal(run.stdout, viaRequire.stdout);
    assert.deepEqual(JSON.parse(run.stdout), ['caf\u00e9 \u2713', 'function', 'object', path.basename(dir)]);
  });

  it('is said not to be written, and the run ends as without it, when its file cannot be written', () => {
    copyBuild();
    fs.rmSync(`${bundle}.v8-cache`);
    fs.mkdirSync(`${bundle}.v8-cache`); // a folder where the file would go
    const code = `require(${JSON.stringify(LOADER)}).loadBundle(process.argv[1], { produceCache: true })`;
    const run = spawnSync(process.execPath, ['-e', code, '--', bundle, '--version'], { encoding: 'utf8' });
    fs.rmSync(`${bundle}.v8-cache`, { recursive: true });
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.stdout.trim(), VERSION);
    assert.match(run.stderr, /the code cache .*cli\.js\.v8-cache was not written: EISDIR/);
  });

  it('is not needed: without one the CLI runs as with it', () => {
    copyBuild();
    fs.rmSync(`${bundle}.v8-cache`);
    const run = runVersion(bundle);
    assert.equal(run.stdout.trim(), VERSION);
    assert.equal(run.accepted, false);
  });
});
