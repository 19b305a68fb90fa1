import * as assert from 'node:assert/strict';
import type { GrammarId } from '../../server/src/engine/languages';
import type { PinSet } from '../../server/src/engine/workspace';
import { insertPinEdits, type InsertPinOutcome } from '../../server/src/pins/insert-pin';
import { replacePinEdits } from '../../server/src/pins/replace-pin';
import { applyEdits, pinSetsOf, randomPin, withParsed } from './edit-helpers';

const A = 'rRIWCfZp0tPPw1BxSzH7ognw+k0qFCuKOkXXtYVaclg=';
const B = 'Ho3gEv5En2rTd9p7RYjHsmhVUxZm36TPma0xTGwmtK4=';

/** Inserts `pin` into the set `pick` chooses and returns the outcome and the new text. */
async function insert(grammar: GrammarId, text: string, pin: string, pick: (sets: PinSet[]) => PinSet | undefined, host?: string) {
  return withParsed(grammar, text, (parsed) => {
    const set = pick(parsed.pinSets);
    assert.ok(set, `a pin set to insert into among ${JSON.stringify(parsed.pinSets.map((s) => s.name))}`);
    const outcome = insertPinEdits(parsed, set, pin, host);
    return { outcome, text: outcome.kind === 'edits' ? applyEdits(text, outcome.edits) : text };
  });
}

function edits(outcome: InsertPinOutcome): void {
  assert.equal(outcome.kind, 'edits', JSON.stringify(outcome));
}

const byName = (name: string) => (sets: PinSet[]) => sets.find((s) => s.name === name);
const byHost = (host: string) => (sets: PinSet[]) => sets.find((s) => s.host === host);

