import type { TextDocumentContentChangeEvent } from 'vscode-languageserver/node';
import type { AnalysisInput } from '../engine/analyze';
import { grammarForLanguageId, grammarForPath, type GrammarId } from '../engine/languages';
import { applyChangeToLines, lineStarts, type Parsers } from '../engine/parser';
import { codeTree, parseSyntax, type SyntaxTree } from '../engine/syntax';
import { WordPositions } from '../engine/word-positions';
import { carryPinSetNameTokens } from '../facts/names';
import { setWordPositions } from '../facts/tree';
import { fileKey, uriToPath } from './folders';

/**
 * Per grammar, the share of an editor buffer's text under which its analysis parses the parts
 * its rules need afresh rather than re-parse the buffer's whole tree (`AnalysisInput.wholeTree`).
 * Dart only: a one-character edit in a large Dart class re-parses every member's signature
 * (13-16 ms in a 5,000-line file), and a fresh parse of a twentieth of that file costs half as
 * much. Swift and TypeScript re-parse only around the edit (1.5-3.3 ms there), less than it
 * costs to cut the text into parts (bench/README.md, round 17).
 */
const EDIT_PARTS_MAX_SHARE: Partial<Record<GrammarId, number>> = { dart: 0.05 };

/** An editor buffer: its text, version and — while it is open — its syntax tree. */
export class OpenDocument {
  readonly key: string;
  /** Set for `file:` documents. */
  readonly path: string | undefined;
  readonly grammar: GrammarId | undefined;
  private tree: SyntaxTree | undefined;
  /** False once the text changed after the last parse. */
  private treeIsCurrent = false;
  /** Trees replaced by a re-parse and not yet deleted (see `parse`). */
  private readonly replaced: SyntaxTree[] = [];
  /** Set while an analysis waits for the message queue to settle (see `whenSettled`). */
  analysisQueued = false;
  /** The text's line starts, updated with each change rather than recomputed. */
  private starts: readonly number[];
  /** Where the words the rules look for occur in the text, updated with each change too. */
  private words: WordPositions;

  constructor(
    readonly uri: string,
    readonly languageId: string,
    public version: number,
    public text: string,
  ) {
    this.starts = lineStarts(text);
    this.words = new WordPositions(text);
    this.key = fileKey(uri);
    this.path = uriToPath(uri);
    // Declaration files are never audited, whatever their language id says (the scan skips them too).
    const isDeclarationFile = this.path?.toLowerCase().endsWith('.d.ts') ?? false;
    this.grammar = isDeclarationFile ? undefined : grammarForLanguageId(languageId) ?? (this.path ? grammarForPath(this.path) : undefined);
  }

  /** Applies the changes in order, recording each edit on the tree so the next parse is incremental. */
  applyChanges(changes: readonly TextDocumentContentChangeEvent[], version: number): void {
    for (const change of changes) {
      if ('range' in change && change.range) {
        const edited = applyChangeToLines({ text: this.text, starts: this.starts }, change, codeTree(this.tree));
        carryPinSetNameTokens(this.text, edited.text, edited.startIndex, edited.oldEndIndex, edited.newEndIndex);
        ({ text: this.text, starts: this.starts } = edited);
        this.words.edit(edited.text, edited.startIndex, edited.oldEndIndex, edited.newEndIndex);
      } else {
        this.text = change.text;
        this.starts = lineStarts(this.text);
        this.words = new WordPositions(this.text);
        this.deleteTree();
      }
    }
    this.version = version;
    this.treeIsCurrent = false;
  }

  /** The current text's line starts (`lineStarts(text)`). */
  get lineStarts(): readonly number[] {
    return this.starts;
  }

  /**
   * The tree for the current text; reuses the previous tree when there is one. The previous
   * tree is not deleted here but by `deleteReplacedTrees`, once the diagnostics are out:
   * freeing a 200 KB file's tree takes about a tenth of its re-parse.
   */
  parse(parsers: Parsers): SyntaxTree {
    if (!this.grammar) throw new Error(`no grammar for ${this.languageId}`);
    if (this.tree && this.treeIsCurrent) return this.tree;
    const old = this.tree;
    try {
      this.tree = parseSyntax(parsers, this.grammar, this.text, old);
    } catch (error) {
      // The old tree may be out of step with the text now: start from scratch next time.
      this.deleteTree();
      throw error;
    }
    if (old) this.replaced.push(old);
    const code = codeTree(this.tree);
    if (code) setWordPositions(code, this.words);
    this.treeIsCurrent = true;
    return this.tree;
  }

  /**
   * What the engine is given of this buffer besides its text: its whole tree, re-parsed; or, in
   * a grammar of `EDIT_PARTS_MAX_SHARE`, the way to that tree and the word positions, for an
   * analysis that parses the parts its rules need first.
   */
  analysisTrees(parsers: Parsers): Pick<AnalysisInput, 'tree' | 'wholeTree' | 'words'> {
    const maxShare = this.grammar && EDIT_PARTS_MAX_SHARE[this.grammar];
    return maxShare === undefined ? { tree: this.parse(parsers) } : { wholeTree: { get: () => this.parse(parsers), maxShare }, words: this.words };
  }

  /** Frees the trees that re-parses replaced. */
  deleteReplacedTrees(): void {
    for (const tree of this.replaced.splice(0)) tree.delete();
  }

  /** WASM memory never shrinks: trees live only as long as their document is open. */
  deleteTree(): void {
    this.deleteReplacedTrees();
    this.tree?.delete();
    this.tree = undefined;
    this.treeIsCurrent = false;
  }
}

export class OpenDocuments {
  private readonly byUri = new Map<string, OpenDocument>();
  private readonly byKey = new Map<string, OpenDocument>();

  open(document: OpenDocument): void {
    this.close(document.uri);
    this.byUri.set(document.uri, document);
    this.byKey.set(document.key, document);
  }

  get(uri: string): OpenDocument | undefined {
    return this.byUri.get(uri);
  }

  /** Whether the file with this `fileKey` is open: then the editor's text wins over the disk's. */
  isOpen(key: string): boolean {
    return this.byKey.has(key);
  }

  close(uri: string): OpenDocument | undefined {
    const document = this.byUri.get(uri);
    if (!document) return undefined;
    this.byUri.delete(uri);
    if (this.byKey.get(document.key) === document) this.byKey.delete(document.key);
    document.deleteTree();
    return document;
  }

  isCurrent(document: OpenDocument): boolean {
    return this.byUri.get(document.uri) === document;
  }

  all(): OpenDocument[] {
    return [...this.byUri.values()];
  }

  closeAll(): void {
    for (const uri of [...this.byUri.keys()]) this.close(uri);
  }
}

/**
 * Calls `run` once no further change for `document` is waiting in the message queue, with no
 * timer: the JSON-RPC connection handles one queued message per `setImmediate` turn, so a
 * document whose version held still over a whole turn has nothing queued. A lone keystroke is
 * analyzed two turns later; a burst of changes is analyzed once, after the last one.
 */
export function whenSettled(document: OpenDocument, isCurrent: () => boolean, run: () => void): void {
  if (document.analysisQueued) return;
  document.analysisQueued = true;
  const check = (seenVersion: number | undefined) =>
    setImmediate(() => {
      if (!isCurrent()) return;
      if (document.version !== seenVersion) return void check(document.version);
      document.analysisQueued = false;
      run();
    });
  check(undefined);
}
