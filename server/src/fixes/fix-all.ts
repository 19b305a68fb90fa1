import type { AnalysisInput, AnalysisOptions, Engine } from '../engine/analyze';
import { SourceFile } from '../engine/source-file';
import type { Finding } from '../engine/types';
import { applyTextEdits, preferredEdit, type Fix } from './index';
import { parseErrorCount } from './parse-check';

export interface AppliedFix {
  ruleId: string;
  title: string;
  /** 0-based line of the finding, in the text as it was when the fix was applied. */
  line: number;
}

export interface FixAllResult {
  /** The text with every applicable preferred fix applied (the input text when none applied). */
  text: string;
  applied: AppliedFix[];
  /** Whether the fixed text parses with no ERROR or MISSING node. */
  parsesCleanly: boolean;
}

/** A ceiling on analyse-fix rounds: each round fixes one finding, and a fix never adds findings it then fixes again. */
const MAX_ROUNDS = 200;

/**
 * Applies, one at a time, the preferred fix of every unsuppressed finding that needs no input,
 * re-analysing after each (fixes may touch the same imports or helpers). Notes — findings in
 * debug-only code or tests, and hints — are left as they are.
 */
export function fixAll(engine: Engine, input: Omit<AnalysisInput, 'tree'>, options: AnalysisOptions = {}): FixAllResult {
  let text = input.text;
  const applied: AppliedFix[] = [];
  const gaveUp = new Set<string>();
  let parsesCleanly = true;
  if (!engine.mayHaveFindings(input.grammar, text, options.rules)) return { text, applied, parsesCleanly: true };
  /** The last fix applied: undone when its rule has as many findings after it as before. */
  let pending: { before: string; key: string; ruleId: string; count: number } | undefined;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const tree = engine.parsers.parse(input.grammar, text);
    try {
      parsesCleanly = parseErrorCount(tree) === 0;
      const { findings } = engine.analyze({ ...input, text, tree }, options);
      const open = findings.filter((f) => !f.suppressed && f.level !== 'note');
      if (pending) {
        const undo = open.filter((f) => f.ruleId === pending!.ruleId).length >= pending.count;
        if (undo) {
          text = pending.before;
          gaveUp.add(pending.key);
          applied.pop();
          pending = undefined;
          continue;
        }
        pending = undefined;
      }
      const file = new SourceFile(input.id, input.relativePath, input.grammar, text, tree);
      let next: { finding: Finding; fix: Fix } | undefined;
      for (const finding of open) {
        if (gaveUp.has(keyOf(finding))) continue;
        const fix = preferredEdit(file, finding, engine.parsers);
        if (fix) {
          next = { finding, fix };
          break;
        }
      }
      if (!next) break;
      const { finding, fix } = next;
      pending = { before: text, key: keyOf(finding), ruleId: finding.ruleId, count: open.filter((f) => f.ruleId === finding.ruleId).length };
      text = applyTextEdits(file, fix.edits!);
      applied.push({ ruleId: finding.ruleId, title: fix.title, line: finding.range.start.line });
    } finally {
      tree.delete();
    }
  }
  if (pending) {
    // The rounds ran out right after a fix: judge the final text itself.
    const tree = engine.parsers.parse(input.grammar, text);
    parsesCleanly = parseErrorCount(tree) === 0;
    tree.delete();
  }
  return { text, applied, parsesCleanly };
}

function keyOf(finding: Finding): string {
  return `${finding.ruleId}@${finding.range.start.line}:${finding.range.start.character}:${finding.message}`;
}
