import type { Node } from 'web-tree-sitter';

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

/** Every descendant of one of `types`, in document order, optionally not entering `stopAt` types. */
export function descendants(node: Node, types: string | readonly string[], stopAt: readonly string[] = []): Node[] {
  const wanted = typeof types === 'string' ? [types] : types;
  const found: Node[] = [];
  walkNamed(node, (n) => {
    if (n === node) return true;
    if (wanted.includes(n.type)) found.push(n);
    return !stopAt.includes(n.type);
  });
  return found;
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
