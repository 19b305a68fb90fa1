/**
 * facts/names.ts keeps a verdict per name it has judged, across files and edits. The names are
 * cut from files' texts, and in V8 a cut of 13 characters or more is a view that keeps the whole
 * text alive: the cache must hold copies, or an editor session keeps a text per new name typed.
 */
import * as assert from 'node:assert/strict';
import * as v8 from 'node:v8';
import { isPinSetName } from '../../server/src/facts/names';
import { collector } from '../helpers/collector';

const MB = 1 << 20;

describe('pin-set names', () => {
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
