/**
 * The pin-set pre-filter on names (facts/pin-set-evidence.ts): a name that can name a pin set
 * lets its file through to the parser; a name in real app code that names no pin set
 * (`passwordHash`, `certificateUrl`, `pinCode`) does not. Whether it ever drops a file with a
 * pin set is checked against the engine itself in triggers-hide-nothing.test.ts.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { pinSetNameTokens } from '../../server/src/facts/names';
import { isAssignedAgain, knownPinSetNames, mayHoldNamedPinSet, pinSetNames, rememberPinSetNames } from '../../server/src/facts/pin-set-evidence';
import { FIXTURES_DIR, sharedEngine } from '../helpers/engine';
import { grammarForPath, type Family } from '../../server/src/engine/languages';

/** What the pre-filter asked before: some name in the text is one `isPinSetName` accepts. */
function mentionsPinSetName(text: string): boolean {
  return pinSetNameTokens(text).length > 0;
}

/** One snippet per way a name makes a collection or comparison a pin set. */
const NAMING_SHAPES: Record<string, string> = {
  'Dart constant': "static const List<String> certPins = <String>['a', 'b'];",
  'Dart formatter break after =': "static const Map<String, List<String>> pinsByHost =\n    <String, List<String>>{\n  'api.example.com': ['a'],\n};",
  'Dart named argument': "Config(pins: const ['a', 'b'])",
  'Dart map key': "final config = {'spkiHashes': ['a']};",
  'Dart method': 'List<String> pinsFor(String host) {\n  final x = host.trim();\n  return [kOne, kTwo];\n}',
  'Dart map of hosts to lists in a method': "Map<String, List<String>> pinsByHost() {\n  return {'api.example.com': ['a', 'b']};\n}",
  'Dart arrow getter': "Set<String> get pinnedKeys => {'a', 'b'};",
  'Dart type': "class CertificatePins {\n  static const all = ['a', 'b'];\n}",
  'Swift typed property': 'let pinnedHashes: Set<String> = ["a"]',
  'Swift wrapper call': 'let pins = Set(["a", "b"])',
  'Swift computed property': 'var pinnedKeys: Set<String> {\n    let e = 1\n    return ["a", "b"]\n}',
  'Swift function': 'func pins(for host: String) -> [String] {\n    return ["a"]\n}',
  'Swift dictionary key': 'let config: [String: Any] = ["pins": ["a", "b"]]',
  'Swift dictionary of hosts to lists': 'let certificatePins = ["api.example.com": ["a", "b"]]',
  'Swift raw string': 'let pins = [#"a"#]',
  'TS annotated constant': "export const certificatePins: Record<string, string[]> = {\n  'api.example.com': ['a'],\n};",
  'TS object key': "const options = { spkiHashes: ['a', 'b'] };",
  'TS class field through wrappers': "class A {\n  private readonly pins = Object.freeze(new Set<string>(['a']));\n}",
  'TS function': "function spkiHashes(): string[] {\n  return ['a'];\n}",
  'a comment before the first element': "const pins = [\n  // current key\n  'a',\n];",
  'constants as elements': 'const pins = [SslPins.primary, SslPins.backup];',
  'a comparison with a pin-named constant': "const kPinPrimary = 'x';\nconst ok = hash == kPinPrimary;",
  'a qualified comparison': "static const kLeafPin = 'x';\nbool ok(String h) => h == SslPins.kLeafPin;",
};

/** Names real apps use that hold a pin-set word but name no pin set, in the positions they take there. */
const NOT_NAMING_SHAPES: Record<string, string> = {
  'a field': 'final String passwordHash;',
  'a JSON read': "passwordHash: json['passwordHash'] as String,",
  'an assignment from a call': 'final imageHash = sha256.convert(bytes).toString();',
  'UI text': "Text('Enter your PIN code')",
  'a typed optional': 'let certificateUrl: URL?',
  'a Swift array of another type': '@Published var pinnedMessages: [Message] = []',
  'a TS interface member': 'interface A {\n  certPath: string;\n  certExpiry: Date;\n}',
  'a comparison of two variables': 'if (pinCode == enteredPinCode) {\n  unlock();\n}',
  'a call with a list of numbers': 'final pinCodeLength = max([4, 6]);',
  'a Swift call and a read': 'let digest = imageHash(data)\nlet short = passwordHash.prefix(8)',
  'an index into a map': "final hash = cache['imageHash'];",
  'an empty list': 'var pinnedItems = <String>[];',
  'a call, then a block': 'computeHash(data);\nif (ok) {\n  run();\n}',
  'a Dart interpolation after a colon': "String get label => 'Pinned: ${count} messages';",
  'a method whose body passes a map (Flutter navigation)': "void openCertificateExpired(BuildContext context) {\n  Navigator.of(context).pushNamed('/certificate-expired', arguments: {'slug': slug});\n}",
  'a getter that returns a JSON map': "Map<String, dynamic> certificateToJson() => {'id': id, 'url': url};",
  'a function whose body holds no string list': "List<String> validatePinCode() {\n  final problems = <String>[];\n  return problems;\n}\nfinal map = {'a': 1};",
};

