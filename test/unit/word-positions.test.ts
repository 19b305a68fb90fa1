import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { Trigrams, WordPositions } from '../../server/src/engine/word-positions';
import { trigramSetOf } from '../../server/src/engine/word-scanner';
import { OpenDocument } from '../../server/src/lsp/documents';
import { largeClassFile } from '../../bench/src/measure/large-class-files';
import { Random } from '../../bench/src/random';
import { sharedEngine } from '../helpers/engine';
import { describeFindings } from '../helpers/source-files';

/** What `indexOf` from the end of each occurrence finds: the searches' own way. */
function reference(text: string, word: string): number[] {
  const starts: number[] = [];
  for (let at = text.indexOf(word); at >= 0; at = text.indexOf(word, at + word.length)) starts.push(at);
  return starts;
}

/** Few letters, so that edits make and break words, across their ends too. */
const PIECE = fc.constantFrom('a', 'b', 'c', 'ab', 'abc', 'ba', ' ', '\n', '(');
/** Words that cannot overlap themselves, and some that can (`aa`, `aba`, `abab`). */
const WORDS = ['a', 'ab', 'abc', 'bca', 'cab(', 'b c', 'aa', 'aba', 'abab', 'bb'];

const edit = fc.record({ start: fc.nat(300), length: fc.nat(6), text: fc.array(PIECE, { maxLength: 4 }).map((p) => p.join('')) });

describe('word positions kept across edits', () => {
  it('are where indexOf finds each word, after any edits, for words asked before and after them', () => {
    fc.assert(
      fc.property(fc.array(PIECE, { minLength: 20, maxLength: 200 }), fc.array(edit, { minLength: 1, maxLength: 10 }), fc.nat(WORDS.length), (pieces, edits, askedFirst) => {
        let text = pieces.join('');
        const positions = new WordPositions(text);
        for (const word of WORDS.slice(0, askedFirst)) assert.deepEqual(positions.of(word), reference(text, word));
        for (const e of edits) {
          const start = Math.min(e.start, text.length);
          const oldEnd = Math.min(start + e.length, text.length);
          text = text.slice(0, start) + e.text + text.slice(oldEnd);
          positions.edit(text, start, oldEnd, start + e.text.length);
          for (const word of WORDS) assert.deepEqual(positions.of(word), reference(text, word), `${JSON.stringify(word)} in ${JSON.stringify(text)}`);
        }
        assert.equal(positions.text, text);
      }),
      { seed: 14, numRuns: 1000 },
    );
  });

  it('are found again for a word asked after many edits without it', () => {
    let text = 'ab abc cab( abc';
    const positions = new WordPositions(text);
    assert.deepEqual(positions.of('abc'), [3, 12]);
    for (let i = 0; i < 40; i++) {
      text = `abc${text}`;
      positions.edit(text, 0, 0, 3);
      if (i === 2) assert.deepEqual(positions.of('cab('), reference(text, 'cab('));
    }
    assert.deepEqual(positions.of('abc'), reference(text, 'abc'));
    assert.deepEqual(positions.of('cab('), reference(text, 'cab('));
  });

  it('refuse the empty word, which occurs everywhere', () => {
    assert.throws(() => new WordPositions('abc').of(''), RangeError);
  });

  // Whole lines, so that a position not moved by an edit would land in another node.
  it('give an edited document the findings a fresh analysis of its text gives', async function () {
    this.timeout(60_000);
    const engine = await sharedEngine();
    for (const [language, languageId] of [['swift', 'swift'], ['dart', 'dart'], ['typescript', 'typescript']] as const) {
      const original = largeClassFile(language, 'word-positions', 120, 12);
      const document = new OpenDocument(`file:///word-positions.${language}`, languageId, 1, original);
      let version = 1;
      let withFindings = 0;
      for (const change of linesInsertedAndRemoved(original, 40, `word-positions-${language}`)) {
        document.applyChanges([change], ++version);
        const tree = document.parse(engine.parsers);
        const input = { id: document.uri, relativePath: `word-positions.${language}`, grammar: document.grammar!, text: document.text };
        const kept = engine.analyze({ ...input, tree, lineStarts: document.lineStarts });
        // Parsed anew: a tree the document did not parse has no positions kept for it.
        const fresh = engine.analyze(input);
        assert.deepEqual(describeFindings(kept.findings), describeFindings(fresh.findings), `${language}, version ${version}`);
        withFindings += kept.findings.length > 0 ? 1 : 0;
        document.deleteReplacedTrees();
      }
      document.deleteTree();
      assert.ok(withFindings >= 30, `${language}: findings in ${withFindings} of 40 versions`);
    }
  });
});

