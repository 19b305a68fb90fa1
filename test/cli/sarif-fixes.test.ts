// SARIF `fixes`: a small applier, like a SARIF viewer's, applies them to the files; the findings go.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCliInProcess } from '../helpers/cli';
import { assertValidSarif } from './sarif-schema';

interface Region { startLine: number; startColumn: number; endLine: number; endColumn: number }
interface SarifFix { description: { text: string }; artifactChanges: { artifactLocation: { uri: string }; replacements: { deletedRegion: Region; insertedContent: { text: string } }[] }[] }
interface SarifResult { ruleId: string; fixes?: SarifFix[]; suppressions?: unknown[] }

const cli = (args: string[], cwd: string) => runCliInProcess(['scan', '--jobs', '1', ...args], cwd);

/** Offsets of 1-based line/column positions (UTF-16 columns, as the run's columnKind says). */
function offsetOf(text: string, line: number, column: number): number {
  let offset = 0;
  for (let l = 1; l < line; l++) offset = text.indexOf('\n', offset) + 1;
  return offset + column - 1;
}

/** Applies every replacement of one fix to the files under `root`, the last region first. */
function applyFix(root: string, fix: SarifFix): void {
  for (const change of fix.artifactChanges) {
    const file = path.join(root, decodeURIComponent(change.artifactLocation.uri));
    let text = fs.readFileSync(file, 'utf8');
    const replacements = change.replacements.map((r) => ({
      start: offsetOf(text, r.deletedRegion.startLine, r.deletedRegion.startColumn),
      end: offsetOf(text, r.deletedRegion.endLine, r.deletedRegion.endColumn),
      text: r.insertedContent.text,
    })).sort((a, b) => b.start - a.start);
    for (const r of replacements) text = text.slice(0, r.start) + r.text + text.slice(r.end);
    fs.writeFileSync(file, text);
  }
}

describe('CLI: SARIF fixes', function () {
  this.timeout(60_000);
  let dir: string;

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pinning-audit-sarif-fixes-'));
    fs.writeFileSync(path.join(dir, 'agent.ts'), "import * as https from 'node:https';\n\nexport const agent = new https.Agent({\n  keepAlive: true,\n  rejectUnauthorized: false,\n});\n");
    fs.writeFileSync(path.join(dir, 'pins.ts'), "export const pins = ['sha256/rRIWCfZp0tPPw1BxSzH7ognw+k0qFCuKOkXXtYVaclg='];\n");
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('carries the preferred fix of each auto-fixable finding; applied, they remove the findings', async () => {
    const before = JSON.parse((await cli(['.', '--format', 'sarif'], dir)).stdout);
    assertValidSarif(before);
    const results = before.runs[0].results as SarifResult[];
    const fixable = results.filter((r) => r.fixes);
    assert.deepEqual(fixable.map((r) => [r.ruleId, r.fixes![0].description.text]), [['trust-all-certificates', 'Remove rejectUnauthorized: false (certificates are verified again)']]);
    assert.equal(results.find((r) => r.ruleId === 'single-pin')?.fixes, undefined, 'a fix that needs input (a backup key) is not offered as a SARIF fix');
    for (const result of fixable) applyFix(dir, result.fixes![0]);
    const after = JSON.parse((await cli(['.', '--format', 'sarif'], dir)).stdout);
    assert.deepEqual((after.runs[0].results as SarifResult[]).map((r) => r.ruleId), ['single-pin']);
    assert.equal(fs.readFileSync(path.join(dir, 'agent.ts'), 'utf8'), "import * as https from 'node:https';\n\nexport const agent = new https.Agent({\n  keepAlive: true,\n});\n");
  });
});
