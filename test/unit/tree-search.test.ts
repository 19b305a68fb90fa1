/**
 * Facts find their nodes from the occurrences of the words they depend on (`descendantsAround`),
 * and fall back to one walk of the tree when the words are many. Both paths must find the same
 * nodes, and a word that is empty (the name of a MISSING identifier) must find nothing.
 */
import * as assert from 'node:assert/strict';
import { SourceFile } from '../../server/src/engine/source-file';
import { pinSets } from '../../server/src/facts/pin-sets';
import { descendants, descendantsAround, MAX_CLIMBS, withWholeTreeWalks } from '../../server/src/facts/tree';
import { sharedEngine } from '../helpers/engine';

const TYPES = ['pair', 'assignment_expression'];

function agents(count: number): string {
  return Array.from({ length: count }, (_, i) => `const agent${i} = new https.Agent({ rejectUnauthorized: ${i % 2 === 0}, keepAlive: true });\n`).join('') +
    'options.rejectUnauthorized = false;\n';
}

describe('searches from words', () => {
  it('find the nodes of the given types that hold a word, with few occurrences and with many', async () => {
    const { parsers } = await sharedEngine();
    for (const count of [3, MAX_CLIMBS * 2]) {
      const text = agents(count);
      const tree = parsers.parse('typescript', text);
      try {
        const found = descendantsAround(tree.rootNode, text, TYPES, ['rejectUnauthorized']).map((n) => `${n.type}@${n.startIndex}`);
        const expected = descendants(tree.rootNode, TYPES).filter((n) => n.text.includes('rejectUnauthorized')).map((n) => `${n.type}@${n.startIndex}`);
        assert.deepEqual(found, expected, `${count + 1} occurrences`);
        assert.equal(found.length, count + 1);
      } finally {
        tree.delete();
      }
    }
  });

  it('find nothing for an empty word, and end', async () => {
    const { parsers } = await sharedEngine();
    const tree = parsers.parse('typescript', agents(2));
    try {
      assert.deepEqual(descendantsAround(tree.rootNode, agents(2), TYPES, ['']), []);
    } finally {
      tree.delete();
    }
  });

  it('find the same pin sets near pins as by a walk when pin names are many', async () => {
    const { parsers } = await sharedEngine();
    const constants = Array.from({ length: MAX_CLIMBS }, (_, i) => `const pin_${i} = 'placeholder${i}';\n`).join('');
    const text = `${constants}const pins = [pin_1, pin_2];\nconst stagingPins = ['TODO'];\nif (seen == pin_3 || seen == pin_4) {}\n`;
    const tree = parsers.parse('typescript', text);
    try {
      const file = () => new SourceFile('x.ts', 'x.ts', 'typescript', text, tree);
      const walked = withWholeTreeWalks(() => pinSets(file()));
      assert.ok(walked.length >= 3, `${walked.length} pin sets`);
      assert.deepEqual(pinSets(file()), walked);
    } finally {
      tree.delete();
    }
  });
});
