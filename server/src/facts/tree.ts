import type { Node, Tree } from 'web-tree-sitter';
import { patternMatches } from '../engine/triggers';
import { wordStarts, type WordPositions } from '../engine/word-positions';

/**
 * Yields `node`'s ancestors, nearest first. Found in one descent from the root: tree-sitter
 * keeps no parent links, so each `node.parent` is itself a walk from the root, and climbing
 * with it was quadratic in depth (14 s for the pin strings of one deeply nested Swift file).
 */
export function* ancestors(node: Node): Generator<Node> {
  const path: Node[] = [];
  for (let n: Node | null = node.tree.rootNode; n && n.id !== node.id; n = n.childWithDescendant(node)) path.push(n);
  for (let i = path.length - 1; i >= 0; i--) yield path[i];
}

/**
 * Calls `enter` on `node` and each named descendant in document order; `enter` returns false
 * to skip a node's children. A loop, not recursion: thousands of nested brackets (a generated
 * or half-typed file) would overflow the call stack.
 */
export function walkNamed(node: Node, enter: (n: Node) => boolean | void): void {
  requireWhole(node);
  const stack: Node[] = [node];
  for (let n = stack.pop(); n; n = stack.pop()) {
    if (enter(n) === false) continue;
    const children = n.namedChildren;
    for (let i = children.length - 1; i >= 0; i--) {
      const child = children[i];
      if (child) stack.push(child);
    }
  }
}

/**
 * Every named descendant of one of `types`, in document order, optionally not entering `stopAt`
 * types. Served from the tree's `TypeIndex`: one walk of the tree for all the facts and rules.
 */
export function descendants(node: Node, types: string | readonly string[], stopAt: readonly string[] = []): Node[] {
  requireWhole(node);
  return descendantsParsed(node, types, stopAt);
}

/** `descendants` of the parsed part of `node` alone. */
function descendantsParsed(node: Node, types: string | readonly string[], stopAt: readonly string[] = []): Node[] {
  const wanted = typeof types === 'string' ? [types] : types;
  const asked = stopAt.length > 0 ? [...wanted, ...stopAt] : wanted;
  // The whole tree from its index; a part of it (a function body) by a walk of that part alone,
  // which keeps types common in bodies (identifiers) out of the index.
  const entries = node.id === node.tree.rootNode.id ? typeIndex(node.tree).entries(asked) : indexEntries(node, asked);
  const found: Node[] = [];
  let stoppedUntil = -1; // end of the `stopAt` node being skipped
  for (const entry of entries) {
    if (entry.node.id === node.id || entry.start < stoppedUntil) continue;
    if (wanted.includes(entry.type)) found.push(entry.node);
    if (stopAt.includes(entry.type)) stoppedUntil = entry.end;
  }
  return found;
}

/**
 * The nodes of `types` that contain one of `words` (case-sensitive), or a match of `pattern`
 * (global), in their text, in document order: `descendants(root, types)` narrowed to those, for
 * a fact that only wants nodes holding a given name or value. Found from each occurrence
 * upwards, so the cost follows the occurrences (a handful) and not the size of the file: one
 * walk of a 5,000-line tree costs ~10 ms even when it matches nothing, and an edit must not.
 * The words only say where to look: a caller tests each node itself (its name, its callee), and
 * under `withWholeTreeWalks` gets every node of the types to test.
 */
