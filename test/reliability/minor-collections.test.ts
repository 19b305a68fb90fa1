/**
 * An analysis must leave nothing alive once it returns: an editor analyses a large file after
 * each keystroke, and what outlives V8's minor collections is copied and then promoted, which
 * made those collections take 4–12 ms in the middle of edits (bench/README.md, round 8; the
 * cause was object literals with a getter or a method made per rule and per call). Measured in
 * bytes, not time: the old generation's growth over analyses each followed by a minor collection.
 */
import * as assert from 'node:assert/strict';
import * as v8 from 'node:v8';
import type { Engine } from '../../server/src/engine/analyze';
import { parseSyntax } from '../../server/src/engine/syntax';
import { collector } from '../helpers/collector';
import { sharedEngine } from '../helpers/engine';

function oldSpaceUsed(): number {
  return v8.getHeapSpaceStatistics().find((s) => s.space_name === 'old_space')!.space_used_size;
}

/** The benchmark's large-class shape: pinning code at the top, then one class of many members that name a hash. */
function largeDartClass(members: number): string {
  const body = Array.from({ length: members }, (_, i) => [
    `  /// Checks the account's hashedPassword (${i}).`,
    `  bool matchesHashedPassword${i}(String input) {`,
    `    final candidate = _crypto.sha256('$input:\${_session.salt}');`,
    `    _log('checking hashedPassword for \${_session.userId}: \${input.length} characters');`,
    `    return candidate == hashedPassword || input == id;`,
    '  }',
    '',
  ].join('\n')).join('\n');
  return [
    "import 'dart:convert';",
    "import 'dart:io';",
    "import 'package:crypto/crypto.dart';",
    '',
    'class CertificatePins {',
    "  static const List<String> pins = ['jef6vpDBdUAeonZ4vbPO6QIoJB0IvDppAwh+c3xJX74='];",
    '}',
    '',
    'HttpClient createPinnedClient() {',
    '  final client = HttpClient(context: SecurityContext(withTrustedRoots: false));',
    '  client.badCertificateCallback = (X509Certificate cert, String host, int port) {',
    '    final digest = base64.encode(sha256.convert(cert.der).bytes);',
    '    return CertificatePins.pins.contains(digest);',
    '  };',
    '  return client;',
    '}',
    '',
    'class AccountController {',
    "  String hashedPassword = '';",
    "  String id = '';",
    body,
    '}',
    '',
  ].join('\n');
}

/** Bytes the old generation grew by per analysis of `text`, each analysis followed by a minor collection. */
function promotedPerAnalysis(engine: Engine, text: string, analyses: number): number {
  const gc = collector();
  const analyse = () => {
    const tree = parseSyntax(engine.parsers, 'dart', text);
    try {
      const result = engine.analyze({ id: '/controller.dart', relativePath: 'controller.dart', grammar: 'dart', text, tree });
      assert.ok(result.findings.length > 0);
    } finally {
      tree.delete();
    }
  };
  for (let i = 0; i < 5; i++) analyse(); // compiled, caches filled
  gc({ type: 'major' });
  const before = oldSpaceUsed();
  for (let i = 0; i < analyses; i++) {
    analyse();
    gc({ type: 'minor' });
  }
  return (oldSpaceUsed() - before) / analyses;
}

describe('what analyses leave to the garbage collector', function () {
  this.timeout(120_000);

  it('an analysis of a large class leaves little for a minor collection to keep', async () => {
    const engine = await sharedEngine();
    const text = largeDartClass(800);
    // The least of three measures: a collection the allocations start on their own adds to one.
    const promoted = Math.min(...[1, 2, 3].map(() => promotedPerAnalysis(engine, text, 20)));
    // With the object literals: 115 KB per analysis, and 30–37 KB with the Dart calls' literal
    // alone; without them, 1.4–2.2 KB.
    assert.ok(promoted < 20 * 1024, `the old generation grew by ${(promoted / 1024).toFixed(1)} KB per analysis`);
  });
});
