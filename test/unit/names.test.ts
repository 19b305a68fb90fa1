/**
 * facts/names.ts keeps a verdict per name it has judged, across files and edits. The names are
 * cut from files' texts, and in V8 a cut of 13 characters or more is a view that keeps the whole
 * text alive: the cache must hold copies, or an editor session keeps a text per new name typed.
 */
import * as assert from 'node:assert/strict';
import * as v8 from 'node:v8';
import fc from 'fast-check';
import { carryPinSetNameTokens, isPinSetName, isSpaceCode, namesOtherThanPins, pinSetNameTokens } from '../../server/src/facts/names';
import { collector } from '../helpers/collector';

const MB = 1 << 20;

/** `pinSetNameTokens` of `text` searched anew, not carried over an edit. */
function searchedAnew(text: string): readonly { token: string; start: number }[] {
  pinSetNameTokens('');
  return pinSetNameTokens(text);
}

/** Pieces that make, break and join names: pin words, other letters, digits, separators. */
const PIECE = fc.constantFrom('pin', 'Pins', 'cert', 'hash', 'Code', 'spinner', 'x', '_', '1', ' ', '.', "'", '\n', 'é');

describe('pin-set names', () => {
  it('that say they hold hosts or names of code are told from those that hold pins', () => {
    // Names from real pinning configs, where the hosts sit beside the pins.
    for (const name of ['pinnedHosts', '_pinnedHosts', 'pinnedExactDomains', '_pinnedDomainSuffixes', 'kTSKPinnedDomains', 'hosts', 'pinnedHostList', 'certUrls', 'sslPinningEndpoints', 'hostsForPinning', 'pinnedCertHost', 'exportedMethods']) {
      assert.equal(namesOtherThanPins(name), true, name);
    }
    for (const name of ['pins', 'pinsForHost', 'pinsByDomain', 'hashesPerHost', 'allowedSpkiHashes', 'pinnedCertificates', 'hostPins', 'domainFingerprints', 'kTSKPublicKeyHashes', 'list', '']) {
      assert.equal(namesOtherThanPins(name), false, name);
    }
  });

  it('carried over edits are the names a search of the edited text finds', () => {
    const edit = fc.record({ start: fc.nat(200), length: fc.nat(8), text: fc.array(PIECE, { maxLength: 4 }).map((p) => p.join('')) });
    fc.assert(
      fc.property(fc.array(PIECE, { minLength: 10, maxLength: 120 }), fc.array(edit, { minLength: 1, maxLength: 8 }), (pieces, edits) => {
        let text = pieces.join('');
        pinSetNameTokens(text);
        for (const e of edits) {
          const start = Math.min(e.start, text.length);
          const oldEnd = Math.min(start + e.length, text.length);
          const edited = text.slice(0, start) + e.text + text.slice(oldEnd);
          carryPinSetNameTokens(text, edited, start, oldEnd, start + e.text.length);
          text = edited;
          const carried = [...pinSetNameTokens(text)];
          assert.deepEqual(carried, [...searchedAnew(text)], JSON.stringify(text));
        }
      }),
      { seed: 14, numRuns: 1000 },
    );
  });

  it('are those a search with the regular expression of the pin-set words finds, with the bytes or without', () => {
    // What the search did before it looked in UTF-8: every match of the words, widened to the
    // identifier around it, the next searched for after that identifier.
    const expected = (text: string) => {
      const tokens: { token: string; start: number }[] = [];
      const search = /pin|spki|fingerprint|hash|cert/gi;
      const isPart = (c: string | undefined) => c !== undefined && /[A-Za-z0-9_$]/.test(c);
      while (search.test(text)) {
        let start = search.lastIndex - 1;
        while (start > 0 && isPart(text[start - 1])) start--;
        let end = search.lastIndex;
        while (isPart(text[end])) end++;
        search.lastIndex = end;
        const token = text.slice(start, end);
        if (isPinSetName(token)) tokens.push({ token, start });
      }
      return tokens;
    };
    const pieces = fc.oneof(PIECE, fc.constantFrom('SPKI', 'fingerPrint', 'HASHES', 'certificates', 'Pinned', '😀', 'ſ', 'K', 'İ', '$', '€'));
    fc.assert(
      fc.property(fc.array(pieces, { maxLength: 150 }), (parts) => {
        const text = parts.join('');
        assert.deepEqual([...searchedAnew(text)], expected(text), JSON.stringify(text));
        pinSetNameTokens('');
        assert.deepEqual([...pinSetNameTokens(text, Buffer.from(text, 'utf8'))], expected(text), `with bytes: ${JSON.stringify(text)}`);
      }),
      { numRuns: 2000 },
    );
  });

  it('keeps none of the texts the names it carried over edits were cut from', () => {
    const collectGarbage = collector();
    collectGarbage();
    const before = v8.getHeapStatistics().used_heap_size;
    let text = `${'x'.repeat(MB)} final certificatePins = [];`;
    pinSetNameTokens(text);
    for (let i = 0; i < 100; i++) {
      // Each edit types a new name of its own into a 1 MB text.
      const name = ` final certificatePins${i} = [];`;
      const edited = text + name;
      carryPinSetNameTokens(text, edited, text.length, text.length, edited.length);
      text = edited;
      assert.equal(pinSetNameTokens(text).length, i + 2);
    }
    // Measured while the carried names are held (with the last text, 1 MB).
    collectGarbage();
    const grown = v8.getHeapStatistics().used_heap_size - before;
    pinSetNameTokens('');
    // Kept texts would be 100 MB.
    assert.ok(grown < 10 * MB, `the heap grew by ${(grown / MB).toFixed(1)} MB after carrying names over 100 edits`);
  });

  it('keeps none of the texts the names it judged were cut from', () => {
    const collectGarbage = collector();
    collectGarbage();
    const before = v8.getHeapStatistics().used_heap_size;
    for (let i = 0; i < 100; i++) {
      // A text of 1 MB each time, as an edited file is a new text after each keystroke.
      const text = `${'x'.repeat(MB)} final certificatePins${i} = [];`;
      const start = text.indexOf('certificatePins');
      assert.equal(isPinSetName(text.slice(start, text.indexOf(' ', start))), true);
    }
    collectGarbage();
    const grown = v8.getHeapStatistics().used_heap_size - before;
    // Kept texts would be 100 MB.
    assert.ok(grown < 10 * MB, `the heap grew by ${(grown / MB).toFixed(1)} MB after judging 100 names`);
  });
});

describe('isSpaceCode', () => {
  it('is what /\\s/ matches, on every UTF-16 unit', () => {
    const differ: number[] = [];
    for (let c = 0; c <= 0xffff; c++) if (isSpaceCode(c) !== /\s/.test(String.fromCharCode(c))) differ.push(c);
    assert.deepEqual(differ, []);
    assert.equal(isSpaceCode(Number.NaN), false); // charCodeAt past the end
  });
});
