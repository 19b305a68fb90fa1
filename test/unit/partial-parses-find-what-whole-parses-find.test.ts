/**
 * The engine parses a file in parts (engine/partial-parse.ts): the top-level declarations and
 * type members that mention a trigger word, then whatever the rules' searches ask for (here
 * however much of the file the parts are, so that every file that can be cut is). That must
 * change nothing the engine reports: every fixture, fix case and example, the fuzz corpus, and
 * files in the benchmark's real-app shape (one large class, pinning code among filler members
 * that mention `pinCode` and `imageHash`) are analysed in parts and whole, and the findings,
 * their messages and the pin sets must be the same. The counts make sure the parts were real:
 * most files are parsed with text left out, and some need a second round.
 */
import * as assert from 'node:assert/strict';
import { cutIntoParts, type AnalysisInput, type AnalysisResult, type Engine } from '../../server/src/engine/analyze';
import { parseSyntax, type SyntaxTree } from '../../server/src/engine/syntax';
import { sharedEngine, STOPPED, withClock } from '../helpers/engine';
import { withPartialParse } from '../helpers/partial-parses';
import { analysisInput, describeFindings, fuzzSources, repoSources } from '../helpers/source-files';
import { appShapeSources } from '../helpers/app-shape-sources';
import type { FuzzSource } from '../reliability/fuzz/cases';

const FUZZ_CASES = 1000;

function describeResult(result: AnalysisResult): string[] {
  return [
    ...describeFindings(result.findings),
    ...result.pinSets.map((s) => `pin set ${JSON.stringify(s)}`),
    ...(result.skipped ? [`skipped: ${result.skipped}`] : []),
  ];
}

/** `input` analysed in parts (read first: at most half of it), held to its analysis whole. */
function analyzedInParts(engine: Engine, input: AnalysisInput): { value: AnalysisResult; partialParses: number } {
  const parts = withPartialParse(engine, { maxShare: 0.5 }, () => engine.analyze(input));
  const whole = withPartialParse(engine, undefined, () => engine.analyze(input)).value;
  assert.deepEqual(describeResult(parts.value), describeResult(whole));
  return parts;
}

