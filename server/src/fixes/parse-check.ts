import type { Node, Range as TreeRange, Tree } from 'web-tree-sitter';
import { applyChange, type Parsers } from '../engine/parser';
import type { SourceFile } from '../engine/source-file';
import { codeTree, parseSyntax, type SyntaxTree } from '../engine/syntax';
import { Points } from '../engine/partial-parse';
import { isPartialParse, requireText } from '../facts/tree';
import type { OffsetEdit } from './types';

/** How many ERROR and MISSING nodes the tree holds: a fixed file must not have more than the original. */
export function parseErrorCount(syntax: SyntaxTree): number {
  // An XML document exists only when saxes read the whole file without an error.
  const tree = codeTree(syntax);
  if (!tree) return 0;
  let count = 0;
  // A stack, not recursion: a fuzz case nests deeper than V8's call stack reaches.
  const stack: Node[] = tree.rootNode.hasError ? [tree.rootNode] : [];
  for (let node = stack.pop(); node; node = stack.pop()) {
    if (node.isError || node.isMissing) count++;
    for (const child of node.children) {
      if (child && (child.hasError || child.isMissing)) stack.push(child);
    }
  }
  return count;
}

/**
 * The included ranges of a tree parsed in parts after `edits` (the tree's own, which `edit`
 * moved), each edit's new text inside one: tree-sitter moves a range that starts where an
 * insertion ends past the insertion, which the parse would then never read. `text`: the edited text.
 */
function rangesHolding(edited: Tree, text: string, edits: readonly OffsetEdit[]): TreeRange[] {
  const ranges = edited.getIncludedRanges();
  const points = new Points(text);
  let shift = 0;
  for (const edit of [...edits].sort((a, b) => a.start - b.start || a.end - b.end)) {
    const start = edit.start + shift;
    const end = start + edit.text.length;
    shift += edit.text.length - (edit.end - edit.start);
    if (ranges.some((r) => r.startIndex <= start && end <= r.endIndex)) continue;
    const moved = ranges.find((r) => r.startIndex === end);
    // (Edits in order: their new starts ascend, as `Points` needs.)
    if (moved) Object.assign(moved, { startIndex: start, startPosition: points.at(start) });
  }
  return ranges;
}

/**
 * The tree of `file`'s text with `edits` applied, parsed incrementally from the file's own tree
 * (a fix touches a few lines; re-parsing a large file from scratch for each fix would not do).
 * Throws as `Parsers.parse` does when the parse fails or takes too long.
 */
export function reparseWithEdits(file: SourceFile, parsers: Parsers, edits: readonly OffsetEdit[]): { text: string; tree: SyntaxTree } {
  // A tree parsed in parts (the CLI's fixes) is parsed again in the same parts, moved by the
  // edits; an edit of text the parts left out asks for that text (`TextNeeded`).
  const tree = codeTree(file.syntax);
  const inParts = !!tree && isPartialParse(tree);
  if (inParts) requireText(tree, edits.map((e) => [e.start, e.end]));
  const old = file.syntax.copy();
  try {
    let text = file.text;
    // From the end backwards: the positions of earlier edits stay those of the original text.
    for (const edit of [...edits].sort((a, b) => b.start - a.start || b.end - a.end)) {
      const range = { start: file.positionAt(edit.start), end: file.positionAt(edit.end) };
      text = applyChange(text, { range, text: edit.text }, codeTree(old));
    }
    return { text, tree: parseSyntax(parsers, file.grammar, text, old, inParts ? rangesHolding(codeTree(old)!, text, edits) : undefined) };
  } finally {
    old.delete();
  }
}
