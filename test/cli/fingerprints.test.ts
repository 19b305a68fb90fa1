// Fingerprints (SARIF partialFingerprints, baselines) follow the construct, not its line.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { lineStarts, offsetInLines } from '../../server/src/engine/parser';
import { findingFingerprints } from '../../server/src/cli/fingerprints';
import { gitProvenance, repositoryUriOf } from '../../server/src/cli/git';
import { sharedEngine } from '../helpers/engine';

const AGENT = [
  "import * as https from 'node:https';",
  '',
  'export const agent = new https.Agent({',
  '  rejectUnauthorized: false,',
  '});',
  'export const other = new https.Agent({ rejectUnauthorized: false });',
  '',
].join('\n');

async function fingerprints(text: string, relativePath = 'src/agent.ts'): Promise<string[]> {
  const engine = await sharedEngine();
  const { findings } = engine.analyze({ id: `/w/${relativePath}`, relativePath, grammar: 'typescript', text });
  const starts = lineStarts(text);
  return findingFingerprints(findings, relativePath, text, (p) => offsetInLines(starts, text, p));
}

describe('CLI: finding fingerprints', () => {
  it('stay the same when lines are added above the finding', async () => {
    const before = await fingerprints(AGENT);
    assert.equal(before.length, 2);
    assert.deepEqual(await fingerprints(`// A header comment.\n// Another line.\n\n${AGENT}`), before);
  });

  it('stay the same when the file is re-indented or its line endings change', async () => {
    const before = await fingerprints(AGENT);
    const reindented = AGENT.replace('  rejectUnauthorized: false,', '        rejectUnauthorized:   false,').replace(/\n/g, '\r\n');
    assert.deepEqual(await fingerprints(reindented), before);
  });

  it('change with the construct, the rule\'s file, and tell two equal constructs apart by occurrence', async () => {
    const before = await fingerprints(AGENT);
    // A pin set with one pin (single-pin): another pin is another construct.
    const pins = (pin: string) => `${AGENT}export const PINS = ['sha256/${pin}'];\n`;
    const [a, b] = [await fingerprints(pins('rRIWCfZp0tPPw1BxSzH7ognw+k0qFCuKOkXXtYVaclg=')), await fingerprints(pins('Ho3gEv5En2rTd9p7RYjHsmhVUxZm36TPma0xTGwmtK4='))];
    assert.equal(a.length, 3);
    assert.notEqual(a[2], b[2]);
    assert.deepEqual(a.slice(0, 2), b.slice(0, 2), 'the other findings keep their identity');
    assert.notDeepEqual(await fingerprints(AGENT, 'src/other.ts'), before);
    const twice = await fingerprints(`${AGENT}export const third = new https.Agent({ rejectUnauthorized: false });\n`);
    assert.equal(new Set(twice).size, 3);
  });
});

describe('CLI: git provenance for SARIF', () => {
  it('names the remote without credentials', () => {
    assert.equal(repositoryUriOf('https://user:token@github.com/acme/app.git'), 'https://github.com/acme/app.git');
    assert.equal(repositoryUriOf('git@github.com:acme/app.git'), 'ssh://github.com/acme/app.git');
    assert.equal(repositoryUriOf('not a url'), undefined);
  });

  it('reads the commit and branch of a work tree with local git only, and nothing outside one', function () {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pinning-audit-provenance-'));
    try {
      const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, stdio: 'pipe' });
      assert.equal(gitProvenance(dir), undefined, 'not a work tree');
      git('init', '-q', '-b', 'main');
      git('-c', 'user.email=t@example.com', '-c', 'user.name=t', 'commit', '-q', '--allow-empty', '-m', 'x');
      assert.equal(gitProvenance(dir), undefined, 'no remote: no repositoryUri to give');
      git('remote', 'add', 'origin', 'https://ci:secret@example.com/acme/app.git');
      const provenance = gitProvenance(dir)!;
      assert.equal(provenance.repositoryUri, 'https://example.com/acme/app.git');
      assert.match(provenance.revisionId ?? '', /^[0-9a-f]{40}$/);
      assert.equal(provenance.branch, 'main');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
