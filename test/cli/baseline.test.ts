// `scan --baseline` / `--write-baseline`: a team turns the check on with its old findings accepted.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCliInProcess } from '../helpers/cli';

const cli = (args: string[], cwd: string) => runCliInProcess(['scan', '--jobs', '1', ...args], cwd);

const OLD = "import * as https from 'node:https';\n\nexport const agent = new https.Agent({ rejectUnauthorized: false });\n";
const NEW = "export const pins = ['sha256/rRIWCfZp0tPPw1BxSzH7ognw+k0qFCuKOkXXtYVaclg='];\n";

describe('CLI: baselines', function () {
  this.timeout(60_000);
  let dir: string;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pinning-audit-baseline-'));
    fs.mkdirSync(path.join(dir, 'app', 'src'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'app', 'src', 'agent.ts'), OLD);
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('fails only on a finding the baseline does not hold, and counts the others as baselined', async () => {
    const first = await cli(['app', '--write-baseline', 'baseline.json', '--quiet'], dir);
    assert.equal(first.code, 1, 'the legacy finding fails a scan without a baseline');
    assert.ok(fs.existsSync(path.join(dir, 'baseline.json')));

    // Lines added above the legacy finding keep its fingerprint.
    fs.writeFileSync(path.join(dir, 'app', 'src', 'agent.ts'), `// Legacy agent, kept for the old admin tool.\n\n${OLD}`);
    const accepted = await cli(['app', '--baseline', 'baseline.json'], dir);
    assert.equal(accepted.code, 0, accepted.stdout);
    assert.equal(accepted.stdout, '0 findings, 1 baselined in 1 file, 0 skipped\n');

    fs.writeFileSync(path.join(dir, 'app', 'src', 'pins.ts'), NEW);
    fs.writeFileSync(path.join(dir, 'app', 'src', 'agent2.ts'), OLD.replace('agent =', 'agent2 ='));
    const json = await cli(['app', '--baseline', 'baseline.json', '--format', 'json', '--fail-on', 'warning'], dir);
    assert.equal(json.code, 1);
    const report = JSON.parse(json.stdout) as { findings: { ruleId: string; path: string; baselined?: boolean }[]; summary: { baselined: number; findings: number } };
    assert.deepEqual(report.findings.filter((f) => !f.baselined).map((f) => [f.ruleId, path.basename(f.path)]).sort(), [
      ['single-pin', 'pins.ts'],
      ['trust-all-certificates', 'agent2.ts'],
    ], 'the same construct in another file is a new finding');
    assert.equal(report.summary.baselined, 1);
    assert.equal(report.summary.findings, 2);
  });

  it('takes a SARIF report as the baseline, and lists baselined results with an external suppression', async () => {
    await cli(['app', '--format', 'sarif', '--output', 'old.sarif'], dir);
    const run = await cli(['app', '--baseline', 'old.sarif', '--format', 'sarif'], dir);
    assert.equal(run.code, 0);
    const [result] = JSON.parse(run.stdout).runs[0].results;
    assert.deepEqual(result.suppressions, [{ kind: 'external', justification: 'in the baseline (--baseline)' }]);
  });

  it('says why a baseline cannot be used (exit 2)', async () => {
    fs.writeFileSync(path.join(dir, 'notes.json'), '{"hello": 1}');
    const wrong = await cli(['app', '--baseline', 'notes.json'], dir);
    assert.equal(wrong.code, 2);
    assert.match(wrong.stderr, /notes\.json is neither a JSON report nor a SARIF file of pinning-audit/);
    const missing = await cli(['app', '--baseline', 'missing.json'], dir);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /cannot read the baseline/);
  });
});
