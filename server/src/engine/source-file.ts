import type { Node, Tree } from 'web-tree-sitter';
import { familyOf, isTestPath, type Family, type GrammarId } from './languages';
import { lineStarts, positionInLines } from './parser';
import type { Position, Range } from './types';

/** One parsed file as rules see it. Positions are computed from indices, so CR-only files map right. */
export class SourceFile {
  readonly family: Family;
  readonly isTestFile: boolean;
  private starts: number[] | undefined;
  /** Per-language facts computed on demand and cached for the life of this analysis. */
  private readonly memo = new Map<string, unknown>();

  constructor(
    /** Absolute path or URI: how findings and facts name the file. */
    readonly id: string,
    /** Relative to the workspace or scan root, `/`-separated: decides test-file status. */
    readonly relativePath: string,
    readonly grammar: GrammarId,
    readonly text: string,
    readonly tree: Tree,
  ) {
    this.family = familyOf(grammar);
    this.isTestFile = isTestPath(relativePath);
  }

  get root(): Node {
    return this.tree.rootNode;
  }

  positionAt(offset: number): Position {
    this.starts ??= lineStarts(this.text);
    return positionInLines(this.starts, offset);
  }

  offsetAt(position: Position): number {
    this.starts ??= lineStarts(this.text);
    if (position.line >= this.starts.length) return this.text.length;
    return Math.min(this.starts[position.line] + position.character, this.text.length);
  }

  rangeOf(node: Node): Range {
    return { start: this.positionAt(node.startIndex), end: this.positionAt(node.endIndex) };
  }

  /** Caches a derived fact (a list of callbacks, guard ranges…) under `key`. */
  fact<T>(key: string, compute: () => T): T {
    if (!this.memo.has(key)) this.memo.set(key, compute());
    return this.memo.get(key) as T;
  }
}
