import { Node } from 'web-tree-sitter';

/** What an analysis asked of the syntax tree while it ran. */
export interface NodeLookups {
  /** Every call that finds nodes (children, siblings, parents, descendants), plus each node they returned. */
  total: number;
  /** `parent` and the sibling getters: tree-sitter keeps no parent links, so each is a walk down from the root. */
  fromRoot: number;
  /** Reads of `type`: a walk over nodes it already has reads each one's, and is work no look-up shows. */
  typeReads: number;
  /** Calls per member, for the assertion messages. */
  byMember: Record<string, number>;
}

/** The Node members that find other nodes: each costs a call into the runtime and a node object per result. */
const LOOKUP = /child|children|sibling|parent|descendant|^walk$/i;
const FROM_ROOT = /^(parent|nextSibling|previousSibling|nextNamedSibling|previousNamedSibling)$/;

/**
 * Runs `run` with every node look-up counted: a measure of an analysis's work on the tree that,
 * unlike its duration, is the same however busy the machine is. The counting wrappers are on
 * `Node.prototype` only while `run` runs.
 */
export function countNodeLookups<T>(run: () => T): { value: T; lookups: NodeLookups } {
  const lookups: NodeLookups = { total: 0, fromRoot: 0, typeReads: 0, byMember: {} };
  const count = (name: string, result: unknown): void => {
    lookups.total += 1 + (Array.isArray(result) ? result.length : 0);
    if (FROM_ROOT.test(name)) lookups.fromRoot++;
    lookups.byMember[name] = (lookups.byMember[name] ?? 0) + 1;
  };
  const proto = Node.prototype as unknown as Record<string, unknown>;
  const saved = new Map<string, PropertyDescriptor>();
  for (const name of Object.getOwnPropertyNames(proto)) {
    const descriptor = Object.getOwnPropertyDescriptor(proto, name);
    if (!descriptor || !(LOOKUP.test(name) || name === 'type')) continue;
    saved.set(name, descriptor);
    const { get, value } = descriptor;
    if (get && name === 'type') {
      Object.defineProperty(proto, name, { ...descriptor, get(this: Node) {
        lookups.typeReads++;
        return get.call(this);
      } });
    } else if (get) {
      Object.defineProperty(proto, name, { ...descriptor, get(this: Node) {
        const result: unknown = get.call(this);
        count(name, result);
        return result;
      } });
    } else if (typeof value === 'function') {
      Object.defineProperty(proto, name, { ...descriptor, value(this: Node, ...args: unknown[]) {
        const result: unknown = (value as (...a: unknown[]) => unknown).apply(this, args);
        count(name, result);
        return result;
      } });
    }
  }
  try {
    return { value: run(), lookups };
  } finally {
    for (const [name, descriptor] of saved) Object.defineProperty(proto, name, descriptor);
  }
}
