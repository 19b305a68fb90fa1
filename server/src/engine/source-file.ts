import type { Node, Tree } from 'web-tree-sitter';
import { XmlDocument } from '../platform/xml';
import { familyOf, isTestPath, type Family, type GrammarId } from './languages';
import { LineIndex, lineOf, offsetInLines, positionInLines } from './parser';
import type { Position, Range } from './types';

/** One parsed file as rules see it. Positions are computed from indices, so CR-only files map right. */
export class SourceFile {
  readonly family: Family;
  readonly isTestFile: boolean;
  /** The line starts, read as far as positions ask (`LineIndex`), or all of them when the caller has them. */
  private readonly lines: Pick<LineIndex, 'through' | 'starts'>;
  private rootNode: Node | undefined;
  /** Per-language facts computed on demand and cached for the life of this analysis. */
  private readonly memo = new Map<string, unknown>();

  constructor(
    /** Absolute path or URI: how findings and facts name the file. */
    readonly id: string,
    /** Relative to the workspace or scan root, `/`-separated: decides test-file status. */
    readonly relativePath: string,
    readonly grammar: GrammarId,
    readonly text: string,
    /** A tree-sitter tree, or for `xml` files the parsed document (`xml`). */
    readonly syntax: Tree | XmlDocument,
    /** The text's `lineStarts` when the caller keeps them (an editor buffer); otherwise read as far as positions ask. */
    starts?: readonly number[],
  ) {
    this.lines = starts ? { through: () => starts, starts: () => starts } : new LineIndex(text);
    this.family = familyOf(grammar);
    this.isTestFile = isTestPath(relativePath);
  }

  /**
   * One root node object for the whole analysis: a node caches its children, so each rule's
   * walk from here reuses the nodes the first walk made instead of making them again.
   */
  get root(): Node {
    this.rootNode ??= this.tree.rootNode;
    return this.rootNode;
  }

  /** The tree-sitter tree; an XML file has none (rules check `xml` files through `xml`). */
  get tree(): Tree {
    if (this.syntax instanceof XmlDocument) throw new Error(`${this.relativePath} is XML: it has no tree-sitter tree`);
    return this.syntax;
  }

  /** The parsed document of a platform config, undefined for code. */
  get xml(): XmlDocument | undefined {
    return this.syntax instanceof XmlDocument ? this.syntax : undefined;
  }

  positionAt(offset: number): Position {
    const starts = this.lines.through(offset);
    const position = positionInLines(starts, offset);
    // A node may end between `\r` and `\n` (a Swift comment keeps the `\r`): that is the line's end.
    const lineEnd = offsetInLines(starts, this.text, { line: position.line, character: Number.MAX_SAFE_INTEGER });
    position.character = Math.min(position.character, lineEnd - starts[position.line]);
    return position;
  }

  offsetAt(position: Position): number {
    // Up to the start of the line after (`offsetInLines` reads where the line ends).
    return offsetInLines(this.lines.starts(lineOf(position) + 2), this.text, position);
  }

  rangeOf(node: Node): Range {
    return this.rangeAt(node.startIndex, node.endIndex);
  }

  /** The range of `[start, end)` (UTF-16 offsets into the text). */
  rangeAt(start: number, end: number): Range {
    return { start: this.positionAt(start), end: this.positionAt(end) };
  }

  /** Caches a derived fact (a list of callbacks, guard ranges...) under `key`. */
  fact<T>(key: string, compute: () => T): T {
    if (!this.memo.has(key)) this.memo.set(key, compute());
    return this.memo.get(key) as T;
  }
}
