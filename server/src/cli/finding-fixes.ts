/**
 * The preferred quick fix of each finding, as edits, for SARIF's `fixes`: what code scanning (and
 * any SARIF viewer) can offer to apply. Only fixes that need no input; each passed the same parse
 * check as in the editor.
 */
import type { Engine } from '../engine/analyze';
import type { GrammarId } from '../engine/languages';
import { SourceFile } from '../engine/source-file';
import { parseSyntax } from '../engine/syntax';
import type { Finding } from '../engine/types';
import { preferredEdit, type TextEdit } from '../fixes/index';

export interface FindingFix {
  title: string;
  edits: TextEdit[];
}

export function preferredFixes(engine: Engine, input: { id: string; relativePath: string; grammar: GrammarId }, text: string, findings: readonly Finding[]): (FindingFix | undefined)[] {
  let tree;
  try {
    tree = parseSyntax(engine.parsers, input.grammar, text);
  } catch {
    return findings.map(() => undefined); // it parsed for the audit; a second failure offers no fix
  }
  try {
    const file = new SourceFile(input.id, input.relativePath, input.grammar, text, tree);
    return findings.map((finding) => {
      if (finding.suppressed) return undefined;
      const fix = preferredEdit(file, finding, engine.parsers);
      return fix?.edits ? { title: fix.title, edits: fix.edits } : undefined;
    });
  } finally {
    tree.delete();
  }
}
