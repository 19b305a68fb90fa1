/**
 * An analysis must leave nothing alive once it returns: an editor analyses a large file after
 * each keystroke, and what outlives V8's minor collections is copied and then promoted, which
 * made those collections take 4–12 ms in the middle of edits (bench/README.md, round 8; the
 * cause was object literals with a getter or a method made per rule and per call). Measured in
 * bytes, not time: the old generation's growth over analyses each followed by a minor collection.
 */
import * as assert from 'node:assert/strict';
import * as v8 from 'node:v8';
import type { Engine } from '../../server/src/engine/analyze';
import { parseSyntax } from '../../server/src/engine/syntax';
import { editFile } from '../../bench/src/generate/workspace';
import { collector } from '../helpers/collector';
import { sharedEngine } from '../helpers/engine';

function oldSpaceUsed(): number {
  return v8.getHeapSpaceStatistics().find((s) => s.space_name === 'old_space')!.space_used_size;
}

/**
 * Bytes the old generation grew by per analysis of `text`, each analysis followed by a minor
 * collection: on a whole tree, or (`parts`) from the parts the rules need, as the language server
 * analyses a Dart buffer (lsp/auditor.ts).
 */
function promotedPerAnalysis(engine: Engine, text: string, analyses: number, parts = false): number {
  const gc = collector();
  const input = { id: '/controller.dart', relativePath: 'controller.dart', grammar: 'dart' as const, text };
  const analyse = () => {
    const tree = parseSyntax(engine.parsers, 'dart', text);
    try {
      const result = engine.analyze(parts ? { ...input, wholeTree: { get: () => tree, maxShare: 0.05 } } : { ...input, tree });
      assert.ok(result.findings.length > 0);
    } finally {
      tree.delete();
    }
  };
  for (let i = 0; i < 5; i++) analyse(); // compiled, caches filled
  gc({ type: 'major' });
  const before = oldSpaceUsed();
  for (let i = 0; i < analyses; i++) {
    analyse();
    gc({ type: 'minor' });
  }
  return (oldSpaceUsed() - before) / analyses;
}

describe('what analyses leave to the garbage collector', function () {
  this.timeout(120_000);

  it('an analysis of a large class leaves little for a minor collection to keep', async () => {
    const engine = await sharedEngine();
    // The benchmark's app-shape Dart edit file: one class of about 680 members, pinning code at the top.
    const text = editFile('app', 'dart', 'pinning-audit');
    // The least of three measures: a collection the allocations start on their own adds to one.
    const promoted = Math.min(...[1, 2, 3].map(() => promotedPerAnalysis(engine, text, 20)));
    // With the object literals: 95 KB per analysis, and 37–43 KB with the Dart calls' literal
    // alone; without them, 1.3–2.0 KB.
    assert.ok(promoted < 20 * 1024, `the old generation grew by ${(promoted / 1024).toFixed(1)} KB per analysis`);
    // From the parts (the language server's Dart buffers): 3.9–4.0 KB.
    const fromParts = Math.min(...[1, 2, 3].map(() => promotedPerAnalysis(engine, text, 20, true)));
    assert.ok(fromParts < 20 * 1024, `the old generation grew by ${(fromParts / 1024).toFixed(1)} KB per analysis from the parts`);
  });
});
