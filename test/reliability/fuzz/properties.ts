import { performance } from 'node:perf_hooks';
import type { AnalysisResult, Engine } from '../../../server/src/engine/analyze';
import { applyChange, UnparsableFileError, type TextChange } from '../../../server/src/engine/parser';
import { codeTree, parseSyntax, type SyntaxTree } from '../../../server/src/engine/syntax';
import type { Range } from '../../../server/src/engine/types';
import { countNodeLookups } from '../../helpers/node-calls';
import type { FuzzSource } from './cases';

/**
 * The most node look-ups (see countNodeLookups) one analysis may make per character of its text,
 * past the first LOOKUPS_BASE: a bound on the work, linear in the input, that a busy machine
 * does not move (it replaced "2 s per file"). The 10,000 cases of `npm run fuzz` reach 9.5
 * (Swift calls nested 4,000 deep); work quadratic in the nesting or the length goes far past it.
 */
export const MAX_LOOKUPS_PER_CHARACTER = 20;
const LOOKUPS_BASE = 20_000;
/**
 * Walks from the root (`parent`, siblings: each costs the node's depth) one analysis may make,
 * past the first LOOKUPS_BASE / 10: one per 4 characters. `npm run fuzz` reaches one per 5.6: a
 * `parent` per level of `a.b(` nested 4,300 deep in TypeScript (quadratic in the depth, though
 * each walk is cheap).
 */
const WALKS_FROM_ROOT_PER_CHARACTER = 0.25;

export interface CaseOutcome {
  /** Broken properties, one line each; empty when the case passed. */
  problems: string[];
  /** Slowest single analysis of the case (measured for `npm run fuzz`'s report, not checked). */
  maxMs: number;
  /** Most node look-ups per character in one analysis of the case. */
  maxLookupsPerCharacter: number;
  /** The engine skipped the text: its parse hit the time limit or failed. */
  skipped: boolean;
}

/** Line lengths as an editor counts them: `\n`, `\r\n` and a lone `\r` each end a line. */
export function lineLengths(text: string): number[] {
  return text.split(/\r\n|\r|\n/).map((line) => line.length);
}

/** Problems with `range` in a document of these line lengths: LSP clients reject or misplace such ranges. */
export function rangeProblems(range: Range, lengths: readonly number[], what: string): string[] {
  const problems: string[] = [];
  for (const [name, p] of [['start', range.start], ['end', range.end]] as const) {
    if (!Number.isInteger(p.line) || !Number.isInteger(p.character) || p.line < 0 || p.character < 0) {
      problems.push(`${what}: ${name} ${JSON.stringify(p)} is not a position`);
    } else if (p.line >= lengths.length) {
      problems.push(`${what}: ${name} line ${p.line} ≥ line count ${lengths.length}`);
    } else if (p.character > lengths[p.line]) {
      problems.push(`${what}: ${name} ${p.line}:${p.character} past the line's length ${lengths[p.line]}`);
    }
  }
  const { start, end } = range;
  if (start.line > end.line || (start.line === end.line && start.character > end.character)) {
    problems.push(`${what}: start ${start.line}:${start.character} after end ${end.line}:${end.character}`);
  }
  return problems;
}

function resultProblems(result: AnalysisResult, text: string): string[] {
  const lengths = lineLengths(text);
  const problems: string[] = [];
  for (const f of result.findings) {
    problems.push(...rangeProblems(f.range, lengths, `finding ${f.ruleId}`));
    if (typeof f.message !== 'string' || f.message.trim() === '') problems.push(`finding ${f.ruleId}: empty message`);
  }
  for (const set of result.pinSets) {
    problems.push(...rangeProblems(set.range, lengths, 'pin set'));
    for (const pin of set.pins) problems.push(...rangeProblems(pin.range, lengths, 'pin'));
  }
  return problems;
}

/** Runs one analysis, timed and with its node look-ups counted; problems when it did more work than its size allows. */
function measured<T>(what: string, characters: number, problems: string[], run: () => T): { value: T; ms: number; lookupsPerCharacter: number } {
  const started = performance.now();
  const { value, lookups } = countNodeLookups(run);
  const ms = performance.now() - started;
  const limit = LOOKUPS_BASE + MAX_LOOKUPS_PER_CHARACTER * characters;
  if (lookups.total > limit) problems.push(`${what} made ${lookups.total} node look-ups for ${characters} characters (limit ${limit})`);
  const walkLimit = LOOKUPS_BASE / 10 + Math.floor(WALKS_FROM_ROOT_PER_CHARACTER * characters);
  if (lookups.fromRoot > walkLimit) problems.push(`${what} walked from the root ${lookups.fromRoot} times for ${characters} characters (limit ${walkLimit})`);
  return { value, ms, lookupsPerCharacter: lookups.total / Math.max(1, characters) };
}