/** Comment lines inserted at random lines' starts, each removed again two edits later. */
function* linesInsertedAndRemoved(text: string, count: number, seed: string): Generator<{ range: { start: { line: number; character: number }; end: { line: number; character: number } }; text: string }> {
  const random = new Random(seed);
  const lineCount = text.split('\n').length;
  const inserted: number[] = [];
  for (let i = 0; i < count; i++) {
    if (i % 3 === 2) {
      const line = inserted.shift()!;
      yield { range: { start: { line, character: 0 }, end: { line: line + 1, character: 0 } }, text: '' };
      for (let k = 0; k < inserted.length; k++) if (inserted[k] > line) inserted[k]--;
    } else {
      const line = random.int(0, lineCount - 1);
      yield { range: { start: { line, character: 0 }, end: { line, character: 0 } }, text: `// ${'x'.repeat(40 + i)}\n` };
      for (let k = 0; k < inserted.length; k++) if (inserted[k] >= line) inserted[k]++;
      inserted.push(line);
    }
  }
}

describe('the trigrams of a text', () => {
  /** Units whose low bytes collide with ASCII letters (U+0161 and 'a'), and a surrogate pair. */
  const UNIT = fc.constantFrom('a', 'b', 'c', 'A', '\u0161', '\u0162', '\u00b7', '\ud83d\ude00', ' ', '\n');

  it('never say a text cannot hold a word it holds, made whole or added to after edits', () => {
    fc.assert(
      fc.property(fc.array(UNIT, { maxLength: 80 }), fc.array(UNIT, { minLength: 1, maxLength: 40 }), fc.array(UNIT, { minLength: 1, maxLength: 6 }), fc.nat(), (before, inserted, absent, at) => {
        const old = before.join('');
        const start = Math.min(at % (old.length + 1), old.length);
        const text = old.slice(0, start) + inserted.join('') + old.slice(start);
        const whole = Trigrams.of(text, 0, text.length);
        // As WordPositions.edit adds them: the old text's, then those around the inserted span.
        const edited = Trigrams.of(old, 0, old.length);
        edited.add(text, Math.max(0, start - 2), Math.min(text.length, start + inserted.join('').length + 2));
        const words = [absent.join('')];
        for (let i = 0; i < text.length; i++) for (let j = i + 1; j <= Math.min(text.length, i + 8); j++) words.push(text.slice(i, j));
        for (const word of words) {
          if (!text.includes(word)) continue;
          assert.equal(whole.mayHold(word), true, `${JSON.stringify(word)} in ${JSON.stringify(text)}`);
          assert.equal(edited.mayHold(word), true, `${JSON.stringify(word)} in ${JSON.stringify(text)} after the edit`);
        }
      }),
      { seed: 19, numRuns: 500 },
    );
  });

  it('made of the UTF-8 bytes, are those of the text when it is ASCII, and never say it cannot hold a word it holds', () => {
    fc.assert(
      fc.property(fc.array(UNIT, { maxLength: 120 }), fc.array(UNIT, { minLength: 1, maxLength: 6 }), (units, absent) => {
        const text = units.join('');
        const ofBytes = Trigrams.ofUtf8(trigramSetOf(Buffer.from(text, 'utf8')));
        if (/^[\x00-\x7f]*$/.test(text)) assert.deepEqual(ofBytes, Trigrams.ofUtf8((Trigrams.of(text, 0, text.length) as unknown as { bits: Int32Array }).bits));
        const words = [absent.join('')];
        for (let i = 0; i < text.length; i++) for (let j = i + 1; j <= Math.min(text.length, i + 8); j++) words.push(text.slice(i, j));
        for (const word of words) {
          if (text.includes(word)) assert.equal(ofBytes.mayHold(word), true, `${JSON.stringify(word)} in ${JSON.stringify(text)}`);
        }
      }),
      { seed: 21, numRuns: 1000 },
    );
    const ofBytes = Trigrams.ofUtf8(trigramSetOf(Buffer.from('final pins = [kPrimary, kBackup];')));
    assert.equal(ofBytes.mayHold('kBackup'), true);
    assert.equal(ofBytes.mayHold('badCertificateCallback'), false);
  });

  it('say a text cannot hold a word with a trigram it lacks, and let words of fewer than three units through', () => {
    const trigrams = Trigrams.of('final pins = [kPrimary, kBackup];', 0, 33);
    assert.equal(trigrams.mayHold('kBackup'), true);
    assert.equal(trigrams.mayHold('badCertificateCallback'), false);
    assert.equal(trigrams.mayHold('pinz'), false);
    assert.equal(trigrams.mayHold('zq'), true);
  });
});
