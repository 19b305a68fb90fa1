/**
 * Every fix against its fixture: applied to the input it must give the expected file exactly,
 * parse with no ERROR or MISSING node, and make its finding go away on re-analysis (or become a
 * note, for "debug builds only", or suppressed, for "Ignore"). Each case runs again with CRLF
 * line endings, which the fix must keep.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseErrorCount } from '../../server/src/fixes/parse-check';
import { sharedEngine } from '../helpers/engine';
import { analyse, applyCase, caseRule, FIX_CASES_DIR, readFixCases, type FixCase } from './fix-cases';

const cases = readFixCases();

function read(c: FixCase, name: string): string {
  return fs.readFileSync(path.join(FIX_CASES_DIR, c.folder, name), 'utf8');
}

function toCrlf(text: string): string {
  return text.replace(/\r?\n/g, '\r\n');
}

/** Findings other than the fixed rule's, as `rule@line` multiset keys (positions shift, counts must not grow). */
function otherRuleCounts(findings: { ruleId: string; suppressed?: unknown }[], rule: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const f of findings) if (f.ruleId !== rule && !f.suppressed) counts.set(f.ruleId, (counts.get(f.ruleId) ?? 0) + 1);
  return counts;
}

async function check(c: FixCase, lineEnding: 'LF' | 'CRLF'): Promise<void> {
  const engine = await sharedEngine();
  const convert = lineEnding === 'CRLF' ? toCrlf : (t: string) => t;
  const input = convert(read(c, c.input));
  const expected = convert(read(c, c.expected));
  const fileName = path.join(FIX_CASES_DIR, c.folder, c.input);

  const before = analyse(engine, fileName, input);
  const beforeErrors = parseErrorCount(before.file.syntax);
  const beforeRule = before.findings.filter((f) => f.ruleId === caseRule(c) && !f.suppressed);
  const beforeOthers = otherRuleCounts(before.findings, caseRule(c));
  before.dispose();
  assert.equal(beforeErrors, 0, 'the input parses cleanly');
  assert.equal(beforeRule.length, 1, `the input has exactly one ${caseRule(c)} finding`);

  const { fixed } = applyCase(engine, c, input);
  assert.equal(fixed, expected);
  if (lineEnding === 'CRLF') assert.ok(!/(^|[^\r])\n/.test(fixed), 'no bare LF in a CRLF file');

  const after = analyse(engine, fileName, fixed);
  try {
    assert.equal(parseErrorCount(after.file.syntax), 0, 'the fixed file parses with no ERROR or MISSING node');
    const rule = after.findings.filter((f) => f.ruleId === caseRule(c));
    switch (c.after ?? 'gone') {
      case 'gone':
        assert.deepEqual(rule.map((f) => f.message), [], 'the finding is gone');
        break;
      case 'note':
        assert.deepEqual(rule.map((f) => f.level), ['note'], 'the finding is now a note (debug-only code)');
        break;
      case 'suppressed':
        assert.deepEqual(rule.map((f) => !!f.suppressed), [true], 'the finding is suppressed');
        break;
    }
    for (const [other, count] of otherRuleCounts(after.findings, caseRule(c))) {
      assert.ok(count <= (beforeOthers.get(other) ?? 0), `the fix adds no ${other} finding`);
    }
  } finally {
    after.dispose();
  }
}

describe('quick fixes against fixtures', () => {
  it('covers every rule and the ignore comment', () => {
    const folders = new Set(cases.map((c) => c.folder));
    for (const folder of ['trust-all-certificates', 'invalid-pin', 'full-certificate-hash', 'pin-check-ignores-host',
      'pin-check-bypassed-by-trusted-ca', 'raw-public-key-hash', 'ignore-line', 'user-ca-trusted', 'pin-set-expired', 'pinning-not-enforced']) {
      assert.ok(folders.has(folder), `test/fixes/${folder}/cases.json`);
    }
  });

  for (const c of cases) {
    describe(`${c.folder}: ${c.expected}`, () => {
      it('gives the expected file, parses, and the finding is gone', () => check(c, 'LF'));
      it('keeps CRLF line endings', () => check(c, 'CRLF'));
    });
  }
});
