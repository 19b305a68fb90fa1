import { Node } from 'web-tree-sitter';

const TYPE = Symbol('pinning-audit.nodeType');
let installed = false;

/**
 * web-tree-sitter's `Node.type` calls into wasm on every read, and rules read it for every
 * node they walk past — most of an analysis was spent there. A node's type never changes
 * (an edit only moves nodes), so each node object keeps it after the first read.
 */
export function memoizeNodeTypes(): void {
  if (installed) return;
  installed = true;
  const descriptor = Object.getOwnPropertyDescriptor(Node.prototype, 'type');
  const read = descriptor?.get;
  if (!read) return; // another web-tree-sitter shape: leave it as it is
  Object.defineProperty(Node.prototype, 'type', {
    configurable: true,
    enumerable: descriptor.enumerable,
    get(this: Node & { [TYPE]?: string }): string {
      let type = this[TYPE];
      if (type === undefined) {
        type = read.call(this) as string;
        this[TYPE] = type;
      }
      return type;
    },
  });
}
