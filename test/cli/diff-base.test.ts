// `scan --diff-base REF`: in a pull request, only the findings on the lines it changed.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCliInProcess } from '../helpers/cli';

const cli = (args: string[], cwd: string) => runCliInProcess(['scan', '--jobs', '1', ...args], cwd);

const AGENT = [
  "import * as https from 'node:https';",
  '',
  'export const legacy = new https.Agent({ rejectUnauthorized: false });',
  '',
  'export function other(): number {',
  '  return 1;',
  '}',
  '',
].join('\n');

describe('CLI: --diff-base', function () {
  this.timeout(60_000);
  let dir: string;
  const git = (...args: string[]) => execFileSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', ...args], { cwd: dir, stdio: 'pipe' });

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pinning-audit-diff-base-'));
    fs.mkdirSync(path.join(dir, 'src'));
    fs.writeFileSync(path.join(dir, 'src', 'agent.ts'), AGENT);
    git('init', '-q', '-b', 'main');
    git('add', '.');
    git('commit', '-q', '-m', 'legacy');
    // The pull request: a new accept-all agent in the same file, below the legacy one, and a new file.
    fs.writeFileSync(path.join(dir, 'src', 'agent.ts'), AGENT.replace('  return 1;', "  return 1;\n}\n\nexport const added = new https.Agent({ rejectUnauthorized: false });\nfunction unused() {"));
    fs.writeFileSync(path.join(dir, 'src', 'pins.ts'), "export const pins = ['sha256/rRIWCfZp0tPPw1BxSzH7ognw+k0qFCuKOkXXtYVaclg='];\n");
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('reports only the findings in changed hunks and new files', async () => {
    const all = await cli(['--format', 'json'], dir);
    const every = JSON.parse(all.stdout).findings as { ruleId: string; path: string; line: number }[];
    assert.deepEqual(every.map((f) => [f.path, f.line, f.ruleId]), [['src/agent.ts', 3, 'trust-all-certificates'], ['src/agent.ts', 9, 'trust-all-certificates'], ['src/pins.ts', 1, 'single-pin']]);
    const changed = await cli(['--diff-base', 'HEAD', '--format', 'json'], dir);
    assert.equal(changed.code, 1, changed.stderr);
    const findings = JSON.parse(changed.stdout).findings as { ruleId: string; path: string; line: number }[];
    assert.deepEqual(findings.map((f) => [f.path, f.line, f.ruleId]), [['src/agent.ts', 9, 'trust-all-certificates'], ['src/pins.ts', 1, 'single-pin']]);
  });

  it('passes when the changed lines hold no finding, and says why a ref cannot be used (exit 2)', async () => {
    git('stash', '-q', '--include-untracked');
    try {
      fs.appendFileSync(path.join(dir, 'src', 'agent.ts'), 'export const version = 2;\n');
      assert.equal((await cli(['--diff-base', 'HEAD'], dir)).code, 0);
      const unknown = await cli(['--diff-base', 'no-such-branch'], dir);
      assert.equal(unknown.code, 2);
      assert.match(unknown.stderr, /'no-such-branch' is not a commit of this repository/);
    } finally {
      git('checkout', '-q', '--', '.');
      git('stash', 'pop', '-q');
    }
  });
});
