/**
 * Pin insertion over every pin set of every fixture (test/pins has the worked examples): a new
 * pin lands in the set, the text parses no worse than before, nothing else in the set is lost,
 * and inserting the same pin again changes nothing.
 */
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { UnparsableFileError } from '../../server/src/engine/parser';
import type { PinSet } from '../../server/src/engine/workspace';
import { parseErrorCount } from '../../server/src/fixes/parse-check';
import { pinDigest } from '../../server/src/pins/pin-value';
import { insertPinEdits } from '../../server/src/pins/insert-pin';
import { withParsedPinFile } from '../../server/src/pins/parsed-pin-file';
import { sharedEngine } from '../helpers/engine';
import { applyEdits } from '../pins/edit-helpers';
import { seedSources, type SeedSource } from './fuzz/seed-sources';
import { runs } from './long-run';

/** The same set after an edit that appended to it: it starts where it started. */
const sameSet = (sets: PinSet[], before: PinSet) =>
  sets.find((s) => s.range.start.line === before.range.start.line && s.range.start.character === before.range.start.character);

const digests = (set: PinSet | undefined) => (set?.pins ?? []).map((p) => pinDigest(p.value) ?? p.value);

describe('reliability: pin insertion', function () {
  this.timeout(120_000);

  it(`inserts into every fixture pin set, parses no worse, and is idempotent (${runs(1, 10)} pin(s) per set)`, async function () {
    const { parsers } = await sharedEngine();
    const parse = <T>(seed: SeedSource, text: string, use: (sets: PinSet[], errors: number) => T) =>
      withParsedPinFile(parsers, { id: `/fixtures/${seed.name}`, relativePath: seed.name, grammar: seed.grammar, text }, (parsed) =>
        use(parsed.pinSets, parseErrorCount(parsed.file.syntax)));
    const pins = fc.sample(fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => Buffer.from(b).toString('base64')), { seed: 11, numRuns: 2000 });
    let inserted = 0;
    const problems: string[] = [];
    let next = 0;
    for (const seed of seedSources()) {
      let setCount: number;
      try {
        setCount = parse(seed, seed.text, (sets) => sets.length);
      } catch (error) {
        // Fixtures the engine skips on purpose (malformed XML, an XXE payload, a binary plist).
        if (error instanceof UnparsableFileError) continue;
        throw error;
      }
      for (let index = 0; index < setCount; index++) {
        for (let round = 0; round < runs(1, 10); round++) {
          const pin = pins[next++ % pins.length];
          const where = `${seed.name} set #${index}`;
          const first = withParsedPinFile(parsers, { id: `/fixtures/${seed.name}`, relativePath: seed.name, grammar: seed.grammar, text: seed.text }, (parsed) => {
            const set = parsed.pinSets[index];
            return { set, outcome: insertPinEdits(parsed, set, pin), errors: parseErrorCount(parsed.file.syntax) };
          });
          if (first.outcome.kind === 'unsupported') continue; // e.g. a comparison this edit cannot extend: said, not done
          if (first.outcome.kind !== 'edits') {
            problems.push(`${where}: a new pin was '${first.outcome.kind}'`);
            continue;
          }
          const text = applyEdits(seed.text, first.outcome.edits);
          const after = parse(seed, text, (sets, errors) => ({ set: sameSet(sets, first.set), errors }));
          if (after.errors > first.errors) problems.push(`${where}: ${after.errors} parse errors after inserting, ${first.errors} before`);
          const kept = digests(first.set).every((d) => digests(after.set).includes(d));
          if (!kept || !digests(after.set).includes(pinDigest(pin)!)) problems.push(`${where}: the set after inserting holds ${JSON.stringify(digests(after.set))}`);
          const again = withParsedPinFile(parsers, { id: `/fixtures/${seed.name}`, relativePath: seed.name, grammar: seed.grammar, text }, (parsed) => {
            const set = sameSet(parsed.pinSets, first.set);
            return set ? insertPinEdits(parsed, set, pin).kind : 'no set';
          });
          if (again !== 'present') problems.push(`${where}: inserting the same pin again gave '${again}'`);
          inserted++;
        }
      }
    }
    assert.deepEqual(problems, []);
    assert.ok(inserted >= 40, `only ${inserted} insertions were made`);
  });
});
