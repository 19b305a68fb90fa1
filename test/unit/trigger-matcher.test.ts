/**
 * The trigger pre-filter must answer exactly as the regular expressions it replaces, on text and
 * on UTF-8 bytes alike: a file it wrongly leaves out would silently lose its findings.
 */
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { FAMILIES, type Family } from '../../server/src/engine/languages';
import { longRuns, matchShape, TriggerMatcher, type Trigger, type WordEnds } from '../../server/src/engine/triggers';
import { SHORTEST_BLOCK_RUN, WordScanner } from '../../server/src/engine/word-scanner';
import { RuleTriggers, triggerSources, triggersFor, wholeWord } from '../../server/src/engine/trigger-set';
import { hasPinSetNameAt, pinSetNameTokens } from '../../server/src/facts/names';
import { PIN_SET_TRIGGERS, pinSetTriggers } from '../../server/src/facts/pin-sets';
import { ALL_RULES } from '../../server/src/rules';

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** What the engine did before: one case-insensitive regex per group, flags of patterns dropped. */
function expectedGroups(groups: readonly (readonly Trigger[] | undefined)[], text: string): number {
  let mask = 0;
  groups.forEach((triggers, i) => {
    if (!triggers || triggers.length === 0) mask |= 1 << i;
    else if (new RegExp(triggers.map((t) => (typeof t === 'string' ? escapeRegExp(t) : t.source)).join('|'), 'i').test(text)) mask |= 1 << i;
  });
  return mask;
}

