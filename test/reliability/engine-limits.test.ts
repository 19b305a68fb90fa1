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
import { sharedEngine, STOPPED, withClock } from '../helpers/engine';
import { countNodeLookups, type NodeLookups } from '../helpers/node-calls';
import type { ProbeResult } from './scripts/parser-stack-probe';

/** Nesting 5,000 deep that overflowed the JS stack in recursive tree walks, per grammar. */
const DEEP_NESTINGS: [GrammarId, string, string][] = [
  ['dart', '(', ')'], ['dart', 'f(', ')'],
  ['swift', '{', '}'], ['swift', 'f(', ')'],
  ['typescript', '[', ']'], ['typescript', 'f(', ')'], ['javascript', '[', ']'], ['tsx', 'f(', ')'],
];
// A trigger word for every language, so the engine parses and runs every rule.
const PREFIX = '// badCertificateCallback useCredential rejectUnauthorized sha256\n';

/**
 * The node look-ups of auditing `text` (not skipped). Compared across two sizes of the same input,
 * they show how the work grows, which a duration shows only on an idle machine.
 */
async function auditLookups(grammar: GrammarId, text: string): Promise<NodeLookups> {
  const engine = await sharedEngine();
  const input = { id: `/limit.${grammar}`, relativePath: `limit.${grammar}`, grammar, text };
  const { value: result, lookups } = withClock(STOPPED, () => countNodeLookups(() => engine.analyze(input)));
  assert.equal(result.skipped, undefined);
  return lookups;
}

/**
 * Twice the input costs at most twice the look-ups and the reads of node types, and no more walks
 * from the root than the input half its size: each of those costs the node's depth (or its place
 * among its siblings), so one per node is quadratic.
 */
function assertLinear(small: NodeLookups, large: NodeLookups): void {
  const detail = `${JSON.stringify(small.byMember)} → ${JSON.stringify(large.byMember)}`;
  assert.ok(large.fromRoot <= small.fromRoot, `walks from the root grew with the input: ${small.fromRoot} → ${large.fromRoot}; ${detail}`);
  assert.ok(large.total <= 2.2 * small.total, `look-ups grew faster than the input: ${small.total} → ${large.total}; ${detail}`);
  assert.ok(large.typeReads <= 2.2 * small.typeReads, `type reads grew faster than the input: ${small.typeReads} → ${large.typeReads}`);
}

