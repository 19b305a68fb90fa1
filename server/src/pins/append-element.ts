import type { Node } from 'web-tree-sitter';
import type { SourceFile } from '../engine/source-file';
import type { Range } from '../engine/types';

/** An LSP-shaped text edit in engine types (pins/ knows nothing of LSP). */
export interface TextEditLike {
  range: Range;
  newText: string;
}

const OPENERS = new Set(['[', '{', '(']);
const CLOSERS = new Set([']', '}', ')']);

/** Where a list literal's brackets and last element are, and how its elements are laid out. */
export interface ListLayout {
  open: Node;
  close: Node;
  /** Offsets of the last element (a Dart `A.b` spans two sibling nodes; a Swift entry is key, colon, value). */
  last: { start: number; end: number } | undefined;
  /** The comma after the last element, when the list has a trailing comma. */
  trailingComma: Node | undefined;
  /** Elements one per line, on lines after the opening bracket. */
  onePerLine: boolean;
  /** Leading whitespace of the last element's line (one-per-line lists). */
  elementIndent: string;
  /** Leading whitespace of the closing bracket's line when the bracket starts it. */
  closeIndent: string | undefined;
}

export function listLayout(file: SourceFile, list: Node): ListLayout | undefined {
  const children = list.children.filter((c): c is Node => !!c);
  const open = children.find((c) => OPENERS.has(c.type));
  const close = [...children].reverse().find((c) => CLOSERS.has(c.type));
  if (!open || !close || close.startIndex < open.endIndex) return undefined;
  let last: ListLayout['last'];
  let trailingComma: Node | undefined;
  let group: { start: number; end: number } | undefined;
  for (const child of children) {
    if (child.startIndex < open.endIndex || child.startIndex >= close.startIndex || child.type === 'comment') continue;
    if (child.type === ',') {
      if (group) last = group;
      trailingComma = group ? child : trailingComma;
      group = undefined;
      continue;
    }
    if (!child.isNamed && !group) continue; // a stray token before any element
    group = group ? { start: group.start, end: child.endIndex } : { start: child.startIndex, end: child.endIndex };
  }
  if (group) {
    last = group;
    trailingComma = undefined;
  }
  const text = file.text;
  let onePerLine = false;
  let elementIndent = '';
  if (last) {
    const lineStart = text.lastIndexOf('\n', last.start - 1) + 1;
    const before = text.slice(lineStart, last.start);
    onePerLine = /^[ \t]*$/.test(before) && file.positionAt(open.endIndex).line < file.positionAt(last.start).line;
    elementIndent = onePerLine ? before : '';
  }
  const closeLineStart = text.lastIndexOf('\n', close.startIndex - 1) + 1;
  const beforeClose = text.slice(closeLineStart, close.startIndex);
  return {
    open,
    close,
    last,
    trailingComma,
    onePerLine,
    elementIndent,
    closeIndent: /^[ \t]*$/.test(beforeClose) && closeLineStart > open.endIndex ? beforeClose : undefined,
  };
}

/**
 * Edits that add `element` after the last element of `list`, laid out like its elements: on a
 * new line with the same indentation (keeping a trailing comment on the last line where it is,
 * and the trailing comma style) or inline after `, `. Line endings follow the file's. `note`
 * becomes a comment after the new element: `// note` at the end of its own line, else `/* note *\/`.
 */
export function appendElementEdits(file: SourceFile, layout: ListLayout, element: string, note?: string): TextEditLike[] {
  const { last, trailingComma } = layout;
  if (!last) throw new Error('appendElementEdits needs a list with an element');
  const text = file.text;
  const insert = (offset: number, newText: string): TextEditLike => {
    const position = file.positionAt(offset);
    return { range: { start: position, end: position }, newText };
  };
  const anchor = trailingComma ? trailingComma.endIndex : last.end;
  const block = note === undefined ? element : `${element} ${blockComment(note)}`;
  if (!layout.onePerLine) return [insert(anchor, trailingComma ? ` ${block},` : `, ${block}`)];

  const { lineEnd, eol } = lineEndAt(text, anchor);
  const rest = text.slice(anchor, lineEnd);
  const newLine = `${eol}${layout.elementIndent}${element}${trailingComma ? ',' : ''}`;
  if (lineEnd < text.length && /^\s*(\/\/.*|\/\*.*\*\/\s*)?$/.test(rest)) {
    // Nothing but a comment after the last element: the new line goes after that comment.
    const line = note === undefined ? newLine : `${newLine} ${lineComment(note)}`;
    return trailingComma ? [insert(lineEnd, line)] : [insert(last.end, ','), insert(lineEnd, line)];
  }
  // The closing bracket shares the last element's line.
  return [insert(anchor, `${trailingComma ? '' : ','}${eol}${layout.elementIndent}${block}${trailingComma ? ',' : ''}`)];
}

/** `note` as a comment of Dart, Swift and TS/JS alike, on one line. */
export function lineComment(note: string): string {
  return `// ${note.replace(/[\r\n]+/g, ' ')}`;
}

export function blockComment(note: string): string {
  return `/* ${note.replace(/[\r\n]+/g, ' ').replace(/\*\//g, '* /')} */`;
}

/** The end of the line holding `offset` (before `\r\n` or `\n`) and that line's ending. */
export function lineEndAt(text: string, offset: number): { lineEnd: number; eol: string } {
  const newline = text.indexOf('\n', offset);
  if (newline < 0) return { lineEnd: text.length, eol: dominantEol(text) };
  return text[newline - 1] === '\r' && newline - 1 >= offset ? { lineEnd: newline - 1, eol: '\r\n' } : { lineEnd: newline, eol: '\n' };
}

export function dominantEol(text: string): string {
  const crlf = text.split('\r\n').length - 1;
  const lf = text.split('\n').length - 1 - crlf;
  return crlf > lf ? '\r\n' : '\n';
}
