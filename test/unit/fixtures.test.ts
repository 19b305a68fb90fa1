import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { grammarForPath } from '../../server/src/engine/languages';
import { FIXTURES_DIR, sharedEngine } from '../helpers/engine';
import { formatExpectation, readExpectations } from '../helpers/expectations';
import { sourceFilesUnder } from '../helpers/source-files';

/**
 * Every fixture states its own expectations inline; any missing or extra finding fails.
 * Paths are relative to the rule's fixture folder, so `tests/x.test.ts` there is a test file.
 */
describe('rule fixtures', () => {
  for (const ruleDir of fs.readdirSync(FIXTURES_DIR).sort()) {
    describe(ruleDir, () => {
      for (const file of sourceFilesUnder(path.join(FIXTURES_DIR, ruleDir)).sort()) {
        const grammar = grammarForPath(file)!;
        const relativePath = path.relative(path.join(FIXTURES_DIR, ruleDir), file).split(path.sep).join('/');
        it(relativePath, async () => {
          const engine = await sharedEngine();
          const text = fs.readFileSync(file, 'utf8');
          const expected = readExpectations(text).map(formatExpectation).sort();
          const { findings } = engine.analyze({ id: file, relativePath, grammar, text });
          const actual = findings
            .filter((f) => !f.suppressed)
            .map((f) => formatExpectation({ line: f.range.start.line, ruleId: f.ruleId, level: f.level }))
            .sort();
          assert.deepEqual(actual, expected, findings.map((f) => `${f.range.start.line + 1}: ${f.ruleId}: ${f.message}`).join('\n'));
        });
      }
    });
  }
});
