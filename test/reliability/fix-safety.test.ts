/**
 * `scan --fix` never loses work (test/cli/fix.test.ts covers the fixes themselves, the new inode
 * and a file whose fixed text would not parse): a write that cannot be made leaves the file as it
 * was, a file changed meanwhile is left alone, a reader never sees half a file, and hostile
 * files do not stop the run.
 */
import * as assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { writeAtomically } from '../../server/src/cli/fix';
import { CLI_BIN } from '../cli/workspace';
import { createHostileWorkspace, INSECURE_TS, isRoot, type HostileWorkspace } from './hostile-workspace';

const FIXED_TS = INSECURE_TS.replace('{ rejectUnauthorized: false }', '{}');
const NOBODY = 65534;
/** Root writes anywhere: a read-only folder only stops an ordinary user, so the CLI runs as one. */
const unprivileged = isRoot() ? { uid: NOBODY, gid: NOBODY } : {};

const leftovers = (dir: string) => fs.readdirSync(dir).filter((name) => name.includes('pinning-audit') || name.endsWith('.tmp'));

describe('reliability: --fix never loses work', function () {
  this.timeout(60_000);
  let dir: string;

  beforeEach(() => {
    dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'pinning-audit-fix-safety-')));
    fs.chmodSync(dir, 0o755);
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('the fixed text is what the CLI computes (the fixture below is fixable)', function () {
    fs.writeFileSync(path.join(dir, 'agent.ts'), INSECURE_TS);
    const run = spawnSync(process.execPath, [CLI_BIN, 'scan', '--fix', '--fail-on', 'none', 'agent.ts'], { cwd: dir, encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    assert.equal(fs.readFileSync(path.join(dir, 'agent.ts'), 'utf8'), FIXED_TS);
  });

  it('a folder the CLI may not write to: the file stays as it was, the reason is reported, nothing is left behind', function () {
    const folder = path.join(dir, 'locked');
    fs.mkdirSync(folder);
    fs.writeFileSync(path.join(folder, 'agent.ts'), INSECURE_TS);
    fs.chmodSync(folder, 0o555);
    try {
      const run = spawnSync(process.execPath, [CLI_BIN, 'scan', '--fix', '--fail-on', 'none', '--no-color', 'locked'], { cwd: dir, encoding: 'utf8', ...unprivileged });
      assert.equal(run.status, 0, run.stderr);
      assert.match(run.stderr, /^locked\/agent\.ts: not fixed: .*(EACCES|permission denied)/im);
      assert.equal(fs.readFileSync(path.join(folder, 'agent.ts'), 'utf8'), INSECURE_TS);
      assert.deepEqual(leftovers(folder), []);
      assert.match(run.stdout, /1 finding/, 'the finding is still reported');
    } finally {
      fs.chmodSync(folder, 0o755);
    }
  });

  it('a file changed between read and write is left alone, with the change kept', function () {
    const file = path.join(dir, 'agent.ts');
    fs.writeFileSync(file, INSECURE_TS);
    const readStat = fs.statSync(file);
    fs.writeFileSync(file, `${INSECURE_TS}// edited in the editor meanwhile\n`);
    assert.throws(() => writeAtomically(file, FIXED_TS, readStat), /changed while it was being fixed/);
    assert.equal(fs.readFileSync(file, 'utf8'), `${INSECURE_TS}// edited in the editor meanwhile\n`);
    assert.deepEqual(leftovers(dir), []);
  });

  it('a reader polling the file during the fix sees the whole old text or the whole new text, never part', async function () {
    const file = path.join(dir, 'big.ts');
    // ~900 KB under the 1024 KB limit: long enough to write that a partial file would show.
    const filler = `export const filler = '${'x'.repeat(100)}';\n`.repeat(7000);
    const before = filler + INSECURE_TS;
    const after = filler + FIXED_TS;
    fs.writeFileSync(file, before);
    const child = spawn(process.execPath, [CLI_BIN, 'scan', '--fix', '--fail-on', 'none', 'big.ts'], { cwd: dir, stdio: 'ignore' });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    let running = true;
    void exited.then(() => (running = false));
    const seen = { before: 0, after: 0, other: 0 };
    while (running) {
      const text = await fs.promises.readFile(file, 'utf8');
      if (text === before) seen.before++;
      else if (text === after) seen.after++;
      else seen.other++;
    }
    assert.equal(await exited, 0);
    assert.equal(fs.readFileSync(file, 'utf8'), after);
    assert.equal(seen.other, 0, `partial reads: ${JSON.stringify(seen)}`);
    assert.ok(seen.before + seen.after > 0);
  });

  describe('over a workspace of hostile files', function () {
    let workspace: HostileWorkspace;
    before(() => {
      workspace = createHostileWorkspace();
    });
    after(() => workspace?.remove());

    it('finishes (the named pipe is not opened), fixes the ordinary files and reports the rest as skipped', function () {
      const { execArgv, ...options } = workspace.process;
      const run = spawnSync(process.execPath, [...execArgv, CLI_BIN, 'scan', '--fix', '--fail-on', 'none', '--no-color', '.'], { ...options, cwd: workspace.dir, encoding: 'utf8', timeout: 60_000 });
      assert.equal(run.status, 0, run.stderr);
      assert.equal(fs.readFileSync(path.join(workspace.dir, 'src', 'client.ts'), 'utf8'), FIXED_TS);
      assert.match(run.stderr, /^skipped: pipe\.dart: not a regular file/m);
      assert.match(run.stderr, /^skipped: secret\.dart: .*permission denied/im);
    });
  });
});
