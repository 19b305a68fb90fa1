/**
 * The CLI drafts SARIF's fixes on the tree its audit parsed (cli/finding-fixes.ts,
 * `AnalysisOptions.withTree`): in parts, with whatever a fix asks for parsed in (the analysis
 * runs again), and the fix's parse check in the same parts. That must change no fix: for every fixture, fix
 * case and example, fuzz cases and files of the benchmark's real-app shape, the preferred fix of
 * each finding is the same drafted in parts as on a whole parse: as the CLI drafts them (asking
 * for the file's imports and end first), and each fix alone (asking for what it needs). The
 * counts make sure the parts were real and that there were fixes to compare.
 */
import * as assert from 'node:assert/strict';
import { preferredFixes } from '../../server/src/cli/finding-fixes';
import type { Parsers } from '../../server/src/engine/parser';
import type { SourceFile } from '../../server/src/engine/source-file';
import type { Finding } from '../../server/src/engine/types';
import { preferredEdit } from '../../server/src/fixes/index';
import { parseErrorCount, reparseWithEdits } from '../../server/src/fixes/parse-check';
import { codeTree } from '../../server/src/engine/syntax';
import { isPartialParse } from '../../server/src/facts/tree';
import { sharedEngine, STOPPED, withClock } from '../helpers/engine';
import { withPartialParse } from '../helpers/partial-parses';
import { analysisInput, fuzzSources, repoSources } from '../helpers/source-files';
import { appShapeSources } from '../helpers/app-shape-sources';
import type { FuzzSource } from '../reliability/fuzz/cases';

const FUZZ_CASES = 300;

/** `preferredFixes` without asking for any text first: each fix asks for what it needs. */
function eachAlone(file: SourceFile, findings: readonly Finding[], parsers: Parsers): ReturnType<typeof preferredFixes> {
  return findings.map((finding) => {
    const fix = finding.suppressed ? undefined : preferredEdit(file, finding, parsers);
    return fix?.edits ? { title: fix.title, edits: fix.edits } : undefined;
  });
}

describe('partial parses fix what whole parses fix', function () {
  this.timeout(300_000);

  for (const [name, sources, minInParts, minFixes] of [
    ['fixture, fix-case and example file', repoSources, 100, 150],
    [`of ${FUZZ_CASES} fuzz cases`, () => fuzzSources(FUZZ_CASES), 30, 30],
    ['file of the real-app shape', appShapeSources, 5, 5],
  ] as const) {
    it(`in every ${name}`, async () => {
      const engine = await sharedEngine();
      let inParts = 0;
      let fixes = 0;
      withClock(STOPPED, () => {
        for (const source of sources() as FuzzSource[]) {
          const input = analysisInput(source);
          // The fixes as the CLI drafts them: on the tree of the analysis that found the findings;
          // and each fix alone, without the text preferredFixes asks for first (imports, the end).
          const fixesOf = (draft: typeof preferredFixes) => () => {
            let fixes: ReturnType<typeof preferredFixes> = [];
            engine.analyze(input, { withTree: (file, { findings }) => (fixes = draft(file, findings, engine.parsers)) });
            return fixes;
          };
          const whole = withPartialParse(engine, undefined, fixesOf(preferredFixes)).value;
          if (whole.length === 0) continue;
          // Parts wherever the file can be cut, however much of it they hold.
          const partial = withPartialParse(engine, { maxShare: 1 }, fixesOf(preferredFixes));
          assert.deepEqual(partial.value, whole, `${source.relativePath}\n${source.text}`);
          assert.deepEqual(withPartialParse(engine, { maxShare: 1 }, fixesOf(eachAlone)).value, whole, `each alone: ${source.relativePath}\n${source.text}`);
          if (partial.partialParses > 0) inParts++;
          fixes += whole.filter((f) => f !== undefined).length;
        }
      });
      assert.ok(inParts >= minInParts, `only ${inParts} files' fixes drafted in parts`);
      assert.ok(fixes >= minFixes, `only ${fixes} fixes compared`);
    });
  }

  it("checks a fix's edit in parts with the edit's text read, also where it starts a part", async () => {
    const engine = await sharedEngine();
    const text = [
      "import 'dart:io';",
      'class A {',
      '  int a = 1;',
      '  int b = 2;',
      '  void f(HttpClient client) {',
      '    client.badCertificateCallback = (cert, host, port) => true;',
      '  }',
      '}',
      '',
    ].join('\n');
    const errors: number[] = [];
    withPartialParse(engine, { maxShare: 1 }, () => engine.analyze({ id: '/a.dart', relativePath: 'a.dart', grammar: 'dart', text }, {
      withTree: (file) => {
        const tree = codeTree(file.syntax)!;
        assert.ok(isPartialParse(tree));
        // Each part's first character: tree-sitter moves a part that starts there past an insertion.
        for (const { startIndex } of tree.getIncludedRanges().filter((r) => r.startIndex > 0)) {
          const reparsed = reparseWithEdits(file, engine.parsers, [{ start: startIndex, end: startIndex, text: ' @@@ ' }]);
          errors.push(parseErrorCount(reparsed.tree));
          reparsed.tree.delete();
        }
      },
    }));
    assert.ok(errors.length > 0, 'no part starts after the file start');
    assert.ok(errors.every((n) => n > 0), `inserted text the parse did not read: ${errors}`);
  });
});
