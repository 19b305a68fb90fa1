/**
 * Text helpers shared by the fixes: line endings, indentation, line-aware removal and edit
 * application. Offsets are UTF-16 indices, as tree-sitter reports them for our parsers.
 */
import type { Node } from 'web-tree-sitter';
import type { OffsetEdit } from './types';

/** The file's dominant line ending, so inserted lines match it (CRLF stays CRLF). */
export function lineEnding(text: string): string {
  let crlf = 0;
  let lf = 0;
  let cr = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 13) {
      if (text.charCodeAt(i + 1) === 10) {
        crlf++;
        i++;
      } else cr++;
    } else if (c === 10) lf++;
  }
  if (crlf >= lf && crlf >= cr && crlf > 0) return '\r\n';
  if (cr > lf) return '\r';
  return '\n';
}

function isLineBreak(c: number): boolean {
  return c === 10 || c === 13;
}

/** Offset of the start of the line holding `offset`. */
export function lineStartOf(text: string, offset: number): number {
  let i = offset;
  while (i > 0 && !isLineBreak(text.charCodeAt(i - 1))) i--;
  return i;
}

/** Offset of the end of the line holding `offset`, before its line break. */
export function lineEndOf(text: string, offset: number): number {
  let i = offset;
  while (i < text.length && !isLineBreak(text.charCodeAt(i))) i++;
  return i;
}

/** Offset just after the line break that ends at `lineEnd` (CRLF counts as one). */
export function afterLineBreak(text: string, lineEnd: number): number {
  if (text.charCodeAt(lineEnd) === 13 && text.charCodeAt(lineEnd + 1) === 10) return lineEnd + 2;
  if (isLineBreak(text.charCodeAt(lineEnd))) return lineEnd + 1;
  return lineEnd;
}

/** The leading whitespace of the line holding `offset`. */
export function indentationAt(text: string, offset: number): string {
  const start = lineStartOf(text, offset);
  return /^[ \t]*/.exec(text.slice(start, lineEndOf(text, start)))![0];
}

/** One level of indentation as the file writes it: a tab, or the most common step between nested lines. */
export function indentUnit(text: string): string {
  const widths: number[] = [];
  let tabIndented = 0;
  let spaceIndented = 0;
  for (const line of text.split(/\r\n|\r|\n/)) {
    // Blank lines and the ` * ` lines of block comments say nothing about nesting.
    if (line.trim() === '' || line.trimStart().startsWith('*')) continue;
    const lead = /^[ \t]*/.exec(line)![0];
    if (lead.startsWith('\t')) tabIndented++;
    else if (lead.startsWith(' ')) spaceIndented++;
    widths.push(lead.replace(/\t/g, '    ').length);
  }
  if (tabIndented > spaceIndented) return '\t';
  const steps = new Map<number, number>();
  for (let i = 1; i < widths.length; i++) {
    const step = widths[i] - widths[i - 1];
    if (step > 0 && step <= 8) steps.set(step, (steps.get(step) ?? 0) + 1);
  }
  let best = 2;
  let bestCount = 0;
  for (const [step, count] of steps) {
    if (count > bestCount || (count === bestCount && step < best)) {
      best = step;
      bestCount = count;
    }
  }
  return ' '.repeat(best);
}

/** Whether only spaces and tabs lie in `[from, to)`. */
export function isBlank(text: string, from: number, to: number): boolean {
  return /^[ \t]*$/.test(text.slice(from, to));
}

/**
 * The range to delete for `[start, end)`: whole lines when the code is alone on its lines (a
 * trailing `//` or `<!-- -->` comment goes with it), otherwise the code and the spaces after it.
 */
export function removalRange(text: string, start: number, end: number): [number, number] {
  const lineStart = lineStartOf(text, start);
  const lineEnd = lineEndOf(text, end);
  const rest = text.slice(end, lineEnd);
  if (isBlank(text, lineStart, start) && /^[ \t]*(\/\/.*|<!--.*-->[ \t]*)?$/.test(rest)) {
    return [lineStart, afterLineBreak(text, lineEnd)];
  }
  // `a; X; b()` → `a; b()`: the spaces after the code go with it.
  let after = end;
  while (after < lineEnd && (text[after] === ' ' || text[after] === '\t')) after++;
  return [start, after];
}

/**
 * Removes one element of a comma-separated list (arguments, object members, list and array
 * elements) with its separator, keeping the other elements' layout.
 */
