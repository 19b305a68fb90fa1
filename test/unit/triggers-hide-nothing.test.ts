/**
 * Trigger words decide which files are parsed at all. A trigger that is too narrow (a
 * confirmation that says no, a language's list that misses a word) silently drops findings, so
 * every fixture, fix case and example is analysed twice: with the rules' triggers, and with
 * none at all (every rule runs on every parsed file). The findings must be the same.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Engine } from '../../server/src/engine/analyze';
import { grammarForPath } from '../../server/src/engine/languages';
import type { Finding } from '../../server/src/engine/types';
import { ALL_RULES } from '../../server/src/rules';
import { REPO_ROOT, sharedEngine } from '../helpers/engine';
import { sourceFilesUnder } from '../helpers/source-files';

function describeFindings(findings: Finding[]): string[] {
  return findings.map((f) => `${f.range.start.line + 1}:${f.range.start.character + 1} ${f.ruleId}@${f.level}`);
}

describe('trigger words hide no finding', () => {
  const untriggered = ALL_RULES.map((rule) => ({ ...rule, meta: { ...rule.meta, triggers: undefined } }));
  const files = ['test/fixtures', 'test/fixes', 'examples'].flatMap((dir) => sourceFilesUnder(path.join(REPO_ROOT, dir)));

  it('finds the fixture, fix-case and example files', () => {
    assert.ok(files.length > 100, `only ${files.length} files`);
  });

  it('gives the same findings with the triggers as without them, in every file', async () => {
    const engine = await sharedEngine();
    const everyRule = new Engine(engine.parsers, untriggered);
    let withFindings = 0;
    for (const file of files) {
      const text = fs.readFileSync(file, 'utf8');
      const input = { id: file, relativePath: path.relative(REPO_ROOT, file), grammar: grammarForPath(file)!, text };
      const expected = describeFindings(everyRule.analyze(input).findings);
      assert.deepEqual(describeFindings(engine.analyze(input).findings), expected, path.relative(REPO_ROOT, file));
      if (expected.length > 0) withFindings++;
    }
    assert.ok(withFindings > 50, `only ${withFindings} files with findings`);
  });
});
