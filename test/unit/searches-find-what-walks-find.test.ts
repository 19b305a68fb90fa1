/**
 * Facts look for their nodes from the words and values they depend on (`descendantsAround`,
 * `leavesMatching`, the pin sets' search near pins and pin-set names), so that an edit of a
 * large file does not walk all of it, and skip resolving a comparison or list with nothing
 * pin-like in sight. They must find exactly what a walk of the whole tree that resolves every
 * one finds: every fixture, fix case and example, and the fuzz corpus, is analysed both ways
 * (`withWholeTreeWalks`), and the findings, their messages and the pin sets must be the same.
 */
import * as assert from 'node:assert/strict';
import { SourceFile } from '../../server/src/engine/source-file';
import { parseSyntax } from '../../server/src/engine/syntax';
import { pinSets } from '../../server/src/facts/pin-sets';
import { withWholeTreeWalks } from '../../server/src/facts/tree';
import { sharedEngine, STOPPED, withClock } from '../helpers/engine';
import { analysisInput, describeFindings, fuzzSources, repoSources } from '../helpers/source-files';
import type { FuzzSource } from '../reliability/fuzz/cases';

const FUZZ_CASES = 1000;

describe('searches from words find what walks of the whole tree find', function () {
  this.timeout(120_000);

  for (const [name, sources, minWithFindings, minWithPinSets] of [
    ['fixture, fix-case and example file', repoSources, 100, 40],
    [`of ${FUZZ_CASES} fuzz cases`, () => fuzzSources(FUZZ_CASES), 20, 10],
  ] as const) {
    it(`in every ${name}`, async () => {
      const engine = await sharedEngine();
      let withFindings = 0;
      let withPinSets = 0;
      withClock(STOPPED, () => {
        for (const source of sources() as FuzzSource[]) {
          const input = analysisInput(source);
          const walked = describeFindings(withWholeTreeWalks(() => engine.analyze(input)).findings);
          assert.deepEqual(describeFindings(engine.analyze(input).findings), walked, `${source.relativePath}\n${source.text}`);
          if (walked.length > 0) withFindings++;

          let tree;
          try {
            tree = parseSyntax(engine.parsers, source.grammar, source.text);
          } catch {
            continue; // unparsable: nothing to search
          }
          try {
            const file = () => new SourceFile(source.relativePath, source.relativePath, source.grammar, source.text, tree);
            const walkedSets = withWholeTreeWalks(() => pinSets(file()));
            assert.deepEqual(pinSets(file()), walkedSets, `pin sets of ${source.relativePath}\n${source.text}`);
            if (walkedSets.length > 0) withPinSets++;
          } finally {
            tree.delete();
          }
        }
      });
      assert.ok(withFindings > minWithFindings, `only ${withFindings} with findings`);
      assert.ok(withPinSets > minWithPinSets, `only ${withPinSets} with pin sets`);
    });
  }
});