export function descendantsAround(root: Node, text: string, types: readonly string[], words: readonly string[] | RegExp): Node[] {
  // The reference (`withWholeTreeWalks`): every node of the types, for the caller's own test to
  // pick from, so that a word it does not name (a node found without it) shows.
  if (walkOnly) return descendants(root, types);
  const occurrences = occurrencesIn(text, words, root.tree);
  // (Spans built only for a partial parse: this is on every edit's path.)
  if (coverages.has(root.tree)) requireText(root.tree, occurrences.map(({ at, length }) => [at, at + length]));
  // In text order: both ways below read them so.
  occurrences.sort((a, b) => a.at - b.at);
  // Each occurrence costs a climb to the root: with many of them (generated or deeply nested
  // code) one walk of the tree is cheaper, and finds the same nodes.
  if (occurrences.length > MAX_CLIMBS) return descendantsParsed(root, types).filter((n) => holdsOccurrence(occurrences, n.startIndex, n.endIndex));
  const found = new Map<number, Node>();
  const consider = (n: Node) => {
    if (n.id !== root.id && n.isNamed && types.includes(n.type)) found.set(n.id, n);
  };
  // Each climb starts from the deepest node of the one before that holds the next occurrence,
  // not from the root: the nodes of a class and of a member are read once for all the
  // occurrences in them. A node that holds some of a word's (non-empty) text holds the smallest
  // node around it, or is inside it, and then no smaller than it (`descendantForIndex`).
  // The last climb's nodes from the root down, the leaf left out: every climb starts at the root.
  const path: Node[] = [root];
  for (const { at, length } of occurrences) {
    const leaf = root.descendantForIndex(at, at + length);
    if (!leaf || leaf.id === root.id) continue;
    let kept = 1;
    while (kept < path.length && path[kept].id !== leaf.id && path[kept].startIndex <= at && at + length <= path[kept].endIndex) kept++;
    path.length = kept;
    for (let n = path[kept - 1].childWithDescendant(leaf); n && n.id !== leaf.id; n = n.childWithDescendant(leaf)) {
      path.push(n);
      consider(n);
    }
    consider(leaf);
  }
  // Document order: by start, the enclosing node (the longer one) first.
  return [...found.values()].sort((a, b) => a.startIndex - b.startIndex || b.endIndex - a.endIndex);
}

/**
 * The leaves of `types` (token types: identifiers) whose text holds a match of `pattern`, in
 * document order, each found at a match without a climb: a test over a file's names that stops
 * at the first it wants costs one look-up per match, where many matches would make
 * `descendantsAround` walk. As there, the caller tests each leaf itself.
 */
export function* leavesMatching(root: Node, text: string, types: readonly string[], pattern: RegExp): Generator<Node> {
  if (walkOnly) {
    yield* descendants(root, types);
    return;
  }
  let last = -1;
  const coverage = coverages.get(root.tree);
  // Every start, not just where the last match ended: a match overlapping the one before may
  // be the only one inside a leaf.
  for (const { start, end } of patternMatches(text, pattern, true)) {
    // All of those left out at once, for one more parse rather than one per match.
    if (coverage?.missing(start, end)) requireText(root.tree, [...patternMatches(text, pattern, true)].map((m) => [m.start, m.end]));
    const leaf = root.descendantForIndex(start, end);
    if (!leaf || leaf.startIndex <= last || !leaf.isNamed || !types.includes(leaf.type)) continue;
    last = leaf.startIndex;
    yield leaf;
  }
}

/**
 * The smallest node that spans `[start, end)` of the text, for a search of the text (its words,
 * its literals) that climbs from what it finds.
 */
export function nodeAt(root: Node, start: number, end: number): Node | null {
  requireText(root.tree, [[start, end]]);
  return root.descendantForIndex(start, end);
}

/**
 * What a partial parse (engine/partial-parse.ts) left out of a tree: a search that would need
 * it throws `TextNeeded`, and the engine parses again with that text.
 */
export interface Coverage {
  /** Whether some of `[start, end)` was not parsed. */
  missing(start: number, end: number): boolean;
}

/**
 * Thrown by a search that needs text the tree's partial parse left out (`spans`, [start, end) each).
 * Caught by the engine (analyze.ts), never shown: made without a stack trace, whose capture
 * through the rules' deep calls was 1.5 % of a scan thread's analyses.
 */
export class TextNeeded extends Error {
  readonly spans: readonly (readonly [number, number])[];