function check(groups: readonly (readonly Trigger[] | undefined)[], text: string): void {
  const matcher = TriggerMatcher.compile(groups);
  const expected = expectedGroups(groups, text);
  assert.equal(matcher.groupsInText(text), expected, `text ${JSON.stringify(text.slice(0, 200))}`);
  for (const bytes of [Buffer.from(text, 'utf8'), Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')])]) {
    assert.equal(matcher.groupsInBytes(bytes, () => text), expected, `bytes of ${JSON.stringify(text.slice(0, 200))}`);
  }
}

const RULE_GROUPS: Record<Family, (readonly Trigger[] | undefined)[]> = { dart: [], swift: [], ts: [], xml: [] };
for (const family of FAMILIES) {
  const lists = [pinSetTriggers(family), ...ALL_RULES.filter((r) => r.checks[family]).map((r) => triggersFor(r.meta.triggers, family))];
  RULE_GROUPS[family] = lists.map((list) => list && triggerSources(list));
}
const ALL_WORDS = [...new Set(Object.values(RULE_GROUPS).flat().flatMap((g) => g ?? []).filter((t): t is string => typeof t === 'string'))];

/** Text made of trigger words in any case, near-misses, pin-like runs, non-ASCII and code. */
const fragment = fc.oneof(
  fc.constantFrom(...ALL_WORDS).chain((w) => fc.array(fc.boolean(), { minLength: w.length, maxLength: w.length })
    .map((upper) => [...w].map((c, i) => (upper[i] ? c.toUpperCase() : c.toLowerCase())).join(''))),
  fc.constantFrom(...ALL_WORDS).map((w) => w.slice(0, -1)),
  fc.constantFrom('Hashable', 'hashCode', 'spinner', 'dart:convert', 'rawValue', 'SPKI', 'Certificate', 'ſ', 'K', 'İ', 'é', '😀', '\u0000'),
  fc.stringMatching(/^[A-Za-z0-9+/]{40,46}=?$/),
  fc.stringMatching(/^[0-9a-f]{60,66}$/),
  fc.stringMatching(/^([0-9A-F]{2}:){28,32}[0-9A-F]{2}$/),
  fc.string({ maxLength: 12 }),
  fc.constantFrom(' ', '\n', '(', '.', "'", '=', '/', '+', ':'),
);
const text = fc.array(fragment, { maxLength: 30 }).map((parts) => parts.join(''));

describe('trigger matcher', () => {
  for (const family of ['dart', 'swift', 'ts'] as Family[]) {
    it(`answers as the trigger regexes of the ${family} rules do`, () => {
      fc.assert(fc.property(text, (t) => check(RULE_GROUPS[family], t)), { numRuns: 2000 });
    });
  }

  it('finds a word wherever it lies in the text or its bytes, across the bounds of the 16-byte blocks too', () => {
    // The bytes are searched 16 at a time, a word's fingerprint (up to 4 of its bytes) looked for
    // in each block and the 3 bytes before it: a word may start, end or have its fingerprint in any of them.
    for (const family of ['dart', 'swift', 'ts'] as Family[]) {
      const groups = RULE_GROUPS[family];
      const matcher = TriggerMatcher.compile(groups);
      const words = [...new Set(groups.flatMap((g) => g ?? []).filter((t): t is string => typeof t === 'string'))];
      for (const word of words) {
        for (const length of [word.length, word.length + 1, 31, 32, 33, 48, 64, 601]) {
          for (let at = 0; at + word.length <= length; at++) {
            const text = ' '.repeat(at) + word + ' '.repeat(length - at - word.length);
            const expected = expectedGroups(groups, text);
            assert.equal(matcher.groupsInBytes(Buffer.from(text), () => text), expected, `${family}: ${JSON.stringify(word)} at ${at} of ${length}`);
            assert.equal(matcher.groupsInText(text), expected, `${family}: ${JSON.stringify(word)} at ${at} of ${length} (text)`);
          }
        }
      }
    }
  });

  it('finds words in texts larger than its memory was, and in short ones after them', () => {
    // Each matcher's search has memory for the text it was last given: a larger one grows it.
    const groups = RULE_GROUPS.swift;
    const matcher = TriggerMatcher.compile(groups);
    for (const length of [10, 70_000, 300_000, 20]) {
      for (const word of ['TSKPublicKeyHashes', 'pin', 'zzzz']) {
        const text = ' '.repeat(length) + word;
        assert.equal(matcher.groupsInBytes(Buffer.from(text), () => text), expectedGroups(groups, text), `${word} after ${length} bytes`);
      }
    }
  });

  it('gives where the words of the groups asked for end in the bytes, every occurrence', () => {
    const groups = [['pin', 'spki', 'fingerprint', 'hash', 'cert'], ['Hashable', 'rawValue']];
    const matcher = TriggerMatcher.compile(groups);
    const expectedEnds = (source: string) => [...source.matchAll(/(?=(pin|spki|fingerprint|hash|cert))/gi)].map((m) => m.index + m[1].length);
    // Long texts too: many blocks, and words across their bounds.
    const texts = fc.oneof(text, fc.array(fragment, { minLength: 40, maxLength: 150 }).map((parts) => parts.join('')));
    fc.assert(
      fc.property(texts, (t) => {
        const bytes = Buffer.from(t, 'utf8');
        const inBytes: WordEnds = { groups: 1, at: [], complete: true };
        matcher.groupsInBytes(bytes, () => t, inBytes);
        // Every group found stops the pass early: then the ends say they are not all there.
        if (!inBytes.complete) return;
        assert.deepEqual([...new Set(inBytes.at)].sort((a, b) => a - b), expectedEnds(bytes.toString('latin1')));
        // From those ends, the pin-set names found are those of a search of the whole text.
        assert.equal(hasPinSetNameAt(bytes, inBytes.at), pinSetNameTokens(t).length > 0, JSON.stringify(t));
      }),
      { numRuns: 3000 },
    );
    const stopped: WordEnds = { groups: 1, at: [], complete: true };
    matcher.groupsInBytes(Buffer.from('pinHashable'), () => 'pinHashable', stopped);
    assert.equal(stopped.complete, false);
  });

  it('says the ends are not all there when there were more than it had room for', () => {
    // Room for half as many ends as the text has bytes, and 64: 'aa' ends at every byte but the first.
    const matcher = TriggerMatcher.compile([['aa'], ['b']]);
    for (const [length, complete] of [[100, true], [200, false]] as const) {
      const text = 'a'.repeat(length);
      const ends: WordEnds = { groups: 1, at: [], complete: true };
      assert.equal(matcher.groupsInBytes(Buffer.from(text), () => text, ends), 1);
      assert.equal(ends.complete, complete, `${length} bytes`);
      assert.ok(ends.at.every((end) => end >= 2 && end <= length));
      if (complete) assert.deepEqual([...new Set(ends.at)].sort((x, y) => x - y), Array.from({ length: length - 1 }, (_, i) => i + 2));
    }
  });

  it('finds exactly the maximal runs of at least the least length, in text and bytes', () => {
    const runChars = new Uint8Array(256);
    for (const c of 'ab') runChars[c.charCodeAt(0)] = 1;
    const source = fc.stringMatching(/^[abx]{0,60}$/);
    fc.assert(
      fc.property(source, fc.integer({ min: 1, max: 10 }), (text, minRun) => {
        const expected = [...text.matchAll(/[ab]+/g)].filter((m) => m[0].length >= minRun).flatMap((m) => [m.index, m.index + m[0].length]);
        assert.deepEqual(longRuns(text, runChars, minRun), expected);
        assert.deepEqual(longRuns(Buffer.from(text), runChars, minRun), expected);
      }),
      { numRuns: 20000 },
    );
  });

  it('finds the same long runs in SIMD, 16 bytes at a time, as one byte at a time', () => {
    // Runs of 31 bytes or more hold a whole block: only around those are bytes read one by one.
    for (const nonAscii of [0, 1]) {
      const runChars = new Uint8Array(256);
      for (const c of 'ab+/') runChars[c.charCodeAt(0)] = 1;
      runChars.fill(nonAscii, 128);
      const scanner = WordScanner.compile(new Map(), runChars);
      const source = fc.array(fc.oneof(fc.constantFrom('a', 'b', '+', '/', 'x', '=', 'é', '·'), fc.constantFrom('a'.repeat(30), 'b'.repeat(31), 'ab'.repeat(25))), { maxLength: 60 }).map((parts) => parts.join(''));
      fc.assert(
        fc.property(source, fc.integer({ min: SHORTEST_BLOCK_RUN, max: 70 }), (text, minRun) => {
          const bytes = Buffer.from(text, 'utf8');
          scanner.load(bytes);
          assert.deepEqual(scanner.longRuns(minRun), longRuns(bytes, runChars, minRun), `${JSON.stringify(text)}, ${minRun}`);
        }),
        { numRuns: 5000 },
      );
    }
  });

  it('finds a pin-like literal only with its full length, as the pattern does', () => {
    const groups = [PIN_SET_TRIGGERS.filter((t): t is RegExp => t instanceof RegExp && t.source.includes('{43}'))];
    check(groups, `x = "${'A'.repeat(43)}="`);
    check(groups, `x = "${'A'.repeat(42)}="`);
    check(groups, `x = "${'a'.repeat(64)}"`);
    check(groups, `x = "${'a'.repeat(63)}"`);
    check(groups, `é${'b'.repeat(43)}=é`);
  });

  it('handles groups without triggers, patterns it cannot analyse, and words with punctuation', () => {
    const groups: (readonly Trigger[] | undefined)[] = [undefined, [/(?<=a)b/], ['a.b', 'x|y'], [/foo\d+/], [/^$/]];
    for (const t of ['', 'ab', 'a.b', 'axb', 'x|y', 'x', 'foo', 'FOO12', 'é']) check(groups, t);
  });

  it('finds words that overlap and words shorter than a fingerprint (Aho–Corasick\'s example, in any case)', () => {
    // A fingerprint is 4 bytes, fewer for a shorter word: its bucket then takes any byte before them.
    const groups = [['he', 'hers'], ['she'], ['his', 'is'], ['ushers'], ['sh']];
    const letters = fc.array(fc.constantFrom('h', 'e', 'r', 's', 'i', 'u', 'H', 'S', 'E', 'x'), { maxLength: 16 }).map((cs) => cs.join(''));
    fc.assert(fc.property(letters, (t) => check(groups, t)), { numRuns: 3000 });
    for (const t of ['ushers', 'USHERS', 'uShe', 'hishers', 'hhis', 'ssh']) check(groups, t);
  });

  it('says of many slices of one text what a search of each slice says, with or without its bytes', () => {
    // Slices between characters (a surrogate pair is not split), empty ones too, over texts long
    // enough for many blocks; the rules' groups (words and the pin pattern's long runs), and
    // groups with a pattern that is tried on every text.
    const texts = fc.oneof(text, fc.array(fragment, { minLength: 40, maxLength: 120 }).map((parts) => parts.join('')));
    const cuts = fc.array(fc.nat(), { maxLength: 12 });
    const groupSets = [...Object.values(RULE_GROUPS).filter((g) => g.length > 0), [['pin', 'cert'], [/foo\d+/]], [['aa'], undefined]];
    for (const groups of groupSets) {
      const matcher = TriggerMatcher.compile(groups);
      fc.assert(
        fc.property(texts, cuts, (t, offsets) => {
          const bounds = [...new Set([0, t.length, ...offsets.map((o) => o % (t.length + 1))])]
            .filter((at) => !(at > 0 && at < t.length && /[\ud800-\udbff]/.test(t[at - 1])))
            .sort((a, b) => a - b);
          const withBytes = matcher.slices(t, Buffer.from(t, 'utf8'));
          const fromText = matcher.slices(t);
          for (let i = 0; i < bounds.length; i++) {
            for (const end of [bounds[i], bounds[i + 1] ?? t.length, t.length]) {
              const expected = matcher.groupsInText(t.slice(bounds[i], end)) !== 0;
              assert.equal(withBytes(bounds[i], end), expected, `[${bounds[i]}, ${end}) of ${JSON.stringify(t)}`);
              assert.equal(fromText(bounds[i], end), expected, `[${bounds[i]}, ${end}) of ${JSON.stringify(t)}`);
            }
          }
        }),
        { numRuns: 500 },
      );
    }
  });

  it('lists every occurrence of its words, overlapping ones too, by start and then end', () => {
    const words = ['he', 'hers', 'she', 'his', 'is', 'ushers', 'sh', 'pin', 'spinning'];
    const scanner = WordScanner.compile(new Map(words.map((w) => [w, 1])), new Uint8Array(129));
    const letters = fc.array(fc.constantFrom('h', 'e', 'r', 's', 'i', 'u', 'p', 'n', 'g', 'H', 'S', 'é', ' '), { maxLength: 60 }).map((cs) => cs.join(''));
    fc.assert(
      fc.property(letters, (t) => {
        const expected: [number, number][] = [];
        const lower = t.toLowerCase();
        for (let at = 0; at < t.length; at++) for (const w of words) if (lower.startsWith(w, at)) expected.push([at, at + w.length]);
        expected.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
        scanner.load(Buffer.from(t, 'utf8'));
        assert.deepEqual(scanner.occurrences(1, Buffer.byteLength(t) !== t.length), expected.flat(), JSON.stringify(t));
      }),
      { seed: 24, numRuns: 3000 },
    );
  });

  it('turns byte offsets of UTF-8 into UTF-16 offsets, past multi-byte characters and across blocks', () => {
    const characters = fc.array(fc.constantFrom('a', ' ', '\n', 'é', '€', '😀', 'İ', 'ſ'), { maxLength: 200 });
    const scanner = WordScanner.compile(new Map([['x', 1]]), new Uint8Array(129));
    fc.assert(
      fc.property(characters, fc.array(fc.nat(), { maxLength: 10 }), (chars, picks) => {
        const t = chars.join('');
        const bytes = Buffer.from(t, 'utf8');
        // Where each character starts, in bytes and in UTF-16 units, and the end.
        const byteStarts = [0];
        const unitStarts = [0];
        for (const c of chars) {
          byteStarts.push(byteStarts.at(-1)! + Buffer.byteLength(c));
          unitStarts.push(unitStarts.at(-1)! + c.length);
        }
        const chosen = picks.map((p) => p % byteStarts.length);
        scanner.load(bytes);
        assert.deepEqual(scanner.utf16Offsets(chosen.map((k) => byteStarts[k])), chosen.map((k) => unitStarts[k]));
        // In ascending order (as the scan finds them), converted without being sorted first.
        chosen.sort((a, b) => a - b);
        assert.deepEqual(scanner.utf16Offsets(chosen.map((k) => byteStarts[k])), chosen.map((k) => unitStarts[k]));
      }),
      { numRuns: 1000 },
    );
  });

  it('knows the shortest match and the characters of a pin pattern', () => {
    const shape = matchShape('[A-Za-z0-9+/]{43}=|[0-9a-fA-F]{64}|[0-9a-fA-F]{2}(?::[0-9a-fA-F]{2}){31}');
    assert.ok(shape);
    assert.equal(shape.minLength, 44);
    assert.equal(shape.chars[':'.charCodeAt(0)], 1);
    assert.equal(shape.chars['.'.charCodeAt(0)], 0);
    assert.equal(shape.nonAscii, false);
    assert.equal(matchShape('(?=x)y'), undefined, 'look-aheads are not analysed');
  });
});

describe('a trigger word a rule knows by its exact name', () => {
  const triggers = new RuleTriggers(ALL_RULES);
  const calledFor = (text: string) => {
    const bytes = Buffer.from(text, 'utf8');
    const inBytes = triggers.inBytes('dart', bytes, () => text).rules.map((r) => r.meta.id);
    assert.deepEqual(triggers.inText('dart', text).rules.map((r) => r.meta.id), inBytes, text);
    return inBytes;
  };

  it('calls for its rule only where no identifier character follows it, in any case', () => {
    // The app shape's Flutter controllers: methods named after validation, no Dio adapter.
    const methods = 'class DeviceController {\n  List<String> validateCertificateId28() => [];\n  bool validateCertificates_(x) => x;\n}\n';
    assert.deepEqual(calledFor(methods), []);
    for (const bound of ['adapter.validateCertificate = (cert, host, port) => true;', 'IOHttpClientAdapter(validateCertificate: check)', 'VALIDATECERTIFICATE', 'x.validateCertificate', 'validateCertificateé']) {
      assert.ok(calledFor(`${methods}${bound}`).includes('pin-check-ignores-host'), bound);
    }
  });

  it('has its parts read where it stands alone, not where it starts a longer name', () => {
    const wholeWords = wholeWord('validateCertificate');
    const text = 'validateCertificateId28(); a.validateCertificate = f; ValidateCertificate$; b.VALIDATECERTIFICATE';
    assert.deepEqual(wholeWords.confirmedAt!(text), [text.indexOf('validateCertificate ='), text.indexOf('VALIDATE')]);
    assert.equal(wholeWords.confirm('validateCertificateId28()'), false);
    assert.equal(wholeWords.confirm('validateCertificate'), true);
  });
});
