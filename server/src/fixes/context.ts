import type { Node } from 'web-tree-sitter';
import type { SourceFile } from '../engine/source-file';
import { indentUnit, lineEnding } from './text';
import type { FixableFinding, FixInput, OffsetEdit } from './types';

/** A fix before validation: edits as offsets into the analysed text. */
export interface DraftFix {
  title: string;
  preferred: boolean;
  edits?: OffsetEdit[];
  input?: FixInput;
}

/** What a rule's fix provider gets: the parsed file and the finding, located in it. */
export class FixContext {
  readonly start: number;
  readonly end: number;
  private eolCache: string | undefined;
  private unitCache: string | undefined;

  constructor(
    readonly file: SourceFile,
    readonly finding: FixableFinding,
  ) {
    this.start = file.offsetAt(finding.range.start);
    this.end = file.offsetAt(finding.range.end);
  }

  get text(): string {
    return this.file.text;
  }

  /** The kind of fix the rule asked for (`Finding.data.fix`). */
  get fixKind(): string | undefined {
    return typeof this.finding.data?.fix === 'string' ? this.finding.data.fix : undefined;
  }

  get eol(): string {
    this.eolCache ??= lineEnding(this.file.text);
    return this.eolCache;
  }

  get indentUnit(): string {
    this.unitCache ??= indentUnit(this.file.text);
    return this.unitCache;
  }

  /** Whether `node` spans exactly the finding's range: how a fix finds the construct the rule reported. */
  isFindingNode(node: Node): boolean {
    return node.startIndex === this.start && node.endIndex === this.end;
  }

  /** The named nodes spanning exactly the finding's range, innermost first. */
  findingNodes(): Node[] {
    const found: Node[] = [];
    // The smallest node holding the range is the innermost exact one when there is one.
    for (let n: Node | null = this.file.root.namedDescendantForIndex(this.start, this.end); n && this.isFindingNode(n); n = n.parent) {
      found.push(n);
    }
    return found;
  }

  /** The node of one of `types` spanning exactly the finding's range. */
  findingNode(types: readonly string[]): Node | undefined {
    return this.findingNodes().find((n) => types.includes(n.type));
  }
}

export type FixProvider = (context: FixContext) => DraftFix[];