  constructor(spans: readonly (readonly [number, number])[]) {
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super('the search needs text the partial parse left out');
    Error.stackTraceLimit = limit;
    this.spans = spans;
    this.name = 'TextNeeded';
  }
}

const coverages = new WeakMap<Tree, Coverage>();

/** Marks `tree` as a partial parse of its text: searches into what `coverage` left out throw `TextNeeded`. */
export function setCoverage(tree: Tree, coverage: Coverage): void {
  coverages.set(tree, coverage);
}

/**
 * Throws `TextNeeded` when a partial parse of `root`'s file left out an occurrence of `words`
 * (each, case-sensitive) or a match of `pattern`, or some of `spans`: for a reader of nodes it
 * does not search for, whose text those words mark (a file's imports). All in one, for one more parse.
 */
export function requireOccurrences(root: Node, text: string, words: readonly string[] | RegExp, spans: readonly (readonly [number, number])[] = []): void {
  if (coverages.has(root.tree)) requireText(root.tree, [...occurrencesIn(text, words, root.tree).map(({ at, length }) => [at, at + length] as const), ...spans]);
}

/** Whether `tree` is a partial parse of its text (`setCoverage`). */
export function isPartialParse(tree: Tree): boolean {
  return coverages.has(tree);
}

/** Throws `TextNeeded` when some of `spans` was left out of `tree`'s parse. */
export function requireText(tree: Tree, spans: readonly (readonly [number, number])[]): void {
  const coverage = coverages.get(tree);
  if (!coverage) return;
  const missing = spans.filter(([start, end]) => coverage.missing(start, end));
  if (missing.length > 0) throw new TextNeeded(missing);
}

/** A walk of all of `node` needs all of its text parsed; of the root, the whole file (a partial parse's root spans only the parts). */
function requireWhole(node: Node): void {
  if (!coverages.has(node.tree)) return;
  requireText(node.tree, [node.id === node.tree.rootNode.id ? [0, Infinity] : [node.startIndex, node.endIndex]]);
}

/**
 * Where `words` (each, case-sensitive) or `pattern`'s matches occur in `text`, `tree`'s text: from
 * the positions an editor buffer keeps for it (`setWordPositions`) when it has them.
 */
function occurrencesIn(text: string, words: readonly string[] | RegExp, tree: Tree): { at: number; length: number }[] {
  if (words instanceof RegExp) return [...patternMatches(text, words)].map(({ start, end }) => ({ at: start, length: end - start }));
  const kept = wordPositions.get(tree);
  const positions = kept?.text === text ? kept : undefined;
  const occurrences: { at: number; length: number }[] = [];
  for (const word of words) {
    if (word === '') continue; // (a call with no name): found everywhere, and never past
    for (const at of positions ? positions.of(word) : wordStarts(text, word)) occurrences.push({ at, length: word.length });
  }
  return occurrences;
}

const wordPositions = new WeakMap<Tree, WordPositions>();

/**
 * Says where words occur in `tree`'s text, as an open document keeps them across its edits;
 * used while the positions' text is the one a search is given.
 */
export function setWordPositions(tree: Tree, positions: WordPositions): void {
  wordPositions.set(tree, positions);
}

/** Whether one of `sorted` (by `at`) lies within [start, end). */
function holdsOccurrence(sorted: readonly { at: number; length: number }[], start: number, end: number): boolean {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid].at < start) lo = mid + 1;
    else hi = mid;
  }
  // Words differ in length: any occurrence starting in the range may be the one that fits.
  for (let i = lo; i < sorted.length && sorted[i].at < end; i++) if (sorted[i].at + sorted[i].length <= end) return true;
  return false;
}

/** Occurrences above which a search from words climbs no more, and walks the tree instead. */
export const MAX_CLIMBS = 64;

/** Set while `withWholeTreeWalks` runs: every search from words walks the whole tree instead. */
let walkOnly = false;