export function removeListElement(text: string, element: Node): OffsetEdit | undefined {
  const parent = element.parent;
  if (!parent) return undefined;
  const children = parent.children.filter((c): c is Node => !!c);
  const index = children.findIndex((c) => c.id === element.id);
  if (index < 0) return undefined;
  const neighbour = (from: number, step: number): Node | undefined => {
    for (let i = from; i >= 0 && i < children.length; i += step) {
      if (children[i].type !== 'comment') return children[i];
    }
    return undefined;
  };
  const next = neighbour(index + 1, 1);
  const previous = neighbour(index - 1, -1);
  if (next?.type === ',') {
    const [start, end] = removalRange(text, element.startIndex, next.endIndex);
    return { start, end, text: '' };
  }
  if (previous?.type === ',') {
    return { start: previous.startIndex, end: element.endIndex, text: '' };
  }
  // The only element: `({ x: 1 })` → `({})`, and a list on its own lines loses those lines.
  const [start, end] = removalRange(text, element.startIndex, element.endIndex);
  if (start !== element.startIndex) return { start, end, text: '' };
  const open = previous?.endIndex ?? element.startIndex;
  const close = next?.startIndex ?? element.endIndex;
  if (isBlank(text, open, element.startIndex) && isBlank(text, element.endIndex, close)) return { start: open, end: close, text: '' };
  return { start: element.startIndex, end: element.endIndex, text: '' };
}

/** Parents whose children are statements executed in order: removing one leaves the others alone. */
const STATEMENT_LISTS = new Set(['program', 'source_file', 'block', 'statement_block', 'statements', 'function_body', 'switch_body', 'switch_case', 'switch_default']);

/** Removes a whole statement (whole lines when it is alone on them); undefined when it is not in a statement list. */
export function removeStatement(text: string, statement: Node): OffsetEdit | undefined {
  if (!statement.parent || !STATEMENT_LISTS.has(statement.parent.type)) return undefined;
  const [start, end] = removalRange(text, statement.startIndex, statement.endIndex);
  // Whole lines between two blank lines: one blank line stays, not two.
  if (start > 0 && start === lineStartOf(text, start) && end === lineStartOf(text, end)) {
    const previousEnd = text.slice(start - 2, start) === '\r\n' ? start - 2 : start - 1;
    const previousBlank = isBlank(text, lineStartOf(text, previousEnd), previousEnd);
    const nextLineEnd = lineEndOf(text, end);
    if (previousBlank && end < text.length && isBlank(text, end, nextLineEnd)) return { start, end: afterLineBreak(text, nextLineEnd), text: '' };
  }
  return { start, end, text: '' };
}

/** Applies non-overlapping edits; throws on overlap (a fix bug, never user input). */
export function applyOffsetEdits(text: string, edits: readonly OffsetEdit[]): string {
  const sorted = [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
  let result = '';
  let at = 0;
  for (const edit of sorted) {
    if (edit.start < at) throw new Error(`overlapping edits at ${edit.start}`);
    result += text.slice(at, edit.start) + edit.text;
    at = edit.end;
  }
  return result + text.slice(at);
}

/** Adds `prefix` to every line of `block` after the first (the first keeps its place in the line). */
export function indentFollowingLines(block: string, prefix: string): string {
  return block.replace(/(\r\n|\r|\n)(?=[^\r\n])/g, `$1${prefix}`);
}

/** Whether a string literal (or template) inside `node` spans lines: re-indenting would change it. */
export function hasMultilineString(node: Node): boolean {
  const visit = (n: Node): boolean => {
    if (/string|template/.test(n.type) && /[\r\n]/.test(n.text)) return true;
    return n.namedChildren.some((c) => !!c && visit(c));
  };
  return visit(node);
}

/** Insertions at one offset (two imports after the same line) become one edit, in order. */
export function mergeInsertions(edits: readonly OffsetEdit[]): OffsetEdit[] {
  const merged: OffsetEdit[] = [];
  for (const edit of edits) {
    const same = merged.find((m) => m.start === m.end && edit.start === edit.end && m.start === edit.start);
    if (same) same.text += edit.text;
    else merged.push({ ...edit });
  }
  return merged;
}

/**
 * Inserts `lines` as the first statements of `block` (a `{ … }` node), indented like the block's
 * statements, on lines of their own.
 */
export function insertAtBlockTop(text: string, block: Node, lines: readonly string[], eol: string, unit: string): OffsetEdit | undefined {
  const open = block.children.find((c) => c?.type === '{');
  if (!open) return undefined;
  const first = block.children.find((c): c is Node => !!c && c.isNamed && c.startIndex >= open.endIndex);
  const outer = indentationAt(text, open.startIndex);
  if (first && isBlank(text, lineStartOf(text, first.startIndex), first.startIndex) && lineStartOf(text, first.startIndex) > open.startIndex) {
    const indentation = indentationAt(text, first.startIndex);
    const at = lineStartOf(text, first.startIndex);
    return { start: at, end: at, text: lines.map((l) => `${indentation}${l}${eol}`).join('') };
  }
  const indentation = outer + unit;
  const inserted = lines.map((l) => `${eol}${indentation}${l}`).join('');
  const close = block.children.find((c) => c?.type === '}');
  // `{ return x; }` and `{}` on one line: what follows `{` moves to lines of its own.
  const tail = first ? `${eol}${indentation}` : close && lineStartOf(text, close.startIndex) <= open.startIndex ? `${eol}${outer}` : '';
  let end = open.endIndex;
  while (end < text.length && (text[end] === ' ' || text[end] === '\t') && tail) end++;
  return { start: open.endIndex, end, text: inserted + tail };
}