function errorLine(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const frame = error.stack?.split('\n').find((l) => /^\s+at /.test(l))?.trim() ?? '';
  return `${error.name}: ${error.message} ${frame}`;
}

/**
 * The properties every input must keep: the engine never throws, its work on the tree grows at
 * most linearly with the text (node look-ups, not time: a test must not fail because the machine
 * is busy), and it reports ranges inside the document. Mutated cases also
 * go through the editor's path: the seed is parsed, the difference applied as one
 * incremental change (which must reproduce the text exactly), and the edited tree analyzed.
 */
export function checkCase(engine: Engine, source: FuzzSource): CaseOutcome {
  const problems: string[] = [];
  let maxMs = 0;
  let maxLookupsPerCharacter = 0;
  const input = { id: `/fuzz/${source.relativePath}`, relativePath: source.relativePath, grammar: source.grammar };

  let skipped = false;
  try {
    const { value, ms, lookupsPerCharacter } = measured('analysis', source.text.length, problems, () => engine.analyze({ ...input, text: source.text }));
    maxMs = ms;
    maxLookupsPerCharacter = lookupsPerCharacter;
    skipped = value.skipped !== undefined;
    problems.push(...resultProblems(value, source.text));
  } catch (error) {
    problems.push(`analysis threw ${errorLine(error)}`);
  }

  // A text whose full parse hit the time limit is not parsed a second time: that would only
  // double the cost of the slowest cases.
  if (source.original !== undefined && !skipped) {
    let tree: SyntaxTree;
    try {
      tree = parseSyntax(engine.parsers, source.grammar, source.original);
    } catch (error) {
      // A seed the engine skips (malformed XML on purpose) has no tree to edit.
      if (error instanceof UnparsableFileError) return { problems, maxMs, maxLookupsPerCharacter, skipped };
      throw error;
    }
    try {
      const change = changeBetween(source.original, source.text);
      const edited = applyChange(source.original, change, codeTree(tree));
      if (edited !== source.text) problems.push('applyChange did not reproduce the edited text');
      const { value, ms, lookupsPerCharacter } = measured('incremental analysis', edited.length, problems, () => {
        // What the server does: parse with the edited tree, then analyze that tree.
        let newTree: SyntaxTree;
        try {
          newTree = parseSyntax(engine.parsers, source.grammar, edited, tree);
        } catch (error) {
          if (error instanceof UnparsableFileError) return undefined; // the server skips the file and says so
          throw error;
        }
        try {
          return engine.analyze({ ...input, text: edited, tree: newTree });
        } finally {
          newTree.delete();
        }
      });
      maxMs = Math.max(maxMs, ms);
      maxLookupsPerCharacter = Math.max(maxLookupsPerCharacter, lookupsPerCharacter);
      if (value) problems.push(...resultProblems(value, edited).map((p) => `incremental: ${p}`));
    } catch (error) {
      problems.push(`incremental analysis threw ${errorLine(error)}`);
    } finally {
      tree.delete();
    }
  }
  return { problems, maxMs, maxLookupsPerCharacter, skipped };
}

/**
 * The one LSP change (range in `before`, replacement text) that turns `before` into `after`,
 * as an editor would send it: its ends never split a `\r\n` or a surrogate pair.
 */
export function changeBetween(before: string, after: string): TextChange {
  let prefix = 0;
  const maxPrefix = Math.min(before.length, after.length);
  while (prefix < maxPrefix && before.charCodeAt(prefix) === after.charCodeAt(prefix)) prefix++;
  let suffix = 0;
  const maxSuffix = Math.min(before.length, after.length) - prefix;
  while (suffix < maxSuffix && before.charCodeAt(before.length - 1 - suffix) === after.charCodeAt(after.length - 1 - suffix)) suffix++;
  while (prefix > 0 && splitsPair(before, prefix)) prefix--;
  while (suffix > 0 && splitsPair(before, before.length - suffix)) suffix--;
  const start = positionOf(before, prefix);
  const end = positionOf(before, before.length - suffix);
  return { range: { start, end }, text: after.slice(prefix, after.length - suffix) };
}

function splitsPair(text: string, offset: number): boolean {
  const a = text.charCodeAt(offset - 1);
  const b = text.charCodeAt(offset);
  return (a === 13 && b === 10) || (a >= 0xd800 && a <= 0xdbff && b >= 0xdc00 && b <= 0xdfff);
}

function positionOf(text: string, offset: number): { line: number; character: number } {
  const before = text.slice(0, offset).split(/\r\n|\r|\n/);
  return { line: before.length - 1, character: before[before.length - 1].length };
}