/**
 * Runs `analysis` with every search from words (`descendantsAround`, `leavesMatching`, the pin
 * sets' search near pins) replaced by a walk of the whole tree, and the pin sets' shortcuts off:
 * the reference the tests hold the searches to, since both must find the same.
 */
export function withWholeTreeWalks<T>(analysis: () => T): T {
  const before = walkOnly;
  walkOnly = true;
  try {
    return analysis();
  } finally {
    walkOnly = before;
  }
}

/** Whether searches from words are off (`withWholeTreeWalks`). */
export function wholeTreeWalksOnly(): boolean {
  return walkOnly;
}

function indexEntries(node: Node, types: readonly string[]): IndexEntry[] {
  const entries: IndexEntry[] = [];
  for (const n of node.descendantsOfType([...types])) {
    if (n?.isNamed) entries.push({ node: n, type: n.type, start: n.startIndex, end: n.endIndex });
  }
  return entries;
}

interface IndexEntry {
  node: Node;
  type: string;
  start: number;
  end: number;
}

/**
 * The named nodes of a tree of the types the rules ask for, in document order. The runtime's
 * search (`descendantsOfType`) walks the tree in wasm and builds a node object only per match;
 * a walk from JavaScript built one for every node, and each rule walked again: that was most
 * of an analysis. The types asked for so far, per language, are all indexed in one walk.
 */
class TypeIndex {
  /** Per language: every type any tree of it was asked for, so the next tree needs one walk. */
  private static readonly typesAsked = new WeakMap<object, Set<string>>();
  private indexed = new Set<string>();
  private all: IndexEntry[] = [];

  constructor(private readonly tree: Tree) {}

  /** The entries of `types`, in document order. */
  entries(types: readonly string[]): IndexEntry[] {
    if (types.some((t) => !this.indexed.has(t))) this.build(types);
    return this.all.filter((e) => types.includes(e.type));
  }

  private build(types: readonly string[]): void {
    const language = this.tree.language;
    let asked = TypeIndex.typesAsked.get(language);
    if (!asked) TypeIndex.typesAsked.set(language, (asked = new Set()));
    for (const t of [...types, ...this.indexed]) asked.add(t);
    this.indexed = new Set(asked);
    this.all = indexEntries(this.tree.rootNode, [...this.indexed]);
  }
}

const typeIndexes = new WeakMap<Tree, TypeIndex>();

function typeIndex(tree: Tree): TypeIndex {
  let index = typeIndexes.get(tree);
  if (!index) typeIndexes.set(tree, (index = new TypeIndex(tree)));
  return index;
}

/** The named siblings of `node` (its parent's named children) and its index among them. */
export function namedSiblings(node: Node): { siblings: Node[]; index: number } | undefined {
  const siblings = node.parent?.namedChildren.filter((c): c is Node => !!c) ?? [];
  const index = siblings.findIndex((c) => c.id === node.id);
  return index < 0 ? undefined : { siblings, index };
}

export function contains(outer: Node, inner: Node): boolean {
  return outer.startIndex <= inner.startIndex && inner.endIndex <= outer.endIndex;
}

/** The named child of `parent` that lies on the path to `descendant`. */
export function childOnPath(parent: Node, descendant: Node): Node | undefined {
  return parent.namedChildren.find((c): c is Node => !!c && contains(c, descendant));
}

/** Source text with all whitespace removed: for comparing small expressions. */
export function compact(node: Node): string {
  return node.text.replace(/\s+/g, '');
}

/** The value of a string literal without its quotes, or undefined when it interpolates. */
export function stringValue(node: Node): string | undefined {
  const text = node.text;
  if (/\$\{|\$[A-Za-z_]|\\\(/.test(text)) return undefined;
  const m = /^(?:r)?("""|'''|"|'|`)([\s\S]*)\1$/.exec(text);
  return m ? m[2] : undefined;
}