/** Dart instance fields hold no constant for a comparison to pin (facts/pin-sets.ts `stringConstant`). */
const DART_FIELD_COMPARISON = "class Account {\n  String passwordHash = '';\n  void set(String value) {\n    if (value == passwordHash) return;\n  }\n}";

/** Swift shapes that name no pin set by their language's rules: only `[` opens a collection, `: [T]` and `-> [T]` are types, `x = v` assigns. */
const SWIFT_NOT_NAMING_SHAPES: Record<string, string> = {
  'a field compared in its setter and assigned there': 'var pinCode = ""\nfunc setPinCode(_ value: String) {\n    guard value != pinCode else { return }\n    pinCode = value\n}',
  'a dictionary of labels': 'let certificateLabels = ["leaf": "Leaf certificate", "root": "Root certificate"]',
  'a pin-named function building a list of messages': 'func validatePinCode() -> [String] {\n    var problems: [String] = []\n    if pinCode.isEmpty { problems.append("required") }\n    return problems\n}',
};

/** The same, but with what makes a pin set: a constant compared, a string list returned, an assignment that is not code. */
const SWIFT_NAMING_SHAPES: Record<string, string> = {
  'a constant compared': 'let pinCode = "x"\nfunc matches(_ value: String) -> Bool {\n    guard value != pinCode else { return true }\n    return false\n}',
  'a field assigned only in a comment': 'var pinCode = "x"\nfunc set(_ value: String) {\n    guard value != pinCode else { return }\n    /*\n    pinCode = value\n    */\n}',
  'a field assigned only in a multi-line string': 'var pinCode = "x"\nlet help = """\n    pinCode = value\n    """\nlet ok = hash == pinCode',
  'a pin-named function returning strings': 'func validatePinCode() -> [String] {\n    var problems: [String] = []\n    return ["a", "b"]\n}',
};

/** The family a shape's label names (`Dart …`, `Swift …`, `TS …`), undefined for the others. */
function familyOf(shape: string): Family | undefined {
  return ({ Dart: 'dart', Swift: 'swift', TS: 'ts' } as const)[shape.split(' ')[0] as 'Dart' | 'Swift' | 'TS'];
}

