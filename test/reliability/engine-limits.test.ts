/**
 * Inputs the fuzzer found that broke the engine, kept as fixed regression cases: deep nesting
 * (recursive tree walks overflowed the JS stack), `const a = b` in TS (facts computed themselves
 * recursively), input that overflowed tree-sitter's C stack (corrupting the parser for good), and
 * input whose error recovery is superlinear (parse time limit).
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import type { GrammarId } from '../../server/src/engine/languages';
import { PARSE_TIME_LIMIT_MS } from '../../server/src/engine/parser';
import { sharedEngine } from '../helpers/engine';
import type { ProbeResult } from './scripts/parser-stack-probe';

/** Nesting 5,000 deep that overflowed the JS stack in recursive tree walks, per grammar. */
const DEEP_NESTINGS: [GrammarId, string, string][] = [
  ['dart', '(', ')'], ['dart', 'f(', ')'],
  ['swift', '{', '}'], ['swift', 'f(', ')'],
  ['typescript', '[', ']'], ['typescript', 'f(', ')'], ['javascript', '[', ']'], ['tsx', 'f(', ')'],
];
// A trigger word for every language, so the engine parses and runs every rule.
const PREFIX = '// badCertificateCallback useCredential rejectUnauthorized sha256\n';

/** Audits `text` (not skipped) in less than `limitMs`. */
async function assertAuditedWithin(limitMs: number, grammar: GrammarId, text: string): Promise<void> {
  const engine = await sharedEngine();
  const started = performance.now();
  const result = engine.analyze({ id: `/limit.${grammar}`, relativePath: `limit.${grammar}`, grammar, text });
  const elapsed = performance.now() - started;
  assert.equal(result.skipped, undefined);
  assert.ok(elapsed < limitMs, `${Math.round(elapsed)} ms`);
}

describe('reliability: engine limits', function () {
  this.timeout(60_000);

  it('5,000 nested brackets: no stack overflow, ranges on real lines', async function () {
    const engine = await sharedEngine();
    for (const [grammar, open, close] of DEEP_NESTINGS) {
      const text = `${PREFIX}${open.repeat(5000)}x${close.repeat(5000)}\n`;
      const result = engine.analyze({ id: `/deep.${grammar}`, relativePath: 'deep', grammar, text });
      assert.equal(result.skipped, undefined, `${grammar} ${open}`);
      for (const f of result.findings) assert.ok(f.range.end.line <= 2, `${grammar} ${open}: ${JSON.stringify(f.range)}`);
    }
  });

  it('4,000 nested `a || (` audit in well under 2 s (asking each node for its parent was quadratic)', async function () {
    await assertAuditedWithin(1000, 'typescript', `${PREFIX}${'a || ('.repeat(4000)}x${')'.repeat(4000)}\n`);
  });

  it('a Dart call chain of 3,000 selectors in a certificate callback audits in under 2 s (asking each selector for its siblings was quadratic)', async function () {
    const chain = 'a' + '.b(c)'.repeat(1500);
    // About 0.5 s here, and 8 s when each selector asked for its previous sibling.
    await assertAuditedWithin(2000, 'dart', `void f(HttpClient client) {\n  client.badCertificateCallback = (cert, host, port) {\n    return ${chain} == pinned;\n  };\n}\n`);
  });

  it('a lookup by the name of a MISSING identifier (an empty name) ends', async function () {
    const engine = await sharedEngine();
    // Error recovery inserts a zero-width identifier for the missing name; looking up '' found it
    // at every offset and never moved on (the fuzzer's case 1,625 ran out of memory).
    const text = [
      "import 'dart:io';",
      'HttpClient testClient() {',
      '  final  = HttpClient();',
      '  clients.badCertificateCallback = (cert, host, port) => isPinnedFor(host, cert);',
      '  return client;',
      '}',
      '',
    ].join('\n');
    const result = engine.analyze({ id: '/missing.dart', relativePath: 'missing.dart', grammar: 'dart', text });
    assert.equal(result.skipped, undefined);
  });

  it('a TS constant aliasing a function (`const alias = noCheck`) is followed, not recursed into forever', async function () {
    const engine = await sharedEngine();
    const text = [
      "import * as https from 'node:https';",
      'const noCheck = () => undefined;',
      'const alias = noCheck;',
      'export const agent = new https.Agent({ ca: [], checkServerIdentity: alias });',
      '',
    ].join('\n');
    const { findings } = engine.analyze({ id: '/alias.ts', relativePath: 'alias.ts', grammar: 'typescript', text });
    assert.deepEqual(findings.map((f) => [f.ruleId, f.range.start.line]), [['trust-all-certificates', 3]]);
  });

  it("Swift that overflows tree-sitter's 64 KB C stack parses, deeper input is skipped, and the parser keeps working", function () {
    const probe = path.join(__dirname, 'scripts', 'parser-stack-probe.js');
    const run = spawnSync(process.execPath, [probe], { encoding: 'utf8', timeout: 30_000 });
    assert.equal(run.status, 0, run.stderr);
    const results = JSON.parse(run.stdout) as ProbeResult[];
    const byLabel = new Map(results.map((r) => [r.label, r]));
    assert.deepEqual(byLabel.get('deep'), { label: 'deep', parsed: true, findings: [] });
    assert.match(byLabel.get('deeper')?.skipped ?? JSON.stringify(byLabel.get('deeper')), /^the swift parser failed \(Maximum call stack size exceeded\)$/);
    for (const label of ['after-deep', 'after-deeper']) {
      assert.deepEqual(byLabel.get(label)?.findings, ['trust-all-certificates'], `${label}: ${JSON.stringify(byLabel.get(label))}`);
    }
  });

  it(`a file whose parse takes longer than ${PARSE_TIME_LIMIT_MS} ms is skipped with the reason, well within 2 s`, async function () {
    const engine = await sharedEngine();
    // A statement of 20,000 nested lists: the Dart grammar's recovery takes seconds, even as the
    // first parse of a process (some Swift input is slow only after one).
    const text = `// badCertificateCallback\n${'['.repeat(20_000)}x${']'.repeat(20_000)}\n`;
    const started = performance.now();
    const result = engine.analyze({ id: '/slow.dart', relativePath: 'slow.dart', grammar: 'dart', text });
    const elapsed = performance.now() - started;
    assert.match(result.skipped ?? '', new RegExp(`^parsing took longer than ${PARSE_TIME_LIMIT_MS} ms`));
    assert.deepEqual(result.findings, []);
    assert.ok(elapsed < 2000, `${Math.round(elapsed)} ms`);
    // The parser was reset: the next file parses from scratch.
    const next = engine.analyze({ id: '/next.ts', relativePath: 'next.ts', grammar: 'typescript', text: "new (require('https').Agent)({ rejectUnauthorized: false });\n" });
    assert.deepEqual(next.findings.map((f) => f.ruleId), ['trust-all-certificates']);
  });
});
