/**
 * Fix behaviour beyond single fixtures: the fixes that need input (pin commands, host prompt),
 * shapes that get no fix, the parse check every edit passes, and fix-all over a whole file.
 */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { fixAll } from '../../server/src/fixes/fix-all';
import { fixesFor, validatedFix } from '../../server/src/fixes/index';
import { parseErrorCount } from '../../server/src/fixes/parse-check';
import { sharedEngine } from '../helpers/engine';
import { analyse } from './fix-cases';

/** The fixes offered for the one finding of `rule` in `text` (a file named `name`), "Ignore" left out. */
async function fixTitles(name: string, text: string, rule: string): Promise<{ titles: string[]; inputs: unknown[] }> {
  const engine = await sharedEngine();
  const analysed = analyse(engine, path.join('/virtual', name), text);
  try {
    const findings = analysed.findings.filter((f) => f.ruleId === rule && !f.suppressed);
    assert.equal(findings.length, 1, analysed.findings.map((f) => `${f.ruleId}: ${f.message}`).join('\n'));
    const fixes = fixesFor(analysed.file, findings[0], engine.parsers, { ignore: false });
    return { titles: fixes.map((f) => f.title), inputs: fixes.map((f) => f.input) };
  } finally {
    analysed.dispose();
  }
}