describe('reliability: engine limits', function () {
  this.timeout(60_000);

  it('5,000 nested brackets: no stack overflow, ranges on real lines', async function () {
    const engine = await sharedEngine();
    for (const [grammar, open, close] of DEEP_NESTINGS) {
      const text = `${PREFIX}${open.repeat(5000)}x${close.repeat(5000)}\n`;
      const result = withClock(STOPPED, () => engine.analyze({ id: `/deep.${grammar}`, relativePath: 'deep', grammar, text }));
      assert.equal(result.skipped, undefined, `${grammar} ${open}`);
      for (const f of result.findings) assert.ok(f.range.end.line <= 2, `${grammar} ${open}: ${JSON.stringify(f.range)}`);
    }
  });

  it('4,000 nested `a || (` cost no more node look-ups than 2,000 (asking each node for its parent was quadratic)', async function () {
    const nested = (n: number) => `${PREFIX}${'a || ('.repeat(n)}x${')'.repeat(n)}\n`;
    assertLinear(await auditLookups('typescript', nested(2000)), await auditLookups('typescript', nested(4000)));
  });

  it('a Dart call chain in a certificate callback: 3,000 selectors cost twice the look-ups and type reads of 1,500 (asking each selector for its siblings was quadratic; walking back from each call to its receiver, cubic)', async function () {
    // 8 s for 3,000 selectors when each asked for its previous sibling.
    const callback = (selectors: number) =>
      `void f(HttpClient client) {\n  client.badCertificateCallback = (cert, host, port) {\n    return a${'.b(c)'.repeat(selectors / 2)} == pinned;\n  };\n}\n`;
    assertLinear(await auditLookups('dart', callback(1500)), await auditLookups('dart', callback(3000)));
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

  it(`a file whose parse takes longer than ${PARSE_TIME_LIMIT_MS} ms is skipped with the reason, as soon as the clock passes the limit`, async function () {
    const engine = await sharedEngine();
    // A statement of 20,000 nested lists: the Dart grammar's recovery takes seconds, even as the
    // first parse of a process (some Swift input is slow only after one).
    const text = `// badCertificateCallback\n${'['.repeat(20_000)}x${']'.repeat(20_000)}\n`;
    // A clock that moves 1 ms each time it is read. The parse reads it from tree-sitter's progress
    // and input callbacks, so the limit falls after a fixed amount of parse work, whatever the
    // machine is doing; this input's whole parse reads it about 170,000 times.
    let reads = 0;
    // The process's CPU time moves with it (read without moving it: only the wall clock's reads are counted).
    const result = withClock(() => reads++, () => engine.analyze({ id: '/slow.dart', relativePath: 'slow.dart', grammar: 'dart', text }), () => reads);
    assert.match(result.skipped ?? '', new RegExp(`^parsing took longer than ${PARSE_TIME_LIMIT_MS} ms`));
    assert.deepEqual(result.findings, []);
    assert.ok(reads > PARSE_TIME_LIMIT_MS, `the clock was read ${reads} times: the limit did not end the parse`);
    assert.ok(reads <= PARSE_TIME_LIMIT_MS + 3, `the parse went on for ${reads - PARSE_TIME_LIMIT_MS} clock reads past its limit`);
    // The parser was reset: the next file parses from scratch.
    const next = engine.analyze({ id: '/next.ts', relativePath: 'next.ts', grammar: 'typescript', text: "new (require('https').Agent)({ rejectUnauthorized: false });\n" });
    assert.deepEqual(next.findings.map((f) => f.ruleId), ['trust-all-certificates']);
  });

  it('a parse on a machine too busy to run the process is not cut: past the deadline, half the limit in CPU time is needed too', async function () {
    const engine = await sharedEngine();
    const text = 'let session = URLSession(configuration: .default, delegate: nil, delegateQueue: nil)\n'.repeat(40) +
      'func urlSession(_ s: URLSession, didReceive c: URLAuthenticationChallenge, completionHandler: @escaping (URLSession.AuthChallengeDisposition, URLCredential?) -> Void) {\n' +
      '  completionHandler(.useCredential, URLCredential(trust: c.protectionSpace.serverTrust!))\n}\n';
    const analyze = () => engine.analyze({ id: '/busy.swift', relativePath: 'busy.swift', grammar: 'swift', text });
    const expected = withClock(STOPPED, analyze).findings.map((f) => f.ruleId);
    assert.ok(expected.includes('trust-all-certificates'), expected.join());
    // Each read of the wall clock a second later; the process's CPU time standing still, then moving as fast.
    let wall = 0;
    const starved = withClock(() => (wall += 1000), analyze, STOPPED);
    assert.equal(starved.skipped, undefined);
    assert.deepEqual(starved.findings.map((f) => f.ruleId), expected);
    let both = 0;
    const slow = withClock(() => (both += 1000), analyze);
    assert.match(slow.skipped ?? '', new RegExp(`^parsing took longer than ${PARSE_TIME_LIMIT_MS} ms`));
  });

  it('parses that begin within 50 ms of the last reading of the CPU time take that reading: getrusage is slow while other threads run', async function () {
    const engine = await sharedEngine();
    let now = 0;
    let cpuReads = 0;
    const parseAt = (at: number, index: number) => {
      now = at;
      const result = engine.analyze({ id: `/agent${index}.ts`, relativePath: `agent${index}.ts`, grammar: 'typescript', text: "new (require('https').Agent)({ rejectUnauthorized: false });\n" });
      assert.deepEqual(result.findings.map((f) => f.ruleId), ['trust-all-certificates']);
    };
    const readsAt = (times: number[]) => withClock(() => now, () => {
      cpuReads = 0;
      times.forEach(parseAt);
      return cpuReads;
    }, () => ++cpuReads);
    // Read at 0, taken at 10 and 50; read again at 101 (too old) and at 40 (a reading from its future), taken at 45.
    assert.equal(readsAt([0, 10, 50]), 1);
    assert.equal(readsAt([0, 10, 50, 101, 40, 45]), 3);
  });
});
