import type { AnalysisInput, AnalysisOptions, Engine } from '../engine/analyze';
import { SourceFile } from '../engine/source-file';
import { parseSyntax, type SyntaxTree } from '../engine/syntax';
import type { Finding } from '../engine/types';
import { preferredDraft, preferredEdit } from './index';
import { parseErrorCount, reparseWithEdits } from './parse-check';
import type { OffsetEdit } from './types';

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
  /** Whether the fixed text parses with no ERROR or MISSING node (true when nothing was applied). */
  parsesCleanly: boolean;
}

/** A ceiling on analyse-fix rounds; a round applies every fix whose edits stay clear of the others'. */
const MAX_ROUNDS = 200;

/** The fixes applied in one round, and what must hold afterwards for them to stay. */
interface Batch {
  before: string;
  errorsBefore: number;
  /** Open findings per rule before the round, and how many of each the round fixed. */
  countsBefore: Map<string, number>;
  fixedPerRule: Map<string, number>;
  keys: string[];
  appliedBefore: number;
}

/**
 * Applies the preferred fix of every unsuppressed finding that needs no input, re-analysing
 * between rounds (fixes may add the same import or helper: a fix whose edits touch another's
 * waits for the next round). A round stays only when the file has no more parse errors and every
 * fixed finding is gone; otherwise it is undone and the fixes go one at a time, each checked on
 * its own. Notes — findings in debug-only code or tests, and hints — are left as they are.
 */
export function fixAll(engine: Engine, input: Omit<AnalysisInput, 'tree'>, options: AnalysisOptions = {}): FixAllResult {
  const applied: AppliedFix[] = [];
  // Most files have nothing to fix: an analysis (no parse without a trigger word, otherwise in
  // parts) says so before the whole parse the rounds below need, and gives the first round's findings.
  const first = engine.analyze(input, options);
  if (first.skipped) return { text: input.text, applied, parsesCleanly: false }; // a file we cannot parse gets no fix
  if (!first.findings.some(isFixable)) return { text: input.text, applied, parsesCleanly: true };
  let text = input.text;
  let tree: SyntaxTree;
  try {
    tree = parseSyntax(engine.parsers, input.grammar, text);
  } catch {
    return { text, applied, parsesCleanly: false }; // a file we cannot parse gets no fix
  }
  const gaveUp = new Set<string>();
  let oneAtATime = false;
  let batch: Batch | undefined;
  try {
    for (let round = 0; round < MAX_ROUNDS; round++) {
      const { findings } = round === 0 ? first : engine.analyze({ ...input, text, tree }, options);
      const open = findings.filter(isFixable);
      if (batch) {
        const held = parseErrorCount(tree) <= batch.errorsBefore &&
          [...batch.fixedPerRule].every(([rule, fixed]) => countOf(open, rule) <= batch!.countsBefore.get(rule)! - fixed);
        if (!held) {
          const before = parseSyntax(engine.parsers, input.grammar, batch.before);
          tree.delete();
          tree = before;
          text = batch.before;
          applied.splice(batch.appliedBefore);
          // A single fix that did not hold is not tried again; a failed round is retried fix by fix.
          if (batch.keys.length === 1) gaveUp.add(batch.keys[0]);
          else oneAtATime = true;
          batch = undefined;
          continue;
        }
        if (batch.keys.length === 1) oneAtATime = false;
        batch = undefined;
      }

      const file = new SourceFile(input.id, input.relativePath, input.grammar, text, tree);
      const chosen: { finding: Finding; title: string; edits: OffsetEdit[] }[] = [];
      for (const finding of open) {
        if (gaveUp.has(keyOf(finding))) continue;
        if (oneAtATime) {
          const fix = preferredEdit(file, finding, engine.parsers);
          if (!fix) continue;
          const edits = fix.edits!.map((e) => ({ start: file.offsetAt(e.range.start), end: file.offsetAt(e.range.end), text: e.newText }));
          chosen.push({ finding, title: fix.title, edits });
          break;
        }
        const draft = preferredDraft(file, finding);
        if (draft && !chosen.some((c) => touches(c.edits, draft.edits))) chosen.push({ finding, ...draft });
      }
      if (chosen.length === 0) break;

      const fixedPerRule = new Map<string, number>();
      for (const c of chosen) fixedPerRule.set(c.finding.ruleId, (fixedPerRule.get(c.finding.ruleId) ?? 0) + 1);
      const countsBefore = new Map([...fixedPerRule.keys()].map((rule) => [rule, countOf(open, rule)]));
      batch = { before: text, errorsBefore: parseErrorCount(tree), countsBefore, fixedPerRule, keys: chosen.map((c) => keyOf(c.finding)), appliedBefore: applied.length };
      const reparsed = reparseWithEdits(file, engine.parsers, chosen.flatMap((c) => c.edits));
      tree.delete();
      tree = reparsed.tree;
      text = reparsed.text;
      for (const c of chosen) applied.push({ ruleId: c.finding.ruleId, title: c.title, line: c.finding.range.start.line });
    }
  } catch {
    // A parse or analysis that failed half-way: keep only what was checked before it.
    if (batch) {
      text = batch.before;
      applied.splice(batch.appliedBefore);
    }
  } finally {
    tree!.delete();
  }
  return { text, applied, parsesCleanly: applied.length === 0 ? true : parsesCleanly(engine, input, text) };
}

/** Notes (findings in debug-only code or tests, and hints) and suppressed findings are left as they are. */
function isFixable(finding: Finding): boolean {
  return !finding.suppressed && finding.level !== 'note';
}

function countOf(findings: Finding[], rule: string): number {
  return findings.filter((f) => f.ruleId === rule).length;
}

/** Whether two fixes' edits overlap or meet (two insertions at one offset meet): such fixes wait a round. */
function touches(a: readonly OffsetEdit[], b: readonly OffsetEdit[]): boolean {
  return a.some((x) => b.some((y) => x.start <= y.end && y.start <= x.end));
}

/** The final word on a fixed text: a full parse, with no ERROR or MISSING node. */
function parsesCleanly(engine: Engine, input: Omit<AnalysisInput, 'tree'>, text: string): boolean {
  try {
    const tree = parseSyntax(engine.parsers, input.grammar, text);
    try {
      return parseErrorCount(tree) === 0;
    } finally {
      tree.delete();
    }
  } catch {
    return false;
  }
}

function keyOf(finding: Finding): string {
  return `${finding.ruleId}@${finding.range.start.line}:${finding.range.start.character}:${finding.message}`;
}
