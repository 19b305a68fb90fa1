import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { docsUrl } from '../../server/src/engine/rule';
import { ALL_RULES } from '../../server/src/rules';
import { VERIFICATION_DIAGNOSTIC_IDS } from '../../server/src/pins/verification-ids';
import { REPO_ROOT, FIXTURES_DIR } from '../helpers/engine';

const EXTENSIONS: Record<string, RegExp> = { ts: /\.(ts|tsx|js|jsx|mjs|cjs)$/ };

/** Which platform-config rules read which platform's files. */
const PLATFORM_FIXTURES = [
  { name: 'Android (.xml)', extensions: /\.xml$/, rules: ['single-pin', 'invalid-pin', 'pin-set-expired', 'user-ca-trusted', 'pinning-not-enforced'] },
  { name: 'iOS (.plist)', extensions: /\.plist$/, rules: ['single-pin', 'invalid-pin', 'pin-set-expired', 'pinning-not-enforced'] },
];

/** Like eslint's rule ↔ docs ↔ tests check: each rule has all three, and nothing is orphaned. */
describe('rule consistency', () => {
  const ids = ALL_RULES.map((r) => r.meta.id);

  for (const rule of ALL_RULES) {
    const id = rule.meta.id;
    it(`${id}: source file, doc page and fixtures exist`, () => {
      assert.ok(fs.existsSync(path.join(REPO_ROOT, 'server/src/rules', `${id}.ts`)), 'rule file named by its id');
      const doc = path.join(REPO_ROOT, 'docs/rules', `${id}.md`);
      assert.ok(fs.existsSync(doc), `docs/rules/${id}.md`);
      assert.match(fs.readFileSync(doc, 'utf8'), new RegExp(`^# ${id}\\b`), 'doc starts with the rule id as its title');
      const fixtures = path.join(FIXTURES_DIR, id);
      assert.ok(fs.existsSync(fixtures) && fs.readdirSync(fixtures).length > 0, `test/fixtures/${id}/`);
      assert.equal(rule.meta.docsUrl, docsUrl(id));
      // Code scanning's tags come from the same metadata: the doc names each weakness and control.
      const text = fs.readFileSync(doc, 'utf8');
      for (const cwe of rule.meta.security.cwe) assert.ok(text.includes(`CWE-${cwe}`), `the doc names CWE-${cwe}`);
      for (const control of rule.meta.security.masvs) assert.ok(text.includes(control), `the doc names ${control}`);
    });

    it(`${id}: fixtures cover every language the rule checks, with positives and negatives`, () => {
      const fixtures = fs.readdirSync(path.join(FIXTURES_DIR, id), { recursive: true }) as string[];
      // Platform configs: Android's (.xml) and iOS's (.plist) each need both, where the rule reads them.
      const kinds = Object.keys(rule.checks).flatMap((family) => family === 'xml' ? PLATFORM_FIXTURES.filter((k) => k.rules.includes(id)) : [{ name: family, extensions: EXTENSIONS[family] ?? new RegExp(`\\.${family}$`) }]);
      for (const { name, extensions } of kinds) {
        const files = fixtures.filter((f) => extensions.test(f)).map((f) => fs.readFileSync(path.join(FIXTURES_DIR, id, f), 'utf8'));
        assert.ok(files.some((t) => t.includes(`expect: ${id}@`)), `a positive ${name} fixture for ${id}`);
        assert.ok(files.some((t) => !t.includes(`expect: ${id}@`)), `a negative ${name} fixture for ${id}`);
      }
    });
  }

  it('every fixture folder and doc page names a rule', () => {
    for (const dir of fs.readdirSync(FIXTURES_DIR)) assert.ok(ids.includes(dir), `test/fixtures/${dir} names no rule`);
    // Live-host verification diagnostics have doc pages too, but no engine rule or fixtures.
    const documented = [...ids, ...VERIFICATION_DIAGNOSTIC_IDS];
    for (const doc of fs.readdirSync(path.join(REPO_ROOT, 'docs/rules'))) {
      assert.ok(documented.includes(doc.replace(/\.md$/, '')), `docs/rules/${doc} names no rule`);
    }
    for (const id of VERIFICATION_DIAGNOSTIC_IDS) {
      assert.match(fs.readFileSync(path.join(REPO_ROOT, 'docs/rules', `${id}.md`), 'utf8'), new RegExp(`^# ${id}\\b`));
      assert.ok(!ids.includes(id), `${id} is not also an engine rule`);
    }
  });

  it('rule ids are unique', () => {
    assert.equal(new Set(ids).size, ids.length);
  });
});
