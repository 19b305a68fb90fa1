/**
 * Fix fixtures: `test/fixes/<rule-id>/cases.json` lists cases; each names an input file, the
 * finding (rule and 1-based line), the fix (by the start of its title) and the expected file.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Engine } from '../../server/src/engine/analyze';
import { grammarForPath } from '../../server/src/engine/languages';
import { SourceFile } from '../../server/src/engine/source-file';
import { parseSyntax } from '../../server/src/engine/syntax';
import type { Finding } from '../../server/src/engine/types';
import { FixContext } from '../../server/src/fixes/context';
import { applyTextEdits, fixesFor } from '../../server/src/fixes/index';
import { restrictToHostEdits } from '../../server/src/fixes/pin-check-ignores-host';
import { applyOffsetEdits } from '../../server/src/fixes/text';
import { REPO_ROOT } from '../helpers/engine';

export const FIX_CASES_DIR = path.join(REPO_ROOT, 'test', 'fixes');

export interface FixCase {
  /** Folder name: the rule whose finding is fixed, or `ignore-line`. */
  folder: string;
  input: string;
  expected: string;
  /** The rule of the finding (defaults to the folder). */
  rule?: string;
  /** 1-based line the finding starts on. */
  line: number;
  /** The start of the fix's title. */
  fix: string;
  /** For "Restrict the check to a host…": the host the user types. */
  host?: string;
  /** What re-analysis shows for the rule afterwards: nothing (default), a note, or a suppressed finding. */
  after?: 'gone' | 'note' | 'suppressed';
}

export function readFixCases(): FixCase[] {
  return fs.readdirSync(FIX_CASES_DIR, { withFileTypes: true })
    .filter((e) => e.isDirectory() && fs.existsSync(path.join(FIX_CASES_DIR, e.name, 'cases.json')))
    .flatMap((e) => (JSON.parse(fs.readFileSync(path.join(FIX_CASES_DIR, e.name, 'cases.json'), 'utf8')) as Omit<FixCase, 'folder'>[])
      .map((c) => ({ ...c, folder: e.name })));
}

export function caseRule(c: FixCase): string {
  return c.rule ?? c.folder;
}

export interface Analysed {
  file: SourceFile;
  findings: Finding[];
  dispose(): void;
}

export function analyse(engine: Engine, fileName: string, text: string): Analysed {
  const grammar = grammarForPath(fileName)!;
  const tree = parseSyntax(engine.parsers, grammar, text);
  const { findings } = engine.analyze({ id: fileName, relativePath: path.basename(fileName), grammar, text, tree });
  return { file: new SourceFile(fileName, path.basename(fileName), grammar, text, tree), findings, dispose: () => tree.delete() };
}

/** Applies the case's fix to `text` (the input, possibly with other line endings); throws when it is not offered. */
export function applyCase(engine: Engine, c: FixCase, text: string): { fixed: string; finding: Finding; title: string } {
  const fileName = path.join(FIX_CASES_DIR, c.folder, c.input);
  const analysed = analyse(engine, fileName, text);
  try {
    const matching = analysed.findings.filter((f) => f.ruleId === caseRule(c) && f.range.start.line === c.line - 1 && !f.suppressed);
    if (matching.length !== 1) {
      throw new Error(`expected one ${caseRule(c)} finding on line ${c.line}, got ${matching.length}:\n` +
        analysed.findings.map((f) => `${f.range.start.line + 1}: ${f.ruleId} ${f.message}`).join('\n'));
    }
    const [finding] = matching;
    const fixes = fixesFor(analysed.file, finding, engine.parsers);
    const fix = fixes.find((f) => f.title.startsWith(c.fix));
    if (!fix) throw new Error(`no fix titled "${c.fix}…"; offered: ${fixes.map((f) => f.title).join(' | ') || 'none'}`);
    if (c.host !== undefined) {
      if (fix.input?.kind !== 'restrictToHost') throw new Error(`"${fix.title}" asks for no host`);
      const edits = restrictToHostEdits(new FixContext(analysed.file, finding), c.host, fix.input.range);
      if (!edits) throw new Error(`no edit restricting to ${c.host}`);
      return { fixed: applyOffsetEdits(text, edits), finding, title: fix.title };
    }
    if (!fix.edits) throw new Error(`"${fix.title}" is not an edit`);
    return { fixed: applyTextEdits(analysed.file, fix.edits), finding, title: fix.title };
  } finally {
    analysed.dispose();
  }
}
