/**
 * `pinSets` looks only near pin-like literals and pin-set names, so that an edit of a large file
 * does not walk all of it. It must find exactly what a walk over every collection and
 * comparison finds (`pinSetsByWalk`), in every fixture, fix case and example.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { grammarForPath } from '../../server/src/engine/languages';
import { SourceFile } from '../../server/src/engine/source-file';
import { pinSets, pinSetsByWalk } from '../../server/src/facts/pin-sets';
import { REPO_ROOT, sharedEngine } from '../helpers/engine';
import { sourceFilesUnder } from '../helpers/source-files';

describe('pin sets near pins', () => {
  const files = ['test/fixtures', 'test/fixes', 'examples'].flatMap((dir) => sourceFilesUnder(path.join(REPO_ROOT, dir)));

  it('finds the same pin sets as a walk of the whole tree, in every file', async () => {
    const { parsers } = await sharedEngine();
    let withPinSets = 0;
    for (const file of files) {
      const grammar = grammarForPath(file)!;
      if (grammar === 'xml') continue; // platform configs' sets are read from the XML, not searched for
      const text = fs.readFileSync(file, 'utf8');
      const tree = parsers.parse(grammar, text);
      try {
        const walked = pinSetsByWalk(new SourceFile(file, file, grammar, text, tree));
        const near = pinSets(new SourceFile(file, file, grammar, text, tree));
        assert.deepEqual(near, walked, path.relative(REPO_ROOT, file));
        if (walked.length > 0) withPinSets++;
      } finally {
        tree.delete();
      }
    }
    assert.ok(withPinSets > 40, `only ${withPinSets} files with pin sets`);
  });
});