describe('pin-set evidence in names', () => {
  for (const [shape, text] of Object.entries(NAMING_SHAPES)) {
    it(`lets through ${shape}`, () => {
      assert.equal(mayHoldNamedPinSet(text), true, text);
      assert.equal(mayHoldNamedPinSet(text, familyOf(shape)), true, `${text}\n(as ${familyOf(shape)})`);
    });
  }
  for (const [shape, text] of Object.entries(SWIFT_NAMING_SHAPES)) {
    it(`lets through Swift ${shape}`, () => assert.equal(mayHoldNamedPinSet(text, 'swift'), true, text));
  }
  for (const [shape, text] of Object.entries(SWIFT_NOT_NAMING_SHAPES)) {
    it(`drops Swift ${shape}`, () => {
      assert.equal(mentionsPinSetName(text), true, `the name test alone lets it through: ${text}`);
      assert.equal(mayHoldNamedPinSet(text, 'swift'), false, text);
    });
  }
  for (const [shape, text] of Object.entries(NOT_NAMING_SHAPES)) {
    it(`drops ${shape}`, () => {
      assert.equal(mentionsPinSetName(text), true, `the name test alone lets it through: ${text}`);
      assert.equal(mayHoldNamedPinSet(text), false, text);
    });
  }

  it('drops a Dart comparison with an instance field, and keeps one with a static constant or a local', () => {
    assert.equal(mayHoldNamedPinSet(DART_FIELD_COMPARISON, 'dart'), false);
    assert.equal(mayHoldNamedPinSet(DART_FIELD_COMPARISON.replace('String passwordHash', 'static const passwordHash'), 'dart'), true);
    assert.equal(mayHoldNamedPinSet(DART_FIELD_COMPARISON.replace("if (value", "final passwordHash = 'x';\n    if (value"), 'dart'), true);
    // Swift and TypeScript properties are constants to the engine wherever they are.
    assert.equal(mayHoldNamedPinSet(DART_FIELD_COMPARISON, 'swift'), true);
  });

  it('finds a name assigned again where the regular expression over the text it replaced did', () => {
    // The search it replaced (round 23), kept here as the reference.
    const reference = (text: string, name: string, family?: Family) => {
      const escaped = name.replace(/\$/g, '\\$');
      const member = `\\.${escaped}\\s*[-+*/?]?=(?![=>])`;
      const bare = `(?<=^[ \\t]*|[;{][ \\t]*)${escaped}\\s*[-+*/]?=(?![=>])`;
      const pattern = new RegExp(family === 'swift' ? `${member}|${bare}` : member, 'gm');
      let longQuotes: number[] | undefined;
      for (const match of text.matchAll(pattern)) {
        const lineStart = text.lastIndexOf('\n', match.index) + 1;
        const before = text.slice(lineStart, match.index);
        if (/\/\/|\/\*|^\s*\*/.test(before)) continue;
        if ((before.match(/['"`]/g)?.length ?? 0) % 2 !== 0) continue;
        if (text.lastIndexOf('/*', match.index) > text.lastIndexOf('*/', match.index)) continue;
        longQuotes ??= [...text.matchAll(/"""|'''/g)].map((m) => m.index);
        if (longQuotes.filter((at) => at < match.index).length % 2 !== 0) continue;
        return true;
      }
      return false;
    };
    const piece = fc.constantFrom('pin', 'pin$', '$pin', 'self.', '.', ' ', '\t', '\n', '\r', '\u2028', ';', '{', '=', '==', '=>', '?=', '??=', '+=', '?', '-', '//', '/*', '*/', '*', "'", '"', '"""', "'''", 'x', '\u00a0');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 30 }), fc.constantFrom('pin', 'pin$', '$pin'), fc.constantFrom<Family | undefined>('swift', 'dart', 'ts', undefined), (pieces, name, family) => {
        const text = pieces.join('');
        assert.equal(isAssignedAgain(text, name, family), reference(text, name, family), JSON.stringify({ text, name, family }));
      }),
      { seed: 24, numRuns: 20000 },
    );
  });

  it('keeps the last text\'s names, and takes those another thread found in the same text', () => {
    const text = "final certPins = ['a', 'b'];\nfinal passwordHash = hash(password);\n";
    const found = pinSetNames(text, 'dart');
    assert.deepEqual(found.names.map((n) => n.token), ['certPins', 'passwordHash']);
    assert.deepEqual(found.evidence.map((e) => `${e.token} ${e.why}`), ['certPins assigned']);
    assert.equal(pinSetNames(text, 'dart'), found, 'the last text: not searched again');
    assert.equal(knownPinSetNames(text, 'dart'), found);
    assert.equal(knownPinSetNames(text, 'swift'), undefined, 'another language reads names otherwise');
    pinSetNames('', 'dart');
    assert.equal(knownPinSetNames(text, 'dart'), undefined);
    const sent = structuredClone(found); // as a scan thread receives them
    rememberPinSetNames(text, 'dart', sent);
    assert.equal(pinSetNames(text, 'dart'), sent);
  });

  it('leaves the files of real-app names unparsed, where the name test alone parsed them', async () => {
    const engine = await sharedEngine();
    for (const extension of ['dart', 'swift', 'ts']) {
      const file = path.join(FIXTURES_DIR, 'single-pin', `names-not-pin-sets.${extension}`);
      const text = fs.readFileSync(file, 'utf8');
      assert.equal(mentionsPinSetName(text), true, file);
      const triggered = engine.triggers.inText(grammarForPath(file)!, text);
      assert.deepEqual({ pinSets: triggered.pinSets, rules: triggered.rules.map((r) => r.meta.id) }, { pinSets: false, rules: [] }, file);
    }
    // Swift fields compared in their setters and assigned there without `self.`.
    const fields = path.join(FIXTURES_DIR, 'single-pin', 'fields-compared.swift');
    assert.equal(engine.triggers.inText('swift', fs.readFileSync(fields, 'utf8')).pinSets, false, fields);
  });
});
