import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { TODAY_VARIABLE } from '../../server/src/engine/clock';
import { grammarForPath } from '../../server/src/engine/languages';
import { BINARY_PLIST_REASON, decoder, readSourceFile } from '../../server/src/engine/source-bytes';
import { FIXTURES_DIR, sharedEngine } from '../helpers/engine';
import { formatExpectation, readExpectations } from '../helpers/expectations';
import { sourceFilesUnder } from '../helpers/source-files';

/** The day the fixtures' expiry dates are written against: 2025 has passed, 2026-12-20 is near, 2028 is far. */
export const FIXTURES_TODAY = '2026-12-04';

/**
 * Every fixture states its own expectations inline; any missing or extra finding fails.
 * Paths are relative to the rule's fixture folder, so `tests/x.test.ts` there is a test file.
 */
describe('rule fixtures', () => {
  // Expiry dates in the fixtures are relative to this day.
  let clock: string | undefined;
  before(() => {
    clock = process.env[TODAY_VARIABLE];
    process.env[TODAY_VARIABLE] = FIXTURES_TODAY;
  });
  after(() => {
    if (clock === undefined) delete process.env[TODAY_VARIABLE];
    else process.env[TODAY_VARIABLE] = clock;
  });

  for (const ruleDir of fs.readdirSync(FIXTURES_DIR).sort()) {
    describe(ruleDir, () => {
      for (const file of sourceFilesUnder(path.join(FIXTURES_DIR, ruleDir)).sort()) {
        const grammar = grammarForPath(file)!;
        const relativePath = path.relative(path.join(FIXTURES_DIR, ruleDir), file).split(path.sep).join('/');
        it(relativePath, async () => {
          const engine = await sharedEngine();
          // Read as a scan reads it: a binary plist is skipped before it is decoded.
          const source = readSourceFile(file, 1024 * 1024);
          if ('reason' in source) {
            assert.match(path.basename(file), /^binary/, `only binary-* fixtures are skipped unread (${source.reason})`);
            assert.equal(source.reason, BINARY_PLIST_REASON);
            return;
          }
          const text = decoder(source)();
          const expected = readExpectations(text).map(formatExpectation).sort();
          const { findings, skipped } = engine.analyze({ id: file, relativePath, grammar, text });
          const skip = /expect-skip:\s*(.+?)\s*(?:-->|$)/m.exec(text)?.[1];
          if (skip) assert.ok(skipped?.includes(skip), `skipped because "${skip}" (\`expect-skip:\`), got: ${skipped ?? 'audited'}`);
          else assert.equal(skipped, undefined, 'audited, not skipped');
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