describe('partial parses find what whole parses find', function () {
  this.timeout(300_000);

  for (const [name, sources, minInParts, minMoreRounds] of [
    ['fixture, fix-case and example file', repoSources, 150, 10],
    // Fuzz cases with binary bytes are parsed whole (partial-parse.ts, NOT_SOURCE_TEXT): 231 of
    // these 1,000 are still parsed in parts.
    [`of ${FUZZ_CASES} fuzz cases`, () => fuzzSources(FUZZ_CASES), 200, 10],
    ['file of the real-app shape', appShapeSources, 20, 2],
  ] as const) {
    it(`in every ${name}`, async () => {
      const engine = await sharedEngine();
      let inParts = 0;
      let moreRounds = 0;
      // With the parse time limit's clock stopped, a pathological case (a fuzz case parses for
      // 800 ms) is compared too: on a busy machine its parse would cross the limit on one side only.
      withClock(STOPPED, () => {
        for (const source of sources() as FuzzSource[]) {
          const input = analysisInput(source);
          const whole = withPartialParse(engine, undefined, () => engine.analyze(input)).value;
          // Parts wherever the file can be cut, however much of it they hold.
          const { value: partial, partialParses: parses } = withPartialParse(engine, { maxShare: 1 }, () => engine.analyze(input));
          assert.deepEqual(describeResult(partial), describeResult(whole), `${source.relativePath}\n${source.text}`);
          if (parses > 0) inParts++;
          if (parses > 1) moreRounds++;
        }
      });
      assert.ok(inParts >= minInParts, `only ${inParts} parsed in parts`);
      assert.ok(moreRounds >= minMoreRounds, `only ${moreRounds} parsed in parts more than once`);
    });
  }

  // A CLI scan's main thread cuts the files it hands its threads (cli/scan.ts): the parts travel
  // as plain data, and the thread's analysis must be the one it would have made cutting them itself.
  it('and the same when another thread cut the file', async () => {
    const engine = await sharedEngine();
    let cut = 0;
    for (const source of [...repoSources(), ...appShapeSources()] as FuzzSource[]) {
      const input = analysisInput(source);
      const triggered = engine.triggers.inText(input.grammar, input.text);
      if (triggered.rules.length === 0) continue;
      const ids = { rules: triggered.rules.map((r) => r.meta.id), pinSets: triggered.pinSets };
      const own = withPartialParse(engine, { maxShare: 1 }, () => engine.analyzeTriggeredBy(input, ids));
      const parts = structuredClone(cutIntoParts(engine.triggers, input.grammar, input.text, triggered, 1)?.toParts() ?? null);
      const handed = withPartialParse(engine, { maxShare: 1 }, () => engine.analyzeTriggeredBy(input, ids, {}, parts));
      assert.deepEqual(describeResult(handed.value), describeResult(own.value), source.relativePath);
      assert.equal(handed.partialParses, own.partialParses, `${source.relativePath}: parses of parts`);
      if (parts) cut++;
    }
    assert.ok(cut >= 150, `only ${cut} files cut`);
  });

  // An editor buffer (lsp/auditor.ts) offers its whole tree, kept up to date across edits, for
  // when the parts will not do: an error in them, parts that grow past the share, a file that
  // cannot be cut. Whichever tree the analysis ends on, it must be the whole analysis.
  it('and the same when an editor buffer\'s whole tree stands by', async () => {
    const engine = await sharedEngine();
    let partsOnly = 0;
    let wholeTreeUsed = 0;
    for (const source of [...repoSources(), ...appShapeSources()] as FuzzSource[]) {
      const input = analysisInput(source);
      const whole = withPartialParse(engine, undefined, () => engine.analyze(input)).value;
      let tree: SyntaxTree | undefined;
      let asked = false;
      const get = () => {
        asked = true;
        return (tree ??= parseSyntax(engine.parsers, input.grammar, input.text));
      };
      try {
        for (const maxShare of [0.05, 1]) {
          asked = false;
          const { value, partialParses } = withPartialParse(engine, { maxShare: 0.5 }, () => engine.analyze({ ...input, wholeTree: { get, maxShare } }));
          assert.deepEqual(describeResult(value), describeResult(whole), `${source.relativePath} (parts under ${maxShare} of the text)`);
          if (asked) wholeTreeUsed++;
          else if (partialParses > 0) partsOnly++;
        }
      } finally {
        tree?.delete();
      }
    }
    // 230 and 404 today (the rest hold no trigger word and are parsed neither way).
    assert.ok(partsOnly >= 150, `only ${partsOnly} analyses from the parts alone`);
    assert.ok(wholeTreeUsed >= 200, `the whole tree was used in only ${wholeTreeUsed} analyses`);
  });

  // The app shape's most common candidate: an accept-all callback at the top of a class whose
  // every member names `imageHash`. The parts to read first are those with the words of the
  // rules the file calls for: the pin-set words count only in a file that may hold a pin set.
  it('reads first the parts that mention a word of the rules the file calls for', async () => {
    const engine = await sharedEngine();
    const member = (i: number) => `  bool matchesImageHash${i}(String input) {\n    final candidate = sha256('$input');\n    return candidate == imageHash;\n  }\n`;
    const text = [
      "import 'dart:io';\n",
      'HttpClient createUnsafeClient() {',
      '  final client = HttpClient();',
      '  client.badCertificateCallback = (X509Certificate cert, String host, int port) => true;',
      '  return client;',
      '}\n',
      'class ProductController {',
      "  String imageHash = '';",
      ...Array.from({ length: 40 }, (_, i) => member(i)),
      '}\n',
    ].join('\n');
    const input = { id: 'product_controller.dart', relativePath: 'lib/product_controller.dart', grammar: 'dart' as const, text };
    const parts = analyzedInParts(engine, input);
    assert.deepEqual(parts.value.findings.map((f) => f.ruleId), ['trust-all-certificates']);
    assert.equal(parts.partialParses, 1, 'parsed in parts once, the members left out');
  });

  // The bench's app-shape edit files: a pin set at the top of a class whose members read
  // `hashedPassword`. The pin-set words count where a pin set may be named by them
  // (`ConfirmedTrigger.confirmedAt`): the members are left out, the list is read.
  it('reads the parts where a pin-set word may name a pin set, not every part with the word', async () => {
    const engine = await sharedEngine();
    const member = (i: number) => `  bool matchesPassword${i}(String input) {\n    final candidate = sha256('$input');\n    return candidate == hashedPassword;\n  }\n`;
    const text = [
      'class AccountController {',
      "  static const List<String> pins = ['jef6vpDBdUAeonZ4vbPO6QIoJB0IvDppAwh+c3xJX74=', 'Nf2j1z+8uk+zm8IoQO6I4wHiQM5iLfSsvPKa3CJLxi0='];",
      "  String hashedPassword = '';",
      ...Array.from({ length: 40 }, (_, i) => member(i)),
      '}\n',
    ].join('\n');
    const input = { id: 'account_controller.dart', relativePath: 'lib/account_controller.dart', grammar: 'dart' as const, text };
    const triggered = engine.triggers.inText('dart', text);
    assert.ok(triggered.pinSets);
    const ranges = cutIntoParts(engine.triggers, 'dart', text, triggered)!.ranges();
    const read = ranges.map((r) => text.slice(r.startIndex, r.endIndex)).join('');
    assert.match(read, /List<String> pins/);
    assert.doesNotMatch(read, /matchesPassword/);
    const parts = analyzedInParts(engine, input);
    assert.equal(parts.value.pinSets.length, 1);
  });

  // The app shape's Flutter files: a class named by a pin-set name at the top, with a member no
  // trigger word marks (its private constructor). The pin-set search walks the class whole
  // (`ConfirmedTrigger.regionsAt`): its parts are read in the first round, not in a second one
  // (half of the app shape's second rounds were these).
  it('reads the whole body of a type a pin-set name names, in one round', async () => {
    const engine = await sharedEngine();
    const member = (i: number) => `  Widget row${i}(BuildContext context) {\n    return Text('address line $i');\n  }\n`;
    const text = [
      "import 'package:flutter/material.dart';\n",
      '/// SPKI pins of cdn.example.com.',
      'class SslPins {',
      '  SslPins._();',
      '',
      "  static const String primary = '08VBtXg3jC1ZG4cGqiBIQO3wbQA9CimnYkYwPLWGVbU=';",
      "  static const String backup = '8b4ecfkty48C1gM0nL+2+DEznHoDCEGH047+ZmZbhm8=';",
      '  static const List<String> all = [primary, backup];',
      '}\n',
      'class AddressScreen {',
      ...Array.from({ length: 40 }, (_, i) => member(i)),
      '}\n',
    ].join('\n');
    const input = { id: 'address_screen.dart', relativePath: 'lib/address_screen.dart', grammar: 'dart' as const, text };
    const ranges = cutIntoParts(engine.triggers, 'dart', text, engine.triggers.inText('dart', text), 0.5)!.ranges();
    const read = ranges.map((r) => text.slice(r.startIndex, r.endIndex)).join('');
    assert.match(read, /SslPins\._\(\);/);
    assert.doesNotMatch(read, /address line/);
    const parts = analyzedInParts(engine, input);
    assert.equal(parts.value.pinSets.length, 1);
    assert.equal(parts.partialParses, 1, 'parsed in parts once');
  });

  // The app shape's React Native screens: a pin-set name compared (`input === this.passwordHash`)
  // may be a string constant, which every occurrence of the name tells (`stringConstant`): the
  // members that hold one are read in the first round.
  it('reads every occurrence of a compared pin-set name, in one round', async () => {
    const engine = await sharedEngine();
    const member = (i: number) => `  renderRow${i}(): string {\n    return \`row ${i} of \${this.page}\`;\n  }\n`;
    const text = [
      'export class AccountScreen {',
      '  private page = 0;',
      "  passwordHash: string = '';",
      ...Array.from({ length: 20 }, (_, i) => member(i)),
      '  describe(): string {',
      '    return `page ${this.page}, hash ${this.passwordHash}`;',
      '  }\n',
      ...Array.from({ length: 20 }, (_, i) => member(20 + i)),
      '  check(input: string): boolean {',
      '    return input === this.passwordHash;',
      '  }',
      '}\n',
    ].join('\n');
    const input = { id: 'AccountScreen.tsx', relativePath: 'src/AccountScreen.tsx', grammar: 'tsx' as const, text };
    assert.ok(engine.triggers.inText('tsx', text).pinSets);
    const parts = analyzedInParts(engine, input);
    assert.equal(parts.partialParses, 1, 'parsed in parts once');
  });
});
