/**
 * Trigger words decide which files are parsed at all. A trigger that is too narrow (a
 * confirmation that says no, a language's list that misses a word) silently drops findings, so
 * every fixture, fix case and example, and the fuzz corpus, is analysed twice: with the rules'
 * triggers, and with none at all (every rule runs on every parsed file). The findings must be
 * the same. The pin-set pre-filter is held to the pin-set search itself: a file in which the
 * full search finds a set is never one the pre-filter lets go unparsed.
 */
import * as assert from 'node:assert/strict';
import { Engine } from '../../server/src/engine/analyze';
import { SourceFile } from '../../server/src/engine/source-file';
import { parseSyntax } from '../../server/src/engine/syntax';
import { pinSets } from '../../server/src/facts/pin-sets';
import { withWholeTreeWalks } from '../../server/src/facts/tree';
import { ALL_RULES } from '../../server/src/rules';
import { sharedEngine, STOPPED, withClock } from '../helpers/engine';
import { analysisInput, describeFindings, fuzzSources, repoSources } from '../helpers/source-files';

/** Fuzz cases checked here: the first of the sequence `npm test`'s fuzz run checks. */
const FUZZ_CASES = 1000;

describe('trigger words hide no finding', function () {
  this.timeout(120_000);
  const untriggered = ALL_RULES.map((rule) => ({ ...rule, meta: { ...rule.meta, triggers: undefined } }));
  const repo = repoSources();

  it('finds the fixture, fix-case and example files', () => {
    assert.ok(repo.length > 100, `only ${repo.length} files`);
  });

  for (const [name, sources, minWithFindings] of [['fixture, fix-case and example file', () => repo, 50], [`of ${FUZZ_CASES} fuzz cases`, () => fuzzSources(FUZZ_CASES), 20]] as const) {
    it(`gives the same findings with the triggers as without them, in every ${name}`, async () => {
      const engine = await sharedEngine();
      const everyRule = new Engine(engine.parsers, untriggered);
      let withFindings = 0;
      withClock(STOPPED, () => {
        for (const source of sources()) {
          const input = analysisInput(source);
          const expected = describeFindings(everyRule.analyze(input).findings);
          assert.deepEqual(describeFindings(engine.analyze(input).findings), expected, `${source.relativePath}\n${source.text}`);
          if (expected.length > 0) withFindings++;
        }
      });
      assert.ok(withFindings > minWithFindings, `only ${withFindings} with findings`);
    });

    it(`calls for the same rules on the UTF-8 bytes as on the text, in every ${name}`, async () => {
      // The bytes' pass settles most files from where the pin words end in the bytes, before it decodes (ConfirmedTrigger.rejects).
      const engine = await sharedEngine();
      let nonAscii = 0;
      for (const source of sources()) {
        const bytes = Buffer.from(source.text, 'utf8');
        if (bytes.length !== source.text.length) nonAscii++;
        const ids = ({ rules, pinSets }: { rules: { meta: { id: string } }[]; pinSets: boolean }) => ({ rules: rules.map((r) => r.meta.id), pinSets });
        assert.deepEqual(ids(engine.triggers.inBytes(source.grammar, bytes, () => source.text)), ids(engine.triggers.inText(source.grammar, source.text)), `${source.relativePath}\n${source.text}`);
      }
      assert.ok(nonAscii > 0, 'no file with a non-ASCII character');
    });

    it(`lets every ${name} with a pin set through its pin-set pre-filter`, async () => {
      const engine = await sharedEngine();
      let withPinSets = 0;
      withClock(STOPPED, () => {
        for (const source of sources()) {
          let tree;
          try {
            tree = parseSyntax(engine.parsers, source.grammar, source.text);
          } catch {
            continue; // unparsable: the engine skips it whatever its triggers say
          }
          try {
            const file = new SourceFile(source.relativePath, source.relativePath, source.grammar, source.text, tree);
            // The full search: every collection and comparison of the tree (a platform config's sets come from its XML).
            if (withWholeTreeWalks(() => pinSets(file)).length === 0) continue;
            withPinSets++;
            assert.ok(engine.triggers.inText(source.grammar, source.text).pinSets, `${source.relativePath} holds a pin set\n${source.text}`);
          } finally {
            tree.delete();
          }
        }
      });
      assert.ok(withPinSets > 10, `only ${withPinSets} with pin sets`);
    });
  }
});