describe('pins: inserting a pin into a pin set', () => {
  describe('Dart', () => {
    const hostMap = [
      'const Map<String, Set<String>> spkiPinsByHost = {',
      "  'api.example.com': {",
      `    '${A}', // current key`,
      `    '${B}', // backup key`,
      '  },',
      '};',
      '',
    ].join('\n');

    it("appends to the host's entry on a new line after the last pin's comment, keeping quotes, indentation and trailing comma", async () => {
      const pin = randomPin();
      const { outcome, text } = await insert('dart', hostMap, pin, byHost('api.example.com'), 'api.example.com');
      edits(outcome);
      assert.equal(text, hostMap.replace('// backup key\n', `// backup key\n    '${pin}',\n`));
      const set = (await pinSetsOf('dart', text)).find((s) => s.host === 'api.example.com')!;
      assert.deepEqual(set.pins.map((p) => p.value), [A, B, pin]);
    });

    it('creates the entry of a host the map lacks, shaped like its sibling', async () => {
      const pin = randomPin();
      const { outcome, text } = await insert('dart', hostMap, pin, byHost('api.example.com'), 'cdn.example.com');
      edits(outcome);
      assert.equal(outcome.kind === 'edits' && outcome.createdHostEntry, true);
      assert.equal(text, hostMap.replace('  },\n};', `  },\n  'cdn.example.com': {\n    '${pin}',\n  },\n};`));
      const sets = await pinSetsOf('dart', text);
      assert.deepEqual(sets.find((s) => s.host === 'cdn.example.com')?.pins.map((p) => p.value), [pin]);
      assert.equal(sets.find((s) => s.host === 'cdn.example.com')?.name, 'spkiPinsByHost[cdn.example.com]');
    });

    it('adds to an existing entry of the asked host when given another entry of the same map', async () => {
      const withCdn = hostMap.replace('};', `  'cdn.example.com': {'${A}'},\n};`);
      const pin = randomPin();
      const { outcome, text } = await insert('dart', withCdn, pin, byHost('api.example.com'), 'cdn.example.com');
      edits(outcome);
      assert.ok(text.includes(`'cdn.example.com': {'${A}', '${pin}'},`), text);
    });

    it('appends a literal after constant references, quoted like the constants', async () => {
      const source = [
        'class SslPins {',
        `  static const String primary = "${A}";`,
        `  static const String backup = "${B}";`,
        '  static const List<String> all = [primary, backup];',
        '}',
        '',
      ].join('\n');
      const pin = randomPin();
      const { outcome, text } = await insert('dart', source, pin, byName('all'));
      edits(outcome);
      assert.ok(text.includes(`static const List<String> all = [primary, backup, "${pin}"];`), text);
    });

    it('keeps CRLF line endings', async () => {
      const source = hostMap.replace(/\n/g, '\r\n');
      const pin = randomPin();
      const { outcome, text } = await insert('dart', source, pin, byHost('api.example.com'), 'api.example.com');
      edits(outcome);
      assert.equal(text, source.replace('// backup key\r\n', `// backup key\r\n    '${pin}',\r\n`));
      assert.ok(!/[^\r]\n/.test(text), 'no bare LF');
      const created = await insert('dart', source, pin, byHost('api.example.com'), 'cdn.example.com');
      assert.ok(created.text.includes(`  'cdn.example.com': {\r\n    '${pin}',\r\n  },\r\n};`), JSON.stringify(created.text));
      assert.ok(!/[^\r]\n/.test(created.text), 'no bare LF in a created entry');
    });

    it('adds nothing when the set already holds the pin, in any notation', async () => {
      const { outcome } = await insert('dart', hostMap, B, byHost('api.example.com'), 'api.example.com');
      assert.equal(outcome.kind, 'present');
      const hex = Buffer.from(A, 'base64').toString('hex');
      const hexSet = `const Set<String> certPins = {'${hex}', '${Buffer.from(B, 'base64').toString('hex')}'};\n`;
      assert.equal((await insert('dart', hexSet, A, byName('certPins'))).outcome.kind, 'present');
    });

    it('is idempotent: inserting the same pin into the result changes nothing', async () => {
      const pin = randomPin();
      const first = await insert('dart', hostMap, pin, byHost('api.example.com'), 'cdn.example.com');
      const second = await insert('dart', first.text, pin, byHost('api.example.com'), 'cdn.example.com');
      assert.equal(second.outcome.kind, 'present');
    });
  });

  describe('Swift', () => {
    it("appends to a TrustKit domain's kTSKPublicKeyHashes, the set the library ties to that domain", async () => {
      const source = [
        'let configuration: [String: Any] = [',
        '    kTSKPinnedDomains: [',
        '        "api.example.com": [',
        '            kTSKEnforcePinning: true,',
        '            kTSKPublicKeyHashes: [',
        `                "${A}",`,
        '            ],',
        '        ],',
        '    ],',
        ']',
        '',
      ].join('\n');
      const pin = randomPin();
      const { outcome, text } = await insert('swift', source, pin, byHost('api.example.com'), 'api.example.com');
      edits(outcome);
      assert.equal(text, source.replace(`"${A}",\n`, `"${A}",\n                "${pin}",\n`));
      const set = (await pinSetsOf('swift', text)).find((s) => s.host === 'api.example.com')!;
      assert.deepEqual([set.library, set.pins.map((p) => p.value)], ['trustkit', [A, pin]]);
    });

    it('appends inline to a one-line entry and creates a missing host entry in the dictionary', async () => {
      const source = [
        'enum PinnedKeys {',
        '    static let byHost: [String: Set<String>] = [',
        `        "api.example.com": ["${A}", "${B}"],`,
        '    ]',
        '}',
        '',
      ].join('\n');
      const pin = randomPin();
      const appended = await insert('swift', source, pin, byHost('api.example.com'), 'api.example.com');
      edits(appended.outcome);
      assert.ok(appended.text.includes(`"api.example.com": ["${A}", "${B}", "${pin}"],`), appended.text);

      const created = await insert('swift', source, pin, byHost('api.example.com'), 'cdn.example.com');
      edits(created.outcome);
      assert.equal(created.text, source.replace(`"${B}"],\n`, `"${B}"],\n        "cdn.example.com": ["${pin}"],\n`));
      const sets = await pinSetsOf('swift', created.text);
      assert.deepEqual(sets.find((s) => s.host === 'cdn.example.com')?.pins.map((p) => p.value), [pin]);
    });

    it('appends to a multi-line array with four-space indentation', async () => {
      const source = ['enum PinnedKeys {', '    static let api: [String] = [', `        "${A}",`, `        "${B}"`, '    ]', '}', ''].join('\n');
      const pin = randomPin();
      const { outcome, text } = await insert('swift', source, pin, byName('api'));
      edits(outcome);
      assert.equal(text, source.replace(`"${B}"\n`, `"${B}",\n        "${pin}"\n`));
    });

    it('extends a comparison chain with one more == operand', async () => {
      const source = [
        `let kCurrent = "${A}"`,
        `let kBackup = "${B}"`,
        'func isPinned(_ hash: String) -> Bool {',
        '    return hash == kCurrent || hash == kBackup',
        '}',
        '',
      ].join('\n');
      const pin = randomPin();
      const { outcome, text } = await insert('swift', source, pin, (sets) => sets.find((s) => s.kind === 'comparison'));
      edits(outcome);
      assert.ok(text.includes(`return hash == kCurrent || hash == kBackup || hash == "${pin}"\n`), text);
      const set = (await pinSetsOf('swift', text)).find((s) => s.kind === 'comparison')!;
      assert.deepEqual(set.pins.map((p) => p.value), [A, B, pin]);
    });
  });

  describe('TypeScript', () => {
    it("keeps the set's sha256/ prefix and single quotes", async () => {
      const source = `export const pins: Record<string, readonly string[]> = {\n  'api.example.com': ['sha256/${A}', 'sha256/${B}'],\n};\n`;
      const pin = randomPin();
      const { outcome, text } = await insert('typescript', source, pin, byHost('api.example.com'), 'api.example.com');
      edits(outcome);
      assert.ok(text.includes(`['sha256/${A}', 'sha256/${B}', 'sha256/${pin}'],`), text);
    });

    it('creates a host entry inside a new Set([...]) wrapper, double quotes kept', async () => {
      const source = `export const PINS = {\n  "api.example.com": new Set(["${A}", "${B}"]),\n};\n`;
      const pin = randomPin();
      const { outcome, text } = await insert('typescript', source, pin, byHost('api.example.com'), 'auth.example.com');
      edits(outcome);
      assert.equal(text, source.replace('\n};', `\n  "auth.example.com": new Set(["${pin}"]),\n};`));
      const sets = await pinSetsOf('typescript', text);
      assert.deepEqual(sets.find((s) => s.host === 'auth.example.com')?.pins.map((p) => p.value), [pin]);
    });

    it('writes hex for a set written in hex', async () => {
      const hexA = Buffer.from(A, 'base64').toString('hex').toUpperCase();
      const hexB = Buffer.from(B, 'base64').toString('hex').toUpperCase();
      const source = `export const spkiHexPins = ['${hexA}', '${hexB}'];\n`;
      const pin = randomPin();
      const { outcome, text } = await insert('typescript', source, pin, byName('spkiHexPins'));
      edits(outcome);
      assert.ok(text.includes(`'${hexB}', '${Buffer.from(pin, 'base64').toString('hex').toUpperCase()}']`), text);
    });

    it('parenthesizes a comparison that sits inside a larger condition', async () => {
      const source = [
        `const CURRENT_PIN = '${A}';`,
        `const BACKUP_PIN = '${B}';`,
        'export const ok = (pin: string, strict: boolean) => strict && pin === CURRENT_PIN || pin === BACKUP_PIN;',
        'export const matches = (pin: string) => pin === CURRENT_PIN || pin === BACKUP_PIN;',
        '',
      ].join('\n');
      const pin = randomPin();
      const plain = await insert('typescript', source, pin, (sets) => sets.filter((s) => s.kind === 'comparison').at(-1));
      edits(plain.outcome);
      assert.ok(plain.text.includes(`(pin: string) => pin === CURRENT_PIN || pin === BACKUP_PIN || pin === '${pin}';`), plain.text);

      const nested = `const CURRENT_PIN = '${A}';\nexport const ok = (pin: string, strict: boolean) => strict && pin === CURRENT_PIN;\n`;
      const wrapped = await insert('typescript', nested, pin, (sets) => sets.find((s) => s.kind === 'comparison'));
      edits(wrapped.outcome);
      assert.ok(wrapped.text.includes(`strict && (pin === CURRENT_PIN || pin === '${pin}');`), wrapped.text);
    });

    it('refuses a != chain instead of inverting its meaning', async () => {
      const source = `const KEY_PIN = '${A}';\nexport const reject = (pin: string) => pin !== KEY_PIN;\n`;
      const { outcome } = await insert('typescript', source, randomPin(), (sets) => sets.find((s) => s.kind === 'comparison'));
      assert.equal(outcome.kind, 'unsupported');
    });

    it('puts a new line before a closing bracket that shares the last pin\'s line', async () => {
      const source = `export const pins = [\n  '${A}',\n  '${B}'];\n`;
      const pin = randomPin();
      const { outcome, text } = await insert('typescript', source, pin, byName('pins'));
      edits(outcome);
      assert.equal(text, `export const pins = [\n  '${A}',\n  '${B}',\n  '${pin}'];\n`);
    });
  });
  describe('a backup key\'s pin, with the comment that records it', () => {
    const note = 'backup key ~/.pinning-audit/keys/app/api.key.pem, created 2026-12-04';
    const cases: [string, GrammarId, string, (text: string, pin: string) => string][] = [
      ['Dart, one pin per line', 'dart', `const pins = [\n  '${A}', // current\n];\n`, (t, pin) => t.replace('// current\n', `// current\n  '${pin}', // ${note}\n`)],
      ['TS, inline', 'typescript', `export const pins = ['${A}'];\n`, (t, pin) => t.replace(`'${A}'`, `'${A}', '${pin}' /* ${note} */`)],
      ['Swift, the bracket on the last pin\'s line', 'swift', `let pins = [\n    "${A}"]\n`, (t, pin) => t.replace(`"${A}"]`, `"${A}",\n    "${pin}" /* ${note} */]`)],
      ['Android', 'xml', `<network-security-config>\n  <domain-config>\n    <domain>a.example.com</domain>\n    <pin-set>\n      <pin digest="SHA-256">${A}</pin>\n    </pin-set>\n  </domain-config>\n</network-security-config>\n`,
        (t, pin) => t.replace(`${A}</pin>\n`, `${A}</pin>\n      <pin digest="SHA-256">${pin}</pin> <!-- ${note} -->\n`)],
    ];
    for (const [what, grammar, text, expected] of cases) {
      it(`${what}: the comment follows the pin, and the set reads it back as a backup`, async () => {
        const pin = randomPin();
        const result = await withParsed(grammar, text, (parsed) => insertPinEdits(parsed, parsed.pinSets[0], pin, undefined, note));
        edits(result);
        const after = applyEdits(text, result.kind === 'edits' ? result.edits : []);
        assert.equal(after, expected(text, pin));
        const [set] = await pinSetsOf(grammar, after);
        assert.deepEqual(set.pins.map((p) => p.backup === true), [false, true]);
      });
    }

    it('keeps `--` out of an XML comment and `*/` out of a block comment', async () => {
      const xml = cases[3][2];
      const pin = randomPin();
      const result = await withParsed('xml', xml, (parsed) => insertPinEdits(parsed, parsed.pinSets[0], pin, undefined, 'backup key /tmp/a--b.key.pem -'));
      assert.match(applyEdits(xml, result.kind === 'edits' ? result.edits : []), /<!-- backup key \/tmp\/a-b\.key\.pem -->/);
      const ts = cases[1][2];
      const inTs = await withParsed('typescript', ts, (parsed) => insertPinEdits(parsed, parsed.pinSets[0], pin, undefined, 'backup */ x'));
      assert.match(applyEdits(ts, inTs.kind === 'edits' ? inTs.edits : []), /\/\* backup \* \/ x \*\//);
    });
  });

  describe('platform configs', () => {
    const nsc = [
      '<?xml version="1.0" encoding="utf-8"?>',
      '<network-security-config>',
      '    <domain-config>',
      '        <domain includeSubdomains="true">api.example.com</domain>',
      '        <pin-set expiration="2028-01-01">',
      `            <pin digest="SHA-256">${A}</pin>`,
      '        </pin-set>',
      '    </domain-config>',
      '</network-security-config>',
      '',
    ].join('\n');

    it('appends <pin digest="SHA-256"> to the <pin-set>, in its indentation', async () => {
      const pin = randomPin();
      const { outcome, text } = await insert('xml', nsc, pin, byHost('api.example.com'), 'api.example.com');
      edits(outcome);
      assert.equal(text, nsc.replace(`${A}</pin>\n`, `${A}</pin>\n            <pin digest="SHA-256">${pin}</pin>\n`));
      assert.deepEqual((await pinSetsOf('xml', text)).find((s) => s.host === 'api.example.com')?.pins.map((p) => p.value), [A, pin]);
    });

    it('adds nothing when the set holds the pin, and a new <domain-config> for a host without one', async () => {
      assert.equal((await insert('xml', nsc, A, byHost('api.example.com'))).outcome.kind, 'present');
      const pin = randomPin();
      const { outcome, text } = await insert('xml', nsc, pin, byHost('api.example.com'), 'cdn.example.com');
      edits(outcome);
      assert.equal(outcome.kind === 'edits' && outcome.createdHostEntry, true);
      assert.equal(text, nsc.replace('    </domain-config>\n', [
        '    </domain-config>',
        '    <domain-config>',
        '        <domain includeSubdomains="true">cdn.example.com</domain>',
        '        <pin-set>',
        `            <pin digest="SHA-256">${pin}</pin>`,
        '        </pin-set>',
        '    </domain-config>',
        '',
      ].join('\n')));
    });

    const ats = [
      '<plist version="1.0">',
      '<dict>',
      '\t<key>NSAppTransportSecurity</key>',
      '\t<dict>',
      '\t\t<key>NSPinnedDomains</key>',
      '\t\t<dict>',
      '\t\t\t<key>api.example.com</key>',
      '\t\t\t<dict>',
      '\t\t\t\t<key>NSPinnedCAIdentities</key>',
      '\t\t\t\t<array>',
      '\t\t\t\t\t<dict>',
      '\t\t\t\t\t\t<key>SPKI-SHA256-BASE64</key>',
      `\t\t\t\t\t\t<string>${A}</string>`,
      '\t\t\t\t\t</dict>',
      '\t\t\t\t</array>',
      '\t\t\t</dict>',
      '\t\t</dict>',
      '\t</dict>',
      '</dict>',
      '</plist>',
      '',
    ].join('\n');

    it('appends an SPKI-SHA256-BASE64 identity to an NSPinnedDomains list, and creates a host entry', async () => {
      const pin = randomPin();
      const appended = await insert('xml', ats, pin, byHost('api.example.com'));
      edits(appended.outcome);
      const identity = `\t\t\t\t\t<dict>\n\t\t\t\t\t\t<key>SPKI-SHA256-BASE64</key>\n\t\t\t\t\t\t<string>${pin}</string>\n\t\t\t\t\t</dict>\n`;
      assert.equal(appended.text, ats.replace('\t\t\t\t</array>\n', `${identity}\t\t\t\t</array>\n`));
      const created = await insert('xml', ats, pin, byHost('api.example.com'), 'cdn.example.com');
      edits(created.outcome);
      const sets = await pinSetsOf('xml', created.text);
      assert.deepEqual(sets.find((s) => s.host === 'cdn.example.com')?.pins.map((p) => p.value), [pin]);
      assert.equal(sets.find((s) => s.host === 'cdn.example.com')?.name, 'cdn.example.com NSPinnedCAIdentities');
    });

    it('appends a <string> to TrustKit\'s TSKPublicKeyHashes', async () => {
      const trustKit = `<plist><dict><key>TSKConfiguration</key><dict><key>TSKPinnedDomains</key><dict>\n  <key>mobile.example.com</key>\n  <dict>\n    <key>TSKPublicKeyHashes</key>\n    <array>\n      <string>${A}</string>\n    </array>\n  </dict>\n</dict></dict></dict></plist>\n`;
      const pin = randomPin();
      const { outcome, text } = await insert('xml', trustKit, pin, byHost('mobile.example.com'));
      edits(outcome);
      assert.equal(text, trustKit.replace(`<string>${A}</string>\n`, `<string>${A}</string>\n      <string>${pin}</string>\n`));
    });
  });
});

describe('pins: replacing a pin', () => {
  it('swaps the value inside its own quotes, in the notation of the set', async () => {
    const source = `export const pins = ['sha256/${A}', "sha256//${B}"];\n`;
    const pin = randomPin();
    const { outcome, text } = await withParsed('typescript', source, (parsed) => {
      const result = replacePinEdits(parsed, { line: 0, character: 40 + A.length }, pin);
      return { outcome: result, text: result.kind === 'edits' ? applyEdits(source, result.edits) : source };
    });
    edits(outcome);
    assert.equal(text, `export const pins = ['sha256/${A}', "sha256/${pin}"];\n`);
  });

  it('replaces a pin held in a constant at the constant, and refuses a duplicate', async () => {
    const source = [`let kCurrent = "${A}"`, 'let kBackup = "placeholder-pin"', 'let pins: Set<String> = [kCurrent, kBackup]', ''].join('\n');
    const pin = randomPin();
    const replaced = await withParsed('swift', source, (parsed) => {
      const result = replacePinEdits(parsed, { line: 1, character: 16 }, pin);
      return result.kind === 'edits' ? applyEdits(source, result.edits) : JSON.stringify(result);
    });
    assert.equal(replaced, source.replace('placeholder-pin', pin));
    const duplicate = await withParsed('swift', source, (parsed) => replacePinEdits(parsed, { line: 1, character: 16 }, A));
    assert.equal(duplicate.kind, 'present');
  });
});
