import type { Node, Tree } from 'web-tree-sitter';

/** How many ERROR and MISSING nodes the tree holds: a fixed file must not have more than the original. */
export function parseErrorCount(tree: Tree): number {
  let count = 0;
  const visit = (node: Node) => {
    if (node.isError || node.isMissing) count++;
    for (const child of node.children) {
      if (child && (child.hasError || child.isMissing)) visit(child);
    }
  };
  if (tree.rootNode.hasError) visit(tree.rootNode);
  return count;
}