describe('quick fix behaviour', () => {
  describe('fixes that need input', () => {
    it('single-pin: add a backup pin from a new key (preferred), a host or a certificate file, for this pin set', async () => {
      const text = "export const PINS = ['sha256/aM0uY9vY6cVz2pO2weQ2lh61WLUvXkg7iFdb+5tC60Q='];\n";
      const { titles, inputs } = await fixTitles('pins.ts', text, 'single-pin');
      assert.deepEqual(titles, ['Add a backup pin from a new key…', 'Add a backup pin from a host…', 'Add a backup pin from a certificate file…']);
      const range = { start: { line: 0, character: 20 }, end: { line: 0, character: 75 } };
      assert.deepEqual(inputs, [
        { kind: 'backupPinFromNewKey', pinSet: { file: '/virtual/pins.ts', range } },
        { kind: 'backupPinFromHost', pinSet: { file: '/virtual/pins.ts', range } },
        { kind: 'backupPinFromCertificateFile', pinSet: { file: '/virtual/pins.ts', range } },
      ]);
    });

    it('pin-set-expired: the new date is asked for, to replace the old one inside its quotes (Swift) or attribute (Android)', async () => {
      const swift = 'let c: [String: Any] = [kTSKPinnedDomains: ["a.example.com": [\n    kTSKExpirationDate: "2020-01-31",\n    kTSKPublicKeyHashes: ["Iz3Svyl+ZqwA7O0U6CT+XixEZ5x7R9Bs1+NiZ7F7/RQ=", "W1nmedi/mrxFssTR+heT2CSpaJPuRCtNroXr3JHa3EE="],\n]]]\n';
      const inSwift = await fixTitles('Pinning.swift', swift, 'pin-set-expired');
      assert.deepEqual(inSwift.titles, ['Set a new expiration date…'], 'Swift: no removal (the dictionary entry stays)');
      const date = { start: { line: 1, character: 25 }, end: { line: 1, character: 35 } };
      assert.deepEqual(inSwift.inputs, [{ kind: 'newExpirationDate', date: { file: '/virtual/Pinning.swift', range: date }, current: '2020-01-31' }]);
      const nsc = '<network-security-config>\n  <domain-config>\n    <domain>a.example.com</domain>\n    <pin-set expiration="2020-01-31">\n      <pin digest="SHA-256">Iz3Svyl+ZqwA7O0U6CT+XixEZ5x7R9Bs1+NiZ7F7/RQ=</pin>\n      <pin digest="SHA-256">W1nmedi/mrxFssTR+heT2CSpaJPuRCtNroXr3JHa3EE=</pin>\n    </pin-set>\n  </domain-config>\n</network-security-config>\n';
      const inXml = await fixTitles('network_security_config.xml', nsc, 'pin-set-expired');
      assert.deepEqual(inXml.titles, ['Set a new expiration date…', 'Remove the expiration date (pins are checked until the next update)']);
      assert.deepEqual(inXml.inputs[0], { kind: 'newExpirationDate', date: { file: '/virtual/network_security_config.xml', range: { start: { line: 3, character: 25 }, end: { line: 3, character: 35 } } }, current: '2020-01-31' });
    });

    it('invalid-pin: a placeholder is replaced by a pin read from a host', async () => {
      const text = "const PINS = ['sha256/YOUR_PIN_HERE', 'sha256/QIvl5wnKRcNRTn+mHSTvLUlT1nAPbcagd3H0VF7OutM='];\n";
      const { titles, inputs } = await fixTitles('pins.js', text, 'invalid-pin');
      assert.deepEqual(titles, ['Replace with a pin from a host…']);
      assert.deepEqual(inputs, [{ kind: 'replacePinFromHost', replace: { file: '/virtual/pins.js', range: { start: { line: 0, character: 14 }, end: { line: 0, character: 36 } } } }]);
    });

    it('pin-check-ignores-host in Swift and Dart: the host is asked for, with the file\'s pinned host as default', async () => {
      const text = [
        'const _pinsByHost = {',
        "  'api.example.com': ['aM0uY9vY6cVz2pO2weQ2lh61WLUvXkg7iFdb+5tC60Q=', 'QIvl5wnKRcNRTn+mHSTvLUlT1nAPbcagd3H0VF7OutM='],",
        '};',
        "const _pins = {'aM0uY9vY6cVz2pO2weQ2lh61WLUvXkg7iFdb+5tC60Q=', 'QIvl5wnKRcNRTn+mHSTvLUlT1nAPbcagd3H0VF7OutM='};",
        'void f(HttpClient client) {',
        '  client.badCertificateCallback = (cert, host, port) => _pins.contains(spkiSha256(cert));',
        '}',
        '',
      ].join('\n');
      const { titles, inputs } = await fixTitles('client.dart', text, 'pin-check-ignores-host');
      assert.deepEqual(titles, ['Restrict the check to a host…']);
      assert.deepEqual(inputs, [{ kind: 'restrictToHost', range: { start: { line: 5, character: 34 }, end: { line: 5, character: 88 } }, suggestedHost: 'api.example.com' }]);
    });
  });

  describe('debug-only callbacks', () => {
    it('trust-all-certificates: a callback that accepts everything only in debug builds gets the removal, not another debug guard', async () => {
      const text = [
        "import 'dart:io';",
        "import 'package:flutter/foundation.dart';",
        'HttpClient f() {',
        '  final client = HttpClient();',
        '  client.badCertificateCallback = (X509Certificate cert, String host, int port) => kDebugMode;',
        '  return client;',
        '}',
        '',
      ].join('\n');
      const { titles } = await fixTitles('client.dart', text, 'trust-all-certificates');
      assert.deepEqual(titles, ['Remove the badCertificateCallback assignment: the default certificate validation applies again']);
    });
  });

  describe('shapes a fix does not know get no fix', () => {
    const cases: [string, string, string][] = [
      ['a nullable certificate (Dart)', 'cert.dart', "import 'package:crypto/crypto.dart';\nString f(X509Certificate? cert) => sha256.convert(cert?.der ?? const <int>[]).toString();\n"],
      ['a destructured fingerprint (TS)', 'fp.ts', "import * as tls from 'node:tls';\nconst PINS = ['AA'];\nexport function f(socket: tls.TLSSocket) {\n  const { fingerprint256 } = socket.getPeerCertificate();\n  if (!PINS.includes(fingerprint256)) socket.destroy();\n}\n"],
      ['a certificate compared as bytes (TS)', 'raw.ts', "import type { PeerCertificate } from 'node:tls';\nexport const f = (cert: PeerCertificate, pinned: Buffer) => cert.raw.equals(pinned);\n"],
    ];
    for (const [what, name, text] of cases) {
      it(what, async () => {
        const { titles } = await fixTitles(name, text, 'full-certificate-hash');
        assert.deepEqual(titles, []);
      });
    }

    it('a CommonCrypto hash of a raw key (Swift)', async () => {
      const text = [
        'import CommonCrypto',
        'func pin(_ key: SecKey, pins: Set<String>) -> Bool {',
        '    guard let keyData = SecKeyCopyExternalRepresentation(key, nil) as Data? else { return false }',
        '    var digest = [UInt8](repeating: 0, count: Int(CC_SHA256_DIGEST_LENGTH))',
        '    keyData.withUnsafeBytes { _ = CC_SHA256($0.baseAddress, CC_LONG(keyData.count), &digest) }',
        '    return pins.contains(Data(digest).base64EncodedString())',
        '}',
        '',
      ].join('\n');
      const { titles } = await fixTitles('Pin.swift', text, 'raw-public-key-hash');
      assert.deepEqual(titles, []);
    });

    it('a secureConnect handler (TS), which has no host parameter', async () => {
      const text = [
        "import * as tls from 'node:tls';",
        "const PINS = ['aM0uY9vY6cVz2pO2weQ2lh61WLUvXkg7iFdb+5tC60Q='];",
        "const socket = tls.connect({ host: 'a.example.com', port: 443, rejectUnauthorized: false }, () => {",
        '  if (!PINS.includes(socket.getPeerCertificate().fingerprint256)) socket.destroy();',
        '});',
        '',
      ].join('\n');
      const { titles } = await fixTitles('connect.ts', text, 'pin-check-ignores-host');
      assert.deepEqual(titles, []);
    });
  });

  describe('Ignore on this line', () => {
    it('is not offered where the line starts inside a string, where the comment would become text', async () => {
      const engine = await sharedEngine();
      const text = "import * as https from 'node:https';\nexport const report = `agent: ${\n  new https.Agent({ rejectUnauthorized: false }).options}`;\nconst note = `\n${new https.Agent({ rejectUnauthorized: false })}`;\n";
      const analysed = analyse(engine, '/virtual/report.ts', text);
      try {
        const [inCode, inString] = analysed.findings.filter((f) => f.ruleId === 'trust-all-certificates');
        const titles = (f: typeof inCode) => fixesFor(analysed.file, f, engine.parsers).map((x) => x.title);
        assert.equal(inCode.range.start.line, 2);
        assert.ok(titles(inCode).includes('Ignore trust-all-certificates on this line'));
        assert.equal(inString.range.start.line, 4);
        assert.ok(!titles(inString).includes('Ignore trust-all-certificates on this line'), titles(inString).join(' | '));
      } finally {
        analysed.dispose();
      }
    });
  });

  describe('the parse check', () => {
    it('refuses an edit that adds a syntax error and keeps one that does not', async () => {
      const engine = await sharedEngine();
      const analysed = analyse(engine, '/virtual/a.ts', 'export const a = { x: 1 };\n');
      try {
        assert.equal(validatedFix(analysed.file, engine.parsers, { title: 'broken', preferred: true, edits: [{ start: 19, end: 19, text: '(' }] }), undefined);
        const fine = validatedFix(analysed.file, engine.parsers, { title: 'fine', preferred: true, edits: [{ start: 22, end: 23, text: '2' }] });
        assert.deepEqual(fine?.edits, [{ range: { start: { line: 0, character: 22 }, end: { line: 0, character: 23 } }, newText: '2' }]);
      } finally {
        analysed.dispose();
      }
    });
  });

  describe('fix-all', () => {
    const dart = [
      "import 'dart:io';",
      '',
      "import 'package:crypto/crypto.dart';",
      '',
      "const _pins = {'aM0uY9vY6cVz2pO2weQ2lh61WLUvXkg7iFdb+5tC60Q=', 'aM0uY9vY6cVz2pO2weQ2lh61WLUvXkg7iFdb+5tC60Q=', 'QIvl5wnKRcNRTn+mHSTvLUlT1nAPbcagd3H0VF7OutM='};",
      '',
      'HttpClient pinned() {',
      '  final client = HttpClient();',
      "  client.badCertificateCallback = (cert, host, port) => host == 'api.example.com' && _pins.contains(sha256.convert(cert.der).toString());",
      '  return client;',
      '}',
      '',
      'bool sha1Pinned(X509Certificate cert) => _pins.contains(sha256.convert(utf8.encode(cert.pem)).toString());',
      '',
      'HttpClient insecure() => HttpClient()..badCertificateCallback = (cert, host, port) => true;',
      '',
    ].join('\n');

    it('applies every preferred edit, one at a time, sharing imports and the helper', async () => {
      const engine = await sharedEngine();
      const input = { id: '/virtual/client.dart', relativePath: 'lib/client.dart', grammar: 'dart' as const, text: dart };
      const result = fixAll(engine, input);
      assert.deepEqual(result.applied.map((a) => a.ruleId).sort(), [
        'full-certificate-hash', 'full-certificate-hash', 'invalid-pin', 'pin-check-bypassed-by-trusted-ca', 'trust-all-certificates',
      ]);
      assert.ok(result.parsesCleanly);
      assert.equal(result.text.match(/Uint8List _subjectPublicKeyInfo\(/g)?.length, 1, 'one helper for both hashes');
      assert.equal(result.text.match(/import 'package:asn1lib\/asn1lib\.dart';/g)?.length, 1, 'one import');

      const tree = engine.parsers.parse('dart', result.text);
      try {
        assert.equal(parseErrorCount(tree), 0);
        const left = engine.analyze({ ...input, text: result.text, tree }).findings.map((f) => f.ruleId);
        assert.deepEqual(left, [], 'nothing left that a fix without input could fix');
      } finally {
        tree.delete();
      }
      assert.deepEqual(fixAll(engine, { ...input, text: result.text }).applied, [], 'a second run changes nothing');
    });

    it('leaves notes, suppressed findings and turned-off rules alone', async () => {
      const engine = await sharedEngine();
      const text = [
        "import * as https from 'node:https';",
        "if (process.env.NODE_ENV === 'development') {",
        '  https.globalAgent.options.rejectUnauthorized = false;',
        '}',
        '// pinning-audit-ignore-next-line trust-all-certificates -- local proxy',
        'export const proxied = new https.Agent({ rejectUnauthorized: false });',
        'export const agent = new https.Agent({ rejectUnauthorized: false });',
        '',
      ].join('\n');
      const input = { id: '/virtual/a.ts', relativePath: 'src/a.ts', grammar: 'typescript' as const, text };
      assert.deepEqual(fixAll(engine, input, { rules: { 'trust-all-certificates': 'off' } }).applied, []);
      const result = fixAll(engine, input);
      assert.equal(result.applied.length, 1);
      assert.equal(result.text, text.replace("export const agent = new https.Agent({ rejectUnauthorized: false });", 'export const agent = new https.Agent({});'));
    });
  });
});
