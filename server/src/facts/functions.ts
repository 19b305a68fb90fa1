import type { Node } from 'web-tree-sitter';
import { walkNamed } from './tree';

/** A function as the rules need it: parameter names, and either an expression body or a block. */
export interface FunctionShape {
  node: Node;
  params: string[];
  /** `=> expr` / arrow expression body. */
  expression?: Node;
  block?: Node;
}

/** Node types that start a new function scope, per language: returns inside them are not ours. */
export const NESTED_FUNCTION_TYPES = [
  'function_expression', 'local_function_declaration', 'lambda_expression', // Dart
  'lambda_literal', 'function_declaration', // Swift
  'arrow_function', 'function', 'function_expression', 'generator_function', 'method_definition', // TS/JS (function_declaration above)
];

/** The values of the function's own `return` statements (null for a bare `return`). */
export function returnValues(fn: FunctionShape): (Node | null)[] {
  if (fn.expression) return [fn.expression];
  if (!fn.block) return [];
  const values: (Node | null)[] = [];
  const block = fn.block;
  walkNamed(block, (child) => {
    if (child === block) return true;
    if (NESTED_FUNCTION_TYPES.includes(child.type)) return false;
    if (child.type === 'return_statement' || (child.type === 'control_transfer_statement' && child.text.startsWith('return'))) {
      // Dart spreads a call chain over sibling nodes: more than one child is one compound value.
      const parts = child.namedChildren.filter((c) => c && c.type !== 'comment');
      values.push(parts.length === 0 ? null : parts.length === 1 ? parts[0] : child);
    }
  });
  return values;
}

/** Whether `name` is referenced as an identifier inside the function body. */
export function usesName(fn: FunctionShape, name: string, identifierTypes: readonly string[]): boolean {
  const body = fn.expression ?? fn.block;
  if (!body) return false;
  let found = false;
  walkNamed(body, (n) => {
    if (found) return false;
    found = identifierTypes.includes(n.type) && n.text === name;
  });
  return found;
}
