import type { Node } from 'web-tree-sitter';
import { descendants } from './tree';

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
  for (const statement of descendants(fn.block, ['return_statement', 'control_transfer_statement'], NESTED_FUNCTION_TYPES)) {
    if (statement.type === 'control_transfer_statement' && !statement.text.startsWith('return')) continue;
    // Dart spreads a call chain over sibling nodes: more than one child is one compound value.
    const parts = statement.namedChildren.filter((c) => c && c.type !== 'comment');
    values.push(parts.length === 0 ? null : parts.length === 1 ? parts[0] : statement);
  }
  return values;
}

/** Whether `name` is referenced as an identifier inside the function body. */
export function usesName(fn: FunctionShape, name: string, identifierTypes: readonly string[]): boolean {
  const body = fn.expression ?? fn.block;
  if (!body) return false;
  return body.text.includes(name) && [body, ...descendants(body, identifierTypes)].some((n) => identifierTypes.includes(n.type) && n.text === name);
}
